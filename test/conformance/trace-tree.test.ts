import type { Container } from '@azure/cosmos';
import type { QueueClient } from '@azure/storage-queue';
import type { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { GetCommand, PutCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { Firestore } from '@google-cloud/firestore';
import type { Topic } from '@google-cloud/pubsub';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { google } from '@skunkteam/google-cloudevents-firestore';
import type { AttributeValue as LambdaAttributeValue, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { changeStreamTrigger as awsChangeStreamTrigger } from '../../adapters/aws/change-stream-trigger.js';
import { DynamoBookingRepository } from '../../adapters/aws/dynamodb/booking-repository.js';
import { DynamoEventRepository } from '../../adapters/aws/dynamodb/event-repository.js';
import { DynamoPlayerRepository } from '../../adapters/aws/dynamodb/player-repository.js';
import { lambdaLog } from '../../adapters/aws/logger.js';
import { queueTrigger as awsQueueTrigger } from '../../adapters/aws/queue-trigger.js';
import { SqsPublisher } from '../../adapters/aws/sqs-publisher.js';
import { changeStreamTrigger as azureChangeStreamTrigger } from '../../adapters/azure/change-stream-trigger.js';
import { CosmosBookingRepository } from '../../adapters/azure/cosmos/booking-repository.js';
import { CosmosEventRepository } from '../../adapters/azure/cosmos/event-repository.js';
import { CosmosPlayerRepository } from '../../adapters/azure/cosmos/player-repository.js';
import { queueTrigger as azureQueueTrigger } from '../../adapters/azure/queue-trigger.js';
import { StorageQueuePublisher } from '../../adapters/azure/storage-queue-publisher.js';
import { changeStreamTrigger as gcpChangeStreamTrigger } from '../../adapters/gcp/change-stream-trigger.js';
import { FirestoreBookingRepository } from '../../adapters/gcp/firestore/booking-repository.js';
import { FirestoreEventRepository } from '../../adapters/gcp/firestore/event-repository.js';
import { FirestorePlayerRepository } from '../../adapters/gcp/firestore/player-repository.js';
import { PubSubPublisher } from '../../adapters/gcp/pubsub-publisher.js';
import { queueTrigger as gcpQueueTrigger } from '../../adapters/gcp/queue-trigger.js';
import { createLocalApp } from '../../adapters/local/local-app.js';
import { MemoryBookingRepository, MemoryEventRepository, MemoryGameMapRepository, MemoryLocationRepository } from '../../adapters/memory/repositories.js';
import { silentLogger } from '../../adapters/shared/json-logger.js';
import { parseTraceparent } from '../../adapters/shared/trace-context.js';
import { HOP_ATTRIBUTES } from '../../adapters/shared/tracing.js';
import { systemClock, randomIds } from '../../adapters/shared/system.js';
import { functionCatalogue, type ChangeStreamFunctionSpec, type QueueFunctionSpec, type QueueName, type StoreName } from '../../functions/catalogue.js';
import type { Event } from '../../functions/domain/event.js';
import type { Location } from '../../functions/domain/location.js';
import type { Clock, GameMapRepository, Publisher } from '../../functions/ports.js';
import type { MessageHandler } from '../../functions/queues/contract.js';
import type { HttpFunctionDeps } from '../../functions/routes.js';
import type { ChangeHandler } from '../../functions/streams/contract.js';
import { invocationContext } from '../support/azure-context.js';
import { lambdaContext } from '../support/lambda-context.js';
import { ADMIN_AUTHORIZATION, USER_AUTHORIZATION } from '../support/tokens.js';
import { startCloudDriver, startDriver, type ScenarioRequest } from './http-drivers.js';
import { firestoreFields } from '../support/firestore-fields.js';

/**
 * The span tree of one request through each platform's real adapters, with OpenTelemetry's SDK
 * registered and an in-memory exporter (issue 22): the HTTP span, the stored change (the item the
 * platform's repository wrote, with its `traceparent`) handed to the platform's change-stream trigger,
 * the outbox's message (published by the platform's publisher, with its `traceparent`) handed to the
 * platform's queue trigger, one trace, and the same tree on AWS, Azure, GCP and memory mode.
 *
 * Cloud platforms: the platform's HTTP adapter (the conformance drivers) over the platform's own
 * repositories, whose engine client is a recording stand-in (the engines themselves are exercised by
 * test/contract/); each stored item becomes the payload the platform's stream delivers (a DynamoDB
 * Streams INSERT record, a Cosmos DB change-feed document, a Firestore protobuf CloudEvent), and each
 * message sent becomes the payload its queue delivers (an SQS record, a Storage Queue item as the
 * host hands it over, a Pub/Sub CloudEvent). Memory mode: the whole app, as `npm run start:memory`
 * runs it, behind its HTTP server.
 *
 * What the tree compares: the hops that carried the request, from the HTTP span to the last function.
 * A change that carries the trace but leads nowhere (a record the outbox ignores: the known event's
 * seat counter, a name marker, a consumer's own write) is a leaf change-stream span of the same trace;
 * memory mode delivers all of them, the cloud drivers here only the items their stand-ins saw as
 * writes (DynamoDB and Firestore updates have no item to replay), so such leaves are left out.
 */

type CloudPlatform = 'aws' | 'azure' | 'gcp';
type Platform = CloudPlatform | 'memory';
const PLATFORMS: Platform[] = ['aws', 'azure', 'gcp', 'memory'];

const exporter = new InMemorySpanExporter();
beforeAll(() => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true); // the GCP and memory adapters' log lines
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});
afterAll(() => {
  trace.disable();
  vi.restoreAllMocks();
});

const LOCATION: Location = { id: 'b0d4a6c2-6f7e-4d0c-9a55-1f7b0a3c2e11', name: 'Olympiastadion', address: 'Olympischer Platz 3', country: 'DE', openTime: 8, closeTime: 23, halls: [{ name: 'Main', location: 'ground floor', capacity: 10 }] };
const EVENT_FIELDS = { name: 'Opera Aida', duration: 180, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: LOCATION.id, hall: 'Main' };
const EVENT: Event = { id: 'c5e1f0a8-3b2d-4c6e-8f9a-0d1e2f3a4b5c', ...EVENT_FIELDS, name: 'Tosca', capacity: 10, seatsBooked: 0 };

/** One request and the functions its trace must pass through, in order (each hop the child of the one before). */
interface Scenario {
  name: string;
  request: ScenarioRequest;
  /** The change-stream function of the store the request writes. */
  outbox: ChangeStreamFunctionSpec;
  /** The queue function that consumes what the outbox publishes, if it publishes. */
  consumer?: QueueFunctionSpec;
}

const json = { 'content-type': 'application/json' };
const SCENARIOS: Scenario[] = [
  {
    name: 'booking seats',
    request: { method: 'POST', url: `/events/${EVENT.id}/bookings`, headers: { ...json, authorization: USER_AUTHORIZATION }, body: JSON.stringify({ seats: 2 }) },
    outbox: functionCatalogue.bookingsOutbox,
    consumer: functionCatalogue.eventsConsumer,
  },
  {
    name: 'creating an event',
    request: { method: 'POST', url: '/events', headers: { ...json, authorization: ADMIN_AUTHORIZATION }, body: JSON.stringify(EVENT_FIELDS) },
    outbox: functionCatalogue.eventsOutbox,
    consumer: functionCatalogue.bookingsConsumer,
  },
  {
    name: 'creating a player',
    request: { method: 'POST', url: '/players', headers: { ...json, authorization: USER_AUTHORIZATION }, body: JSON.stringify({ name: 'Ada' }) },
    outbox: functionCatalogue.placePlayers,
  },
];

/** A span as the tree shows it: its function, its kind, whether it is linked to its parent (a message's producer). */
interface Hop {
  fn: unknown;
  kind: unknown;
  linkedToParent: boolean;
  children: Hop[];
}

/**
 * The spans as a tree, from the span without a parent among them; a change-stream span with no child is
 * left out unless it is the last hop expected (see the file's comment).
 */
function treeOf(spans: ReadableSpan[], lastFn: string): Hop[] {
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
  const nodesUnder = (parent: string | undefined): Hop[] =>
    spans
      .filter((span) => (parent === undefined ? !ids.has(parentOf(span) ?? '') : parentOf(span) === parent))
      .map((span) => ({
        fn: span.attributes['faas.name'],
        kind: span.attributes[HOP_ATTRIBUTES.kind],
        linkedToParent: span.links.some((link) => link.context.spanId === parentOf(span)),
        children: nodesUnder(span.spanContext().spanId),
      }))
      .filter((hop) => hop.kind !== 'change-stream' || hop.children.length > 0 || hop.fn === lastFn);
  return nodesUnder(undefined);
}

/** The tree a scenario must give on every platform: HTTP span → outbox span (child) → consumer span (child, linked). */
function expectedTree(scenario: Scenario): Hop[] {
  const consumer: Hop[] = scenario.consumer ? [{ fn: scenario.consumer.name, kind: 'queue', linkedToParent: true, children: [] }] : [];
  const outbox: Hop = { fn: scenario.outbox.name, kind: 'change-stream', linkedToParent: false, children: consumer };
  const http = Object.entries({ bookings: 'bookingsApi', events: 'eventsApi', players: 'playersApi' } as const).find(([store]) => store === scenario.outbox.store)?.[1];
  return [{ fn: http, kind: 'http', linkedToParent: false, children: [outbox] }];
}

/** What a cloud platform's stand-ins recorded: the items written per store, the messages sent per queue. */
interface Recorded {
  items: Record<StoreName, Record<string, unknown>[]>;
  sent: Record<QueueName, unknown[]>;
}
const emptyRecord = (): Recorded => ({ items: { events: [], bookings: [], players: [] }, sent: { events: [], bookings: [] } });

/** One cloud platform: its repositories over recording stand-ins, its publishers, and its stream and queue payloads. */
interface CloudHarness {
  repositories(recorded: Recorded): { events: HttpFunctionDeps['eventsApi']['events']; bookings: HttpFunctionDeps['bookingsApi']['bookings']; players: HttpFunctionDeps['playersApi']['players'] };
  publisher(recorded: Recorded, queue: QueueName): Publisher;
  /** Hands every recorded item of `store` to the platform's change-stream trigger of `fn`, in order. */
  deliverChanges<Deps>(fn: string, handler: ChangeHandler<Deps>, deps: Deps, items: Record<string, unknown>[], store: StoreName): Promise<void>;
  /** Hands every recorded message of `queue` to the platform's queue trigger of `fn`. */
  deliverMessages<Deps>(fn: string, handler: MessageHandler<Deps>, deps: Deps, sent: unknown[], queue: QueueName): Promise<void>;
}

/** DynamoDB: a document client that records the items of every Put (plain or in a transaction) and finds nothing. */
function recordingDocumentClient(recorded: Recorded, store: StoreName): DynamoDBDocumentClient {
  const send = (command: unknown) => {
    if (command instanceof PutCommand) {
      recorded.items[store].push(command.input.Item ?? {});
    } else if (command instanceof TransactWriteCommand) {
      for (const item of command.input.TransactItems ?? []) if (item.Put) recorded.items[store].push(item.Put.Item ?? {});
    } else if (!(command instanceof GetCommand)) {
      throw new Error(`unexpected command ${String(command)}`);
    }
    return Promise.resolve({});
  };
  return { send } as unknown as DynamoDBDocumentClient;
}

const lambdaImage = (item: Record<string, unknown>) => marshall(item, { removeUndefinedValues: true }) as Record<string, LambdaAttributeValue>;

const aws: CloudHarness = {
  repositories: (recorded) => ({
    events: new DynamoEventRepository(recordingDocumentClient(recorded, 'events'), 'events'),
    bookings: new DynamoBookingRepository(recordingDocumentClient(recorded, 'bookings'), 'bookings'),
    players: new DynamoPlayerRepository(recordingDocumentClient(recorded, 'players'), 'players'),
  }),
  publisher: (recorded, queue) => {
    const client = { send: (command: SendMessageCommand) => Promise.resolve(void recorded.sent[queue].push(command.input)) } as unknown as SQSClient;
    return new SqsPublisher(`https://sqs.us-east-1.amazonaws.com/123456789012/myevents-test-${queue}`, client);
  },
  async deliverChanges(fn, handler, deps, items, store) {
    const event: DynamoDBStreamEvent = {
      Records: items.map((item, index) => ({
        eventID: `e-${index}`,
        eventName: 'INSERT',
        eventVersion: '1.1',
        eventSource: 'aws:dynamodb',
        awsRegion: 'us-east-1',
        dynamodb: { Keys: lambdaImage({ pk: item['pk'], sk: item['sk'] }), NewImage: lambdaImage(item), SequenceNumber: String(100 + index), SizeBytes: 200, StreamViewType: 'NEW_AND_OLD_IMAGES' },
        eventSourceARN: `arn:aws:dynamodb:us-east-1:123456789012:table/myevents-test-${store}/stream/2026-05-01T00:00:00.000`,
      })),
    };
    const response = await awsChangeStreamTrigger(handler, deps)(event, lambdaContext(`myevents-test-${fn}`));
    expect(response.batchItemFailures).toEqual([]);
  },
  async deliverMessages(fn, handler, deps, sent, queue) {
    const event: SQSEvent = {
      Records: (sent as SendMessageCommand['input'][]).map((input, index) => ({
        messageId: `m-${index}`,
        receiptHandle: `r-${index}`,
        body: input.MessageBody ?? '',
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: '1777629847000', SenderId: 'AROA', ApproximateFirstReceiveTimestamp: '1777629847000' },
        // As Lambda hands message attributes over: camel-cased, with the list fields.
        messageAttributes: Object.fromEntries(
          Object.entries(input.MessageAttributes ?? {}).map(([name, value]) => [name, { dataType: value.DataType ?? 'String', stringValue: value.StringValue ?? '', stringListValues: [], binaryListValues: [] }]),
        ),
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: `arn:aws:sqs:us-east-1:123456789012:myevents-test-${queue}`,
        awsRegion: 'us-east-1',
      })),
    };
    const response = await awsQueueTrigger(handler, deps)(event, lambdaContext(`myevents-test-${fn}`));
    expect(response.batchItemFailures).toEqual([]);
  },
};

