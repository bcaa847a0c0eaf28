import { createHash } from 'node:crypto';
import { marshall } from '@aws-sdk/util-dynamodb';
import { google } from '@skunkteam/google-cloudevents-firestore';
import type { AttributeValue as LambdaAttributeValue, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { changeStreamTrigger as awsChangeStreamTrigger, dynamoDbRecordToChange } from '../../adapters/aws/change-stream-trigger.js';
import { lambdaLog } from '../../adapters/aws/logger.js';
import { queueTrigger as awsQueueTrigger } from '../../adapters/aws/queue-trigger.js';
import { changeStreamTrigger as azureChangeStreamTrigger, cosmosDocumentToChange } from '../../adapters/azure/change-stream-trigger.js';
import { queueTrigger as azureQueueTrigger } from '../../adapters/azure/queue-trigger.js';
import { changeStreamTrigger as gcpChangeStreamTrigger, firestoreEventToChange } from '../../adapters/gcp/change-stream-trigger.js';
import { queueTrigger as gcpQueueTrigger } from '../../adapters/gcp/queue-trigger.js';
import { MemoryBookingRepository, MemoryGameMapRepository } from '../../adapters/memory/repositories.js';
import { functionCatalogue } from '../../functions/catalogue.js';
import type { DomainEvent } from '../../functions/domain/domain-events.js';
import type { MessageHandler } from '../../functions/queues/contract.js';
import type { ChangeHandler, ChangeRecord } from '../../functions/streams/contract.js';
import { invocationContext } from '../support/azure-context.js';
import { fixedClock, RecordingPublisher } from '../support/doubles.js';
import { lambdaContext } from '../support/lambda-context.js';
import { firestoreFields } from '../support/firestore-fields.js';

/**
 * The same logical change, written as each platform's change-stream payload (a DynamoDB Streams
 * record, a Cosmos DB change-feed document, a Firestore protobuf CloudEvent, each with the keys its
 * repositories add), and the same domain event as each platform's queue message (SQS, Storage Queue,
 * Pub/Sub): each goes through the platform's real handler into the same core function over in-memory
 * ports, and must give the same neutral record, the same published messages and the same state.
 */

type Platform = 'aws' | 'azure' | 'gcp';
const PLATFORMS: Platform[] = ['aws', 'azure', 'gcp'];

interface LogicalChange {
  name: string;
  fn: 'eventsOutbox' | 'bookingsOutbox' | 'placePlayers';
  kind: 'insert' | 'remove';
  /** The stored domain document (with its entity tag), as every platform's repositories write it. */
  document: Record<string, unknown>;
}

const PLAYER = { entity: 'player', id: 'f2bc48cc-ddc5-444a-bbe8-0678e1703ef3', name: 'Ada' };
const CHANGES: LogicalChange[] = [
  {
    name: 'location inserted',
    fn: 'eventsOutbox',
    kind: 'insert',
    document: { entity: 'location', id: '650bdfd0-9e44-43fb-b882-c7176da35917', name: 'Olympiastadion', address: 'Olympischer Platz 3', country: 'DE', openTime: 8, closeTime: 23, halls: [{ name: 'Main', location: 'ground floor', capacity: 10 }] },
  },
  {
    name: 'event inserted',
    fn: 'eventsOutbox',
    kind: 'insert',
    document: { entity: 'event', id: 'f604e4eb-0809-483a-82da-68930b347b2b', name: 'Opera Aida', duration: 180, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: '650bdfd0-9e44-43fb-b882-c7176da35917', hall: 'Main', capacity: 10, seatsBooked: 0 },
  },
  {
    name: 'booking inserted',
    fn: 'bookingsOutbox',
    kind: 'insert',
    document: { entity: 'booking', id: '6ecc871e-03a5-4fd1-bedd-dc8a0c93c496', eventId: 'f604e4eb-0809-483a-82da-68930b347b2b', seats: 2, createdAt: '2026-05-01T10:15:42.318Z' },
  },
  { name: 'player inserted', fn: 'placePlayers', kind: 'insert', document: PLAYER },
  { name: 'player deleted', fn: 'placePlayers', kind: 'remove', document: PLAYER },
];

/** The keys each platform's repositories add to a stored document (adapters/aws/dynamodb, adapters/azure/cosmos, adapters/gcp/firestore). */
const storedOn: Record<Platform, (change: LogicalChange) => Record<string, unknown>> = {
  aws: ({ document }) => ({ pk: `${String(document['entity']).toUpperCase()}#${String(document['id'])}`, sk: String(document['entity']).toUpperCase(), ...document }),
  azure: ({ document, kind }) => ({
    ...document,
    pk: `${String(document['entity'])}:${String(document['id'])}`,
    _rid: 'q1ZrAOo0xVQBAAAAAAAAAA==',
    _etag: '"0200d21a-0000-0d00-0000-69f47a960000"',
    _ts: 1777629846,
    _lsn: 3,
    // The latest-version change feed never shows a delete: the repository marks the document and lets TTL remove it.
    ...(kind === 'remove' ? { deleted: true, ttl: 604800 } : {}),
  }),
  gcp: ({ document }) => ({ ...document, listName: String(document['entity']), listPosition: String(document['id']) }),
};
const PLATFORM_KEYS = ['pk', 'sk', '_rid', '_etag', '_ts', '_lsn', 'deleted', 'ttl', 'listName', 'listPosition'];
const withoutPlatformKeys = (document: Record<string, unknown> | undefined) =>
  document === undefined ? undefined : Object.fromEntries(Object.entries(document).filter(([key]) => !PLATFORM_KEYS.includes(key)));


const dynamoImage = (document: Record<string, unknown>) => marshall(document) as Record<string, LambdaAttributeValue>;
function streamRecord(change: LogicalChange): DynamoDBStreamEvent {
  const stored = storedOn.aws(change);
  const image = dynamoImage(stored);
  return {
    Records: [
      {
        eventID: createHash('md5').update(change.name).digest('hex'),
        eventName: change.kind === 'insert' ? 'INSERT' : 'REMOVE',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        dynamodb: {
          Keys: dynamoImage({ pk: stored['pk'], sk: stored['sk'] }),
          ...(change.kind === 'insert' ? { NewImage: image } : { OldImage: image }),
          SequenceNumber: '100000000000000000001',
          SizeBytes: 200,
          StreamViewType: 'NEW_AND_OLD_IMAGES',
        },
        eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/myevents-test-events/stream/2026-05-01T00:00:00.000',
      },
    ],
  };
}
function firestoreEvent(change: LogicalChange) {
  const name = `projects/p/databases/(default)/documents/${functionCatalogue[change.fn].store}/${String(change.document['id'])}`;
  const written = { name, fields: firestoreFields(storedOn.gcp(change)) };
  const data = google.events.cloud.firestore.v1.DocumentEventData.encode(change.kind === 'insert' ? { value: written } : { oldValue: written }).finish();
  return { id: `${change.name}-1`, type: 'google.cloud.firestore.document.v1.written', source: '//firestore.googleapis.com/projects/p/databases/(default)', subject: `documents/${name.split('/documents/')[1]}`, data };
}

/** The platform's translation alone: payload → neutral change record. */
const toChange: Record<Platform, (change: LogicalChange) => ChangeRecord> = {
  aws: (change) => dynamoDbRecordToChange(streamRecord(change).Records[0]!),
  azure: (change) => cosmosDocumentToChange(storedOn.azure(change)),
  gcp: (change) => firestoreEventToChange(firestoreEvent(change)),
};

interface World {
  published: DomainEvent[];
  map: unknown;
}

/** The platform's whole handler, over in-memory ports: what it published and what the map holds afterwards. */
async function runOn(platform: Platform, changes: LogicalChange[]): Promise<World> {
  const publisher = new RecordingPublisher();
  const gameMap = new MemoryGameMapRepository();
  const deps = { publisher, clock: fixedClock(), gameMap };
  for (const change of changes) {
    const handleChange = functionCatalogue[change.fn].handler as ChangeHandler<typeof deps>;
    if (platform === 'aws') {
      const response = await awsChangeStreamTrigger(handleChange, deps)(streamRecord(change), lambdaContext(change.fn));
      expect(response.batchItemFailures).toEqual([]);
    } else if (platform === 'azure') {
      await azureChangeStreamTrigger(handleChange, deps)([storedOn.azure(change)], invocationContext({ functionName: change.fn }));
    } else {
      await gcpChangeStreamTrigger(handleChange, deps)(firestoreEvent(change));
    }
  }
  return { published: publisher.published, map: await gameMap.list({ limit: 100 }) };
}

const DOMAIN_EVENT = {
  id: 'EventCreated/f604e4eb-0809-483a-82da-68930b347b2b',
  type: 'EventCreated',
  source: '/myevents/events-service',
  time: '2026-05-01T10:04:07.112Z',
  data: { id: 'f604e4eb-0809-483a-82da-68930b347b2b', name: 'Opera Aida', startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: '650bdfd0-9e44-43fb-b882-c7176da35917', hall: 'Main', capacity: 10 },
};
const SECOND_EVENT = { ...DOMAIN_EVENT, id: 'EventCreated/3424fdcc-9c60-44d1-a689-d55f45201a6f', data: { ...DOMAIN_EVENT.data, id: '3424fdcc-9c60-44d1-a689-d55f45201a6f', name: 'Tosca' } };
/** Between two good messages, one that can never be processed: not JSON. */
const BATCH = [JSON.stringify(DOMAIN_EVENT), '{"type": "EventCreated", ', JSON.stringify(SECOND_EVENT)];

/** Delivers BATCH to bookingsConsumer the platform's way; answers which messages failed and what the booking service knows. */
async function consumeOn(platform: Platform): Promise<{ failed: number[]; known: unknown[]; received: unknown[] }> {
  const bookings = new MemoryBookingRepository();
  const deps = { bookings };
  // The message as the consumer receives it: the body as data (JSON text may be re-serialised on the way), or the text.
  const received: unknown[] = [];
  const handler: MessageHandler<typeof deps> = (message, ports) => {
    received.push(parsedOrText(message.body));
    return functionCatalogue.bookingsConsumer.handler(message, ports);
  };
  const failed: number[] = [];
  if (platform === 'aws') {
    // One SQS batch: the failure is reported per message (ReportBatchItemFailures).
    const event: SQSEvent = {
      Records: BATCH.map((body, index) => ({
        messageId: `m-${index}`,
        receiptHandle: `r-${index}`,
        body,
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1777629847000', SenderId: 'AROA', ApproximateFirstReceiveTimestamp: '1777629847000' },
        messageAttributes: {},
        md5OfBody: createHash('md5').update(body).digest('hex'),
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:myevents-test-bookings',
        awsRegion: 'us-east-1',
      })),
    };
    const response = await awsQueueTrigger(handler, deps)(event, lambdaContext('bookingsConsumer'));
    failed.push(...(response?.batchItemFailures ?? []).map((failure) => Number(failure.itemIdentifier.slice(2))));
  } else {
    // Storage Queue and Pub/Sub deliver one message per invocation: a failure throws, for that message alone.
    for (const [index, body] of BATCH.entries()) {
      const deliver =
        platform === 'azure'
          ? // The host hands a JSON text over parsed, anything else as text.
            () => azureQueueTrigger(handler, deps)(parsedOrText(body), invocationContext({ functionName: 'bookingsConsumer', triggerMetadata: { id: `m-${index}`, dequeueCount: 1 } }))
          : () =>
              gcpQueueTrigger(handler, deps)({
                id: `m-${index}`,
                type: 'google.cloud.pubsub.topic.v1.messagePublished',
                source: '//pubsub.googleapis.com/projects/p/topics/bookings',
                data: { message: { data: Buffer.from(body).toString('base64'), messageId: `m-${index}`, attributes: {} } },
              });
      await deliver().catch(() => failed.push(index));
    }
  }
  const known = await Promise.all([DOMAIN_EVENT.data.id, SECOND_EVENT.data.id, 'never-known'].map((id) => bookings.getEvent(id)));
  return { failed, known, received };
}
const parsedOrText = (body: string): unknown => {
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
};

beforeAll(() => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true); // the GCP adapters' log lines
});
afterAll(() => vi.restoreAllMocks());

