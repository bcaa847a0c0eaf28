import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createDocumentClient } from '../../adapters/aws/dynamodb/document-client.js';
import { eventItem } from '../../adapters/aws/dynamodb/event-repository.js';
import type { Event } from '../../functions/domain/event.js';

/** Event number `index` of a large catalogue: one an hour from 2027 on, written with an explicit offset. */
export const catalogueEvent = (index: number): Event => ({
  id: randomUUID(),
  name: `Concert ${index}`,
  duration: 120,
  startDate: new Date(Date.UTC(2027, 0, 1) + index * 3_600_000).toISOString().replace('Z', '+00:00'),
  endDate: '2030-01-01T00:00:00Z',
  locationId: 'loc-1',
  hall: 'Main',
  capacity: 1_000_000,
  seatsBooked: 0,
});

/**
 * Stores `count` events as the repository stores them (its own item builder), 25 per BatchWriteItem
 * and 8 requests at a time: 10,000 events through `add` (a transaction each) would take minutes on
 * DynamoDB Local. Name markers are left out: nothing here looks events up by name.
 */
export async function seedEvents(client: DynamoDBClient, tableName: string, count: number): Promise<Event[]> {
  const documents = createDocumentClient(client);
  const events = Array.from({ length: count }, (_, index) => catalogueEvent(index));
  const batches = Array.from({ length: Math.ceil(count / 25) }, (_, index) => events.slice(index * 25, index * 25 + 25));
  for (let start = 0; start < batches.length; start += 8) {
    await Promise.all(
      batches.slice(start, start + 8).map(async (batch) => {
        let pending: Record<string, unknown>[] = batch.map((event) => ({ PutRequest: { Item: eventItem(event) } }));
        while (pending.length > 0) {
          const { UnprocessedItems } = await documents.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending } }));
          pending = (UnprocessedItems?.[tableName] ?? []) as Record<string, unknown>[];
        }
      }),
    );
  }
  return events;
}