/** Cosmos DB: a container that records created, upserted and batched documents; its only stored document is the known event. */
function recordingContainer(recorded: Recorded, store: StoreName): Container {
  const record = (document: Record<string, unknown>) => recorded.items[store].push(document);
  const knownEvent = { id: 'known-event', pk: EVENT.id, entity: 'known-event', eventId: EVENT.id, capacity: EVENT.capacity, seatsBooked: 0, _etag: '"1"' };
  return {
    item: (id: string, partitionKey: string) => ({
      read: () => Promise.resolve(id === 'known-event' && partitionKey === EVENT.id ? { resource: knownEvent, statusCode: 200 } : { resource: undefined, statusCode: 404 }),
    }),
    items: {
      create: (document: Record<string, unknown>) => Promise.resolve(void record(document)),
      upsert: (document: Record<string, unknown>) => Promise.resolve(void record(document)),
      batch: (operations: { resourceBody?: Record<string, unknown> }[]) => {
        for (const operation of operations) if (operation.resourceBody) record(operation.resourceBody);
        return Promise.resolve({ result: operations.map(() => ({ statusCode: 201 })), code: 200 });
      },
    },
  } as unknown as Container;
}

const azure: CloudHarness = {
  repositories: (recorded) => ({
    events: new CosmosEventRepository(recordingContainer(recorded, 'events')),
    bookings: new CosmosBookingRepository(recordingContainer(recorded, 'bookings')),
    players: new CosmosPlayerRepository(recordingContainer(recorded, 'players')),
  }),
  publisher: (recorded, queue) => new StorageQueuePublisher({ sendMessage: (text: string) => Promise.resolve(void recorded.sent[queue].push(text)) } as unknown as QueueClient),
  async deliverChanges(fn, handler, deps, items) {
    // The change feed adds its system fields to each document.
    const documents = items.map((item, index) => ({ ...item, _rid: 'q1ZrAOo0xVQBAAAAAAAAAA==', _etag: `"${index}"`, _ts: 1777629846, _lsn: index + 1 }));
    await azureChangeStreamTrigger(handler, deps)(documents, invocationContext({ functionName: fn }));
  },
  async deliverMessages(fn, handler, deps, sent, queue) {
    for (const [index, text] of (sent as string[]).entries()) {
      // The host base64-decodes the text (host.json messageEncoding) and hands a JSON text over parsed.
      const item = JSON.parse(Buffer.from(text, 'base64').toString('utf8')) as unknown;
      await azureQueueTrigger(handler, deps, queue)(item, invocationContext({ functionName: fn, triggerMetadata: { id: `m-${index}`, dequeueCount: 1 } }));
    }
  },
};


