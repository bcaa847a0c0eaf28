import { randomUUID } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CosmosBookingRepository, IDEMPOTENCY_TTL_SECONDS } from '../../../adapters/azure/cosmos/booking-repository.js';
import { ensureContainers, type ContainerName } from '../../../adapters/azure/cosmos/containers.js';
import { conditionalBatch, readDocument, stripSystemFields } from '../../../adapters/azure/cosmos/documents.js';
import { CosmosEventRepository, eventPartition } from '../../../adapters/azure/cosmos/event-repository.js';
import { CosmosPlayerRepository, PLAYER_TOMBSTONE_TTL_SECONDS } from '../../../adapters/azure/cosmos/player-repository.js';
import { MemoryBookingRepository } from '../../../adapters/memory/repositories.js';
import type { BookingRepository, BookOutcome } from '../../../functions/ports.js';
import { callerScopedKey } from '../../../functions/domain/booking.js';
import { startCosmosServer, type CosmosServer } from '../../support/cosmosdb-server.js';

/**
 * What the Cosmos DB documents look like, beyond the port contract: TTLs where documents must expire,
 * no document growing with bookings, every write in the partition of its own aggregate, and a
 * reservation that lost its IfMatch race leaving nothing behind. On cosmosdb-server, which stores TTLs
 * but never expires documents: expiry itself is Cosmos DB's and is not checked here.
 */
let server: CosmosServer | undefined;
let containers: Record<ContainerName, Container>;

beforeAll(async () => {
  server = await startCosmosServer();
  containers = await ensureContainers(server.client, `documents-${randomUUID().slice(0, 8)}`);
}, 30_000);

afterAll(async () => {
  await server?.stop();
}, 15_000);

const allOf = async (container: Container): Promise<Record<string, unknown>[]> => (await container.items.query<Record<string, unknown>>('SELECT * FROM c').fetchAll()).resources;

