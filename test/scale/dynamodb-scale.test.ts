import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDocumentClient } from '../../adapters/aws/dynamodb/document-client.js';
import { DynamoEventRepository } from '../../adapters/aws/dynamodb/event-repository.js';
import { SHARDS } from '../../adapters/aws/dynamodb/paging.js';
import { itemsRead, recordCommands, type LoggedCommand } from '../support/command-log.js';
import { createTables, startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.js';
import { catalogueEvent, seedEvents } from '../support/seed-events.js';

/**
 * The data contract at scale, on DynamoDB Local: a list page costs the same whatever the catalogue
 * holds, and counting bookings never grows the event item. Asserted on items read, never on time
 * (the figures are in bench/list-page.ts).
 */
let local: DynamoDbLocal;
let log: LoggedCommand[];
const tablePrefix = `scale-${randomUUID().slice(0, 8)}`;

async function createEventsTable(suffix: string): Promise<string> {
  const names = { events: `${tablePrefix}-${suffix}-events`, bookings: `${tablePrefix}-${suffix}-bookings`, players: `${tablePrefix}-${suffix}-players`, gameMap: `${tablePrefix}-${suffix}-map` };
  await createTables(local.client, names);
  return names.events;
}

// A DynamoDB Local of its own per test: it slows down as it fills (after 20,000 transactions, seeding
// 10,000 events took minutes instead of seconds), which would make the second test measure the first.
beforeEach(async () => {
  local = await startDynamoDbLocal();
  log = recordCommands(local.client);
}, 60_000);

afterEach(async () => {
  // Every command of the test went through the log: seeding, paging, counting.
  expect(log.filter((entry) => entry.command === 'ScanCommand')).toEqual([]);
  await local?.stop();
}, 15_000);

describe('DynamoDB at scale (DynamoDB Local)', () => {
  it('counts 20,000 distinct bookings of one event, once each, with the event item unchanged in size', async () => {
    const table = await createEventsTable('count');
    const documents = createDocumentClient(local.client);
    const events = new DynamoEventRepository(documents, table);
    const event = catalogueEvent(0);
    expect(await events.add(event)).toBe('added');
    const storedItem = async () => (await documents.send(new GetCommand({ TableName: table, Key: { pk: `EVENT#${event.id}`, sk: 'EVENT' }, ConsistentRead: true }))).Item;
    const before = await storedItem();

    const bookings = Array.from({ length: 20_000 }, (_, index) => ({ id: randomUUID(), seats: (index % 3) + 1 }));
    let next = 0;
    const outcomes = new Map<string, number>();
    // Two at a time: DynamoDB Local runs transactions one by one, and more contenders only add lock waits
    // (measured: ~4 ms per transaction alone, three times that with 16); concurrency itself is in the contract suite.
    await Promise.all(
      Array.from({ length: 2 }, async () => {
        for (let booking = bookings[next++]; booking !== undefined; booking = bookings[next++]) {
          const outcome = await events.applyBooking(event.id, booking.id, booking.seats);
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        }
      }),
    );
    const seats = bookings.reduce((sum, booking) => sum + booking.seats, 0);
    expect(Object.fromEntries(outcomes)).toEqual({ applied: 20_000 });
    expect((await events.get(event.id))?.seatsBooked).toBe(seats);

    // The item is the one stored at creation, with only the count changed: nothing grows with bookings.
    const after = await storedItem();
    expect(after).toEqual({ ...before, seatsBooked: seats });
    expect(JSON.stringify(after).length - JSON.stringify(before).length).toBe(String(seats).length - 1);

    // A redelivered EventBooked, even long after, counts once.
    const first = bookings[0]!;
    expect(await events.applyBooking(event.id, first.id, first.seats)).toBe('already-applied');
    expect((await events.get(event.id))?.seatsBooked).toBe(seats);
  }, 600_000);

  it('reads a bounded number of items for a page of events, with 10 or 10,000 stored', async () => {
    const limit = 50;
    const bound = SHARDS * (limit + 1) + limit; // keys from every shard of the index, then the page's items
    const readings: Record<number, number[]> = {};
    for (const count of [10, 10_000]) {
      const table = await createEventsTable(`page${count}`);
      const stored = await seedEvents(local.client, table, count);
      const inOrder = [...stored].sort((a, b) => Date.parse(a.startDate) - Date.parse(b.startDate));
      const events = new DynamoEventRepository(createDocumentClient(local.client), table);

      // The first page, and for 10,000 the 101st (from the middle of the list), each read alone.
      readings[count] = [];
      let cursor: string | undefined;
      for (let pageNumber = 1; pageNumber <= 101; pageNumber += 1) {
        log.length = 0;
        const page = await events.list({ limit, cursor });
        if (pageNumber === 1 || pageNumber === 101) {
          readings[count].push(itemsRead(log));
          expect(page.items).toEqual(inOrder.slice((pageNumber - 1) * limit, pageNumber * limit));
        }
        cursor = page.cursor;
        if (cursor === undefined) break;
      }
    }
    // 10 events: 10 keys from the index and the 10 items; 10,000: at most SHARDS x 51 keys and 50 items, on any page.
    expect(readings[10]).toEqual([20]);
    expect(readings[10_000]).toHaveLength(2);
    for (const read of readings[10_000]!) expect(read).toBeLessThanOrEqual(bound);
  }, 180_000);
});