/** Firestore: a client whose documents do not exist but the known event, and whose sets, creates and batches are recorded. */
function recordingFirestore(recorded: Recorded, store: StoreName): Firestore {
  const record = (id: string, data: Record<string, unknown>) => recorded.items[store].push({ ...data, __documentId: id });
  const doc = (id: string) => ({
    id,
    get: () => Promise.resolve(id === `EVENT#${EVENT.id}` ? { exists: true, updateTime: { seconds: 1 }, data: () => ({ entity: 'known-event', eventId: EVENT.id, capacity: EVENT.capacity, seatsBooked: 0 }) } : { exists: false, data: () => undefined }),
    set: (data: Record<string, unknown>) => Promise.resolve(void record(id, data)),
    create: (data: Record<string, unknown>) => Promise.resolve(void record(id, data)),
  });
  return {
    collection: () => ({ doc }),
    batch: () => {
      const writes: [string, Record<string, unknown>][] = [];
      return {
        create: (ref: { id: string }, data: Record<string, unknown>) => writes.push([ref.id, data]),
        set: (ref: { id: string }, data: Record<string, unknown>) => writes.push([ref.id, data]),
        update: () => undefined, // an update's FieldValues are the server's business: no item to replay
        commit: () => Promise.resolve(void writes.forEach(([id, data]) => record(id, data))),
      };
    },
  } as unknown as Firestore;
}

