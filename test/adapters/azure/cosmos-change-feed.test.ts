import { randomUUID } from 'node:crypto';
import type { Container } from '@azure/cosmos';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamoDbRecordToChange, changeStreamTrigger } from '../../../adapters/aws/change-stream-trigger.js';
import { lambdaLog } from '../../../adapters/aws/logger.js';
import { changeStreamTriggerOptions, cosmosDocumentToChange } from '../../../adapters/azure/change-stream-trigger.js';
import { CosmosBookingRepository } from '../../../adapters/azure/cosmos/booking-repository.js';
import { ensureContainers, type ContainerName } from '../../../adapters/azure/cosmos/containers.js';
import { CosmosEventRepository } from '../../../adapters/azure/cosmos/event-repository.js';
import { CosmosLocationRepository } from '../../../adapters/azure/cosmos/location-repository.js';
import { CosmosPlayerRepository } from '../../../adapters/azure/cosmos/player-repository.js';
import { MemoryGameMapRepository } from '../../../adapters/memory/repositories.js';
import { bookingSchema } from '../../../functions/domain/booking.js';
import { eventSchema } from '../../../functions/domain/event.js';
import { locationSchema } from '../../../functions/domain/location.js';
import { playerSchema } from '../../../functions/domain/player.js';
import { bookingsOutbox } from '../../../functions/streams/bookings-outbox.js';
import { eventsOutbox } from '../../../functions/streams/events-outbox.js';
import { placePlayers } from '../../../functions/streams/place-players.js';
import { invocationContext } from '../../support/azure-context.js';
import { startCosmosServer, type CosmosServer } from '../../support/cosmosdb-server.js';
import { fixedClock, RecordingPublisher } from '../../support/doubles.js';
import { lambdaContext } from '../../support/lambda-context.js';
import { loadEvent } from '../../support/load-event.js';

/**
 * The change-feed functions on Azure against the same facts as the AWS stream fixtures: the fact of each
 * fixture is written through the Cosmos repositories (on cosmosdb-server), every document of the
 * container is read back and handed to the registered handler as one change-feed batch (cosmosdb-server
 * has no change feed), and what comes out — messages, game map — must equal what the AWS adapter
 * makes of the fixture.
 */
let server: CosmosServer | undefined;
let containers: Record<ContainerName, Container>;

beforeAll(async () => {
  server = await startCosmosServer();
  containers = await ensureContainers(server.client, `feed-${randomUUID().slice(0, 8)}`);
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined);
}, 30_000);

afterAll(async () => {
  await server?.stop();
}, 15_000);

/** The fixture's single record, as the neutral change AWS makes of it. */
const awsChange = (fixture: string) => {
  const record = loadEvent<DynamoDBStreamEvent>(`aws/dynamodb-stream/${fixture}`).Records[0];
  if (record === undefined) throw new Error(`${fixture} has no record`);
  return dynamoDbRecordToChange(record);
};

/** Every document of a container: what a change feed read from the beginning delivers (latest versions). */
async function feedOf(container: Container): Promise<Record<string, unknown>[]> {
  const { resources } = await container.items.query<Record<string, unknown>>('SELECT * FROM c').fetchAll();
  return resources;
}

async function onAws<Deps>(fixture: string, handler: Parameters<typeof changeStreamTrigger<Deps>>[0], deps: Deps) {
  const result = await changeStreamTrigger(handler, deps)(loadEvent<DynamoDBStreamEvent>(`aws/dynamodb-stream/${fixture}`), lambdaContext());
  expect(result).toEqual({ batchItemFailures: [] });
}

async function onAzure(documents: Record<string, unknown>[], options: { handler: unknown }) {
  await (options.handler as (documents: unknown[], context: ReturnType<typeof invocationContext>) => Promise<void>)(documents, invocationContext());
}