describe('change records: the same logical change on every platform', () => {
  it.each(CHANGES.map((change) => [change.name, change] as const))('%s: the same neutral record (kind, document) from every platform', (_name, change) => {
    const records = PLATFORMS.map((platform) => {
      const record = toChange[platform](change);
      return { platform, kind: record.kind, before: withoutPlatformKeys(record.before), after: withoutPlatformKeys(record.after) };
    });
    const expected = change.kind === 'insert' ? { kind: 'insert', before: undefined, after: change.document } : { kind: 'remove', before: change.document, after: undefined };
    for (const record of records) expect(record, record.platform).toEqual({ platform: record.platform, ...expected });
  });

  it('the whole sequence leads to the same published messages and the same map on every platform', async () => {
    const worlds = await Promise.all(PLATFORMS.map((platform) => runOn(platform, CHANGES)));
    const [aws] = worlds;
    expect(aws?.published.map((event) => event.type)).toEqual(['LocationCreated', 'EventCreated', 'EventBooked']);
    for (const [index, world] of worlds.entries()) expect(world, PLATFORMS[index]).toEqual(aws);
  });

  it('a player inserted is placed at the start position on every platform', async () => {
    const worlds = await Promise.all(PLATFORMS.map((platform) => runOn(platform, CHANGES.filter((change) => change.name === 'player inserted'))));
    for (const world of worlds) expect(world.map).toEqual({ items: [{ id: PLAYER.id, name: PLAYER.name, position: { x: 0, y: 0 } }] });
  });
});

describe('queue messages: the same domain event through SQS, Storage Queue and Pub/Sub', () => {
  it.each(PLATFORMS)('%s: the good messages are applied and the poison one fails alone', async (platform) => {
    const outcome = await consumeOn(platform);
    expect(outcome.failed).toEqual([1]);
    expect(outcome.known).toEqual([
      { eventId: DOMAIN_EVENT.data.id, capacity: 10, seatsBooked: 0 },
      { eventId: SECOND_EVENT.data.id, capacity: 10, seatsBooked: 0 },
      undefined,
    ]);
    expect(outcome.received).toEqual(BATCH.map(parsedOrText));
  });
});