const gcp: CloudHarness = {
  repositories: (recorded) => ({
    events: new FirestoreEventRepository(recordingFirestore(recorded, 'events'), 'events'),
    bookings: new FirestoreBookingRepository(recordingFirestore(recorded, 'bookings'), 'bookings'),
    players: new FirestorePlayerRepository(recordingFirestore(recorded, 'players'), 'players'),
  }),
  publisher: (recorded, queue) => new PubSubPublisher({ publishMessage: (message: unknown) => Promise.resolve(String(recorded.sent[queue].push(message))) } as unknown as Topic),
  async deliverChanges(fn, handler, deps, items, store) {
    for (const [index, { __documentId: id, ...fields }] of items.entries()) {
      const name = `projects/p/databases/(default)/documents/${store}/${String(id)}`;
      const data = google.events.cloud.firestore.v1.DocumentEventData.encode({ value: { name, fields: firestoreFields(fields) } }).finish();
      await gcpChangeStreamTrigger(handler, deps, fn)({ id: `c-${index}`, type: 'google.cloud.firestore.document.v1.written', source: '//firestore.googleapis.com/projects/p/databases/(default)', subject: `documents/${store}/${String(id)}`, data });
    }
  },
  async deliverMessages(fn, handler, deps, sent, queue) {
    for (const [index, message] of (sent as { data: Buffer; attributes: Record<string, string> }[]).entries()) {
      await gcpQueueTrigger(handler, deps, fn)({
        id: `m-${index}`,
        type: 'google.cloud.pubsub.topic.v1.messagePublished',
        source: `//pubsub.googleapis.com/projects/p/topics/${queue}`,
        data: { message: { data: message.data.toString('base64'), messageId: `m-${index}`, attributes: message.attributes } },
      });
    }
  },
};