describe('Cosmos DB documents', () => {
  it('gives idempotency keys and deleted players a ttl of their own, in containers with TTL turned on', async () => {
    // Prepare
    const bookings = new CosmosBookingRepository(containers.bookings);
    const players = new CosmosPlayerRepository(containers.players);
    const eventId = `ev-${randomUUID()}`;
    await bookings.rememberEvent({ eventId, capacity: 5, seatsBooked: 0 });
    // Act
    await bookings.book({ id: `bk-${randomUUID()}`, eventId, seats: 1, createdAt: '2026-05-01T10:00:00.000Z', owner: 'user-1' }, 'a key/with?odd#characters');
    const playerId = `pl-${randomUUID()}`;
    await players.add({ id: playerId, name: 'Grace', owner: 'user-1' });
    await players.remove(playerId);
    // Assess
    for (const container of [containers.bookings, containers.players]) expect((await container.read()).resource?.defaultTtl).toBe(-1);
    const key = (await allOf(containers.bookings)).find((document) => document['entity'] === 'idempotency-key');
    // Stored with its caller's sub (callerScopedKey): another caller's same key is another document.
    expect(key).toMatchObject({ pk: eventId, key: callerScopedKey('user-1', 'a key/with?odd#characters'), ttl: IDEMPOTENCY_TTL_SECONDS });
    expect(String(key?.['id'])).toMatch(/^idempotency:sha256:[0-9a-f]{64}$/);
    expect(await readDocument(containers.players, playerId, playerId)).toMatchObject({ entity: 'player', name: 'Grace', deleted: true, ttl: PLAYER_TOMBSTONE_TTL_SECONDS });
  });

  it("keeps the known event and the event the same shape however many bookings there are, every write in the event's partition", async () => {
    // Prepare
    const bookings = new CosmosBookingRepository(containers.bookings);
    const events = new CosmosEventRepository(containers.events);
    const eventId = `ev-${randomUUID()}`;
    await bookings.rememberEvent({ eventId, capacity: 50, seatsBooked: 0 });
    await events.add({ id: eventId, name: `Opera ${randomUUID()}`, duration: 180, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: 'loc-1', hall: 'Main', capacity: 50, seatsBooked: 0 });
    const shape = async () => ({
      knownEvent: Object.keys(stripSystemFields((await readDocument(containers.bookings, 'known-event', eventId)) ?? {})).sort(),
      event: Object.keys(stripSystemFields((await readDocument(containers.events, eventId, eventPartition(eventId))) ?? {})).sort(),
    });
    const before = await shape();
    // Act
    for (let index = 0; index < 20; index += 1) {
      const bookingId = `bk-${randomUUID()}`;
      await bookings.book({ id: bookingId, eventId, seats: 1, createdAt: `2026-05-01T10:00:${String(index).padStart(2, '0')}.000Z`, owner: 'user-1' });
      await events.applyBooking(eventId, bookingId, 1);
    }
    // Assess
    expect(await shape()).toEqual(before);
    expect((await bookings.getEvent(eventId))?.seatsBooked).toBe(20);
    expect((await events.get(eventId))?.seatsBooked).toBe(20);
    const written = [...(await allOf(containers.bookings)), ...(await allOf(containers.events))].filter((document) => String(document['pk']).includes(eventId));
    expect(new Set(written.map((document) => document['pk']))).toEqual(new Set([eventId, eventPartition(eventId)]));
    expect(written).toHaveLength(1 + 20 + 1 + 20); // known event + bookings, event + applied markers
  });

  it('a batch that lost its IfMatch race writes nothing, on cosmosdb-server too (its batches are atomic only this way)', async () => {
    // Prepare: the known event read, then changed by a booking in between.
    const bookings = new CosmosBookingRepository(containers.bookings);
    const eventId = `ev-${randomUUID()}`;
    await bookings.rememberEvent({ eventId, capacity: 5, seatsBooked: 0 });
    const stale = await readDocument(containers.bookings, 'known-event', eventId);
    await bookings.book({ id: `bk-${randomUUID()}`, eventId, seats: 1, createdAt: '2026-05-01T10:00:00.000Z', owner: 'user-1' });
    // Act
    const outcome = await conditionalBatch(containers.bookings, eventId, [
      { operationType: 'Replace', id: 'known-event', ifMatch: String(stale?._etag), resourceBody: { ...stripSystemFields(stale ?? {}), seatsBooked: 1 } },
      { operationType: 'Create', resourceBody: { id: 'bk-phantom', pk: eventId, entity: 'booking', eventId, seats: 1, createdAt: '2026-05-01T10:00:01.000Z', owner: 'user-1' } },
    ]);
    // Assess
    expect(outcome).toBe('precondition-failed');
    expect(await readDocument(containers.bookings, 'bk-phantom', eventId)).toBeUndefined();
    expect((await bookings.getEvent(eventId))?.seatsBooked).toBe(1);
  });

  it('answers a key reused for another event with its first booking, and frees the key of a refused booking, as the in-memory (and AWS) repositories do', async () => {
    // Prepare: the same story for Cosmos DB and for the in-memory reference.
    const story = async (bookings: BookingRepository): Promise<string[]> => {
      const [first, second, full] = [`ev-${randomUUID()}`, `ev-${randomUUID()}`, `ev-${randomUUID()}`];
      await bookings.rememberEvent({ eventId: first, capacity: 5, seatsBooked: 0 });
      await bookings.rememberEvent({ eventId: second, capacity: 5, seatsBooked: 0 });
      await bookings.rememberEvent({ eventId: full, capacity: 1, seatsBooked: 0 });
      const booking = (eventId: string, seats = 1) => ({ id: `bk-${randomUUID()}`, eventId, seats, createdAt: '2026-05-01T10:00:00.000Z', owner: 'user-1' });
      const describe = (outcome: BookOutcome): string =>
        outcome.outcome === 'booked' || outcome.outcome === 'replayed' ? `${outcome.outcome} ${outcome.booking.eventId === first ? 'first' : outcome.booking.eventId === second ? 'second' : 'full'}` : outcome.outcome;
      return [
        describe(await bookings.book(booking(first), 'key-a')),
        describe(await bookings.book(booking(second), 'key-a')), // reused for another event: the first booking
        describe(await bookings.book(booking(full, 2), 'key-b')), // refused: the key stays free
        describe(await bookings.book(booking(second), 'key-b')),
        `${(await bookings.getEvent(second))?.seatsBooked} seat(s) on second`,
      ];
    };
    // Act
    const onCosmos = await story(new CosmosBookingRepository(containers.bookings));
    const inMemory = await story(new MemoryBookingRepository());
    // Assess
    expect(onCosmos).toEqual(['booked first', 'replayed first', 'insufficient-seats', 'booked second', '1 seat(s) on second']);
    expect(onCosmos).toEqual(inMemory);
  });
});