describe('Cosmos DB change feed → the same messages and state as the DynamoDB stream', () => {
  it('eventsOutbox: a stored location and event announce LocationCreated and EventCreated, helper documents nothing', async () => {
    // Prepare
    const location = locationSchema.parse(awsChange('events-table-insert-location.json').after);
    const event = eventSchema.parse(awsChange('events-table-insert-event.json').after);
    await new CosmosLocationRepository(containers.events).add(location);
    await new CosmosEventRepository(containers.events).add(event);
    const aws = new RecordingPublisher();
    const azure = new RecordingPublisher();
    // Act
    await onAws('events-table-insert-location.json', eventsOutbox, { publisher: aws, clock: fixedClock() });
    await onAws('events-table-insert-event.json', eventsOutbox, { publisher: aws, clock: fixedClock() });
    const feed = await feedOf(containers.events);
    await onAzure(feed, changeStreamTriggerOptions({ containerName: 'events', leasePrefix: 'eventsOutbox-' }, eventsOutbox, { publisher: azure, clock: fixedClock() }));
    // Assess: the name marker is in the feed too, and announces nothing.
    expect(feed.map((document) => document['entity']).sort()).toEqual(['event', 'event-name', 'location']);
    expect(sortById(azure.published)).toEqual(sortById(aws.published));
    expect(aws.published.map((message) => message.type).sort()).toEqual(['EventCreated', 'LocationCreated']);
  });

  it('bookingsOutbox: a booking made through the repository announces EventBooked once; the known event and the key documents announce nothing', async () => {
    // Prepare
    const booking = bookingSchema.parse(awsChange('bookings-table-insert-booking.json').after);
    const repository = new CosmosBookingRepository(containers.bookings);
    await repository.rememberEvent({ eventId: booking.eventId, capacity: 10, seatsBooked: 0 });
    expect((await repository.book(booking, 'key-1')).outcome).toBe('booked');
    const aws = new RecordingPublisher();
    const azure = new RecordingPublisher();
    // Act
    await onAws('bookings-table-insert-booking.json', bookingsOutbox, { publisher: aws, clock: fixedClock() });
    const feed = await feedOf(containers.bookings);
    await onAzure(feed, changeStreamTriggerOptions({ containerName: 'bookings', leasePrefix: 'bookingsOutbox-' }, bookingsOutbox, { publisher: azure, clock: fixedClock() }));
    // Assess
    expect(feed.map((document) => document['entity']).sort()).toEqual(['booking', 'idempotency-claim', 'idempotency-key', 'known-event']);
    expect(azure.published).toEqual(aws.published);
    expect(aws.published.map((message) => message.type)).toEqual(['EventBooked']);
  });

  it('placePlayers: a new player is placed; a deleted one (a soft delete, which the feed does report) leaves the map', async () => {
    // Prepare: one player added, and another added then deleted, on Cosmos; the fixtures' player on AWS.
    const player = playerSchema.parse(awsChange('players-table-insert.json').after);
    const players = new CosmosPlayerRepository(containers.players);
    await players.add(player);
    const awsMap = new MemoryGameMapRepository();
    const azureMap = new MemoryGameMapRepository();
    // Act: the insert
    await onAws('players-table-insert.json', placePlayers, { gameMap: awsMap });
    const options = changeStreamTriggerOptions({ containerName: 'players', leasePrefix: 'placePlayers-' }, placePlayers, { gameMap: azureMap });
    await onAzure(await feedOf(containers.players), options);
    // Assess
    expect(await azureMap.list({ limit: 10 })).toEqual(await awsMap.list({ limit: 10 }));
    expect(await awsMap.position(player.id)).toEqual({ x: 0, y: 0 });

    // Act: the delete; the feed now carries the tombstone (and replays nothing else harmful).
    expect(await players.remove(player.id)).toBe(true);
    await onAws('players-table-remove.json', placePlayers, { gameMap: awsMap });
    const feed = await feedOf(containers.players);
    await onAzure(feed, options);
    // Assess
    expect(feed.map(cosmosDocumentToChange).map((change) => change.kind)).toEqual(['remove']);
    expect(await azureMap.list({ limit: 10 })).toEqual({ items: [] });
    expect(await awsMap.list({ limit: 10 })).toEqual({ items: [] });
  });
});

describe('cosmosDocumentToChange', () => {
  it('reports a live document as an insert and a soft-deleted one as a remove with its last version', () => {
    const live = { id: 'p-1', pk: 'p-1', entity: 'player', name: 'Ada', _lsn: 7 };
    expect(cosmosDocumentToChange(live)).toEqual({ id: 'p-1/p-1@7', kind: 'insert', key: { id: 'p-1', pk: 'p-1' }, after: live });
    const deleted = { ...live, deleted: true, ttl: 604800, _lsn: 8 };
    expect(cosmosDocumentToChange(deleted)).toEqual({ id: 'p-1/p-1@8', kind: 'remove', key: { id: 'p-1', pk: 'p-1' }, before: deleted });
  });

  it('stops a batch at the first failing document and throws, so the retry policy replays the batch', async () => {
    const seen: string[] = [];
    const options = changeStreamTriggerOptions({ containerName: 'players', leasePrefix: 'test-' }, async (change) => {
      seen.push(String(change.key['id']));
      if (change.key['id'] === 'bad') throw new Error('cannot');
    }, {});
    await expect(onAzure([{ id: 'a', pk: 'a' }, { id: 'bad', pk: 'bad' }, { id: 'c', pk: 'c' }], options)).rejects.toThrow('cannot');
    expect(seen).toEqual(['a', 'bad']);
  });
});

function sortById<T extends { id: string }>(messages: T[]): T[] {
  return [...messages].sort((a, b) => a.id.localeCompare(b.id));
}