const HARNESSES: Record<CloudPlatform, CloudHarness> = { aws, azure, gcp };

/** The ports the consumers and placePlayers write to: memory ones, already knowing the event and its location. */
async function downstreamPorts(clock: Clock): Promise<{ events: MemoryEventRepository; bookings: MemoryBookingRepository; gameMap: GameMapRepository; clock: Clock }> {
  const events = new MemoryEventRepository();
  await events.add(EVENT);
  const bookings = new MemoryBookingRepository();
  await bookings.rememberEvent({ eventId: EVENT.id, capacity: EVENT.capacity, seatsBooked: 0 });
  return { events, bookings, gameMap: new MemoryGameMapRepository(), clock };
}

/** Runs the scenario through a cloud platform's adapters; answers the HTTP status and the trace id it answered. */
async function runOnCloud(platform: CloudPlatform, scenario: Scenario): Promise<{ status: number; traceresponse: string | undefined }> {
  const harness = HARNESSES[platform];
  const recorded = emptyRecord();
  const { events, bookings, players } = harness.repositories(recorded);
  const locations = new MemoryLocationRepository();
  await locations.add(LOCATION);
  const downstream = await downstreamPorts(systemClock);
  const driver = await startCloudDriver(platform === 'aws' ? 'aws-http-api' : platform, {
    httpDeps: {
      eventsApi: { locations, events, ids: randomIds },
      bookingsApi: { bookings, clock: systemClock, ids: randomIds },
      playersApi: { players, gameMap: downstream.gameMap, ids: randomIds },
    },
  });
  try {
    const answer = await driver.ask(scenario.request);
    const { outbox, consumer } = scenario;
    const publishesTo = outbox.publishesTo;
    const outboxDeps = { ...downstream, ...(publishesTo && { publisher: harness.publisher(recorded, publishesTo) }) };
    await harness.deliverChanges(outbox.name, outbox.handler as unknown as ChangeHandler<typeof outboxDeps>, outboxDeps, recorded.items[outbox.store], outbox.store);
    if (consumer) await harness.deliverMessages(consumer.name, consumer.handler as unknown as MessageHandler<typeof downstream>, downstream, recorded.sent[consumer.queue], consumer.queue);
    return { status: answer.status, traceresponse: answer.headers['traceresponse'] };
  } finally {
    await driver.close();
  }
}

/** Runs the scenario through memory mode's HTTP server and in-process streams and queues. */
async function runOnMemory(scenario: Scenario): Promise<{ status: number; traceresponse: string | undefined }> {
  const app = createLocalApp({ logger: silentLogger });
  const driver = await startDriver('memory', app);
  try {
    // The world the cloud stand-ins pretend: a location and an event the booking service knows; then only the scenario's spans count.
    const location = await driver.ask({ method: 'POST', url: '/locations', headers: { ...json, authorization: ADMIN_AUTHORIZATION }, body: JSON.stringify({ ...LOCATION, id: undefined }) });
    const locationId = (JSON.parse(location.body) as { id: string }).id;
    const created = await driver.ask({ method: 'POST', url: '/events', headers: { ...json, authorization: ADMIN_AUTHORIZATION }, body: JSON.stringify({ ...EVENT_FIELDS, name: 'Tosca', locationId }) });
    const eventId = (JSON.parse(created.body) as { id: string }).id;
    await app.settle();
    exporter.reset();
    const request = { ...scenario.request, url: scenario.request.url.replace(EVENT.id, eventId), body: scenario.request.body?.replace(LOCATION.id, locationId) };
    const answer = await driver.ask(request);
    await app.settle();
    return { status: answer.status, traceresponse: answer.headers['traceresponse'] };
  } finally {
    await driver.close();
  }
}

describe('the span tree of one request, the same on every platform (in-memory exporter)', () => {
  describe.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
    it.each(PLATFORMS)('%s: HTTP span → stored change → outbox span → message → consumer span, one trace', async (platform) => {
      exporter.reset();
      const { status, traceresponse } = platform === 'memory' ? await runOnMemory(scenario) : await runOnCloud(platform, scenario);
      expect(status).toBe(201);
      const traceId = parseTraceparent(traceresponse)?.traceId;
      expect(traceId).toMatch(/^[0-9a-f]{32}$/);
      const spans = exporter.getFinishedSpans();
      // Every span of the request's chain is in the trace the HTTP answer named, and none failed.
      expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(new Set([traceId]));
      expect(spans.filter((span) => span.status.code === 2)).toEqual([]);
      expect(treeOf(spans, (scenario.consumer ?? scenario.outbox).name)).toEqual(expectedTree(scenario));
    });
  });
});
