import { marshall } from '@aws-sdk/util-dynamodb';
import type { QueueClient } from '@azure/storage-queue';
import type { Topic } from '@google-cloud/pubsub';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { google } from '@skunkteam/google-cloudevents-firestore';
import type { AttributeValue as LambdaAttributeValue, DynamoDBStreamEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeStreamTrigger as awsChangeStreamTrigger } from '../../adapters/aws/change-stream-trigger.js';
import { lambdaLog } from '../../adapters/aws/logger.js';
import { changeStreamTrigger as azureChangeStreamTrigger } from '../../adapters/azure/change-stream-trigger.js';
import { queueTrigger as azureQueueTrigger } from '../../adapters/azure/queue-trigger.js';
import { StorageQueuePublisher } from '../../adapters/azure/storage-queue-publisher.js';
import { changeStreamTrigger as gcpChangeStreamTrigger } from '../../adapters/gcp/change-stream-trigger.js';
import { PubSubPublisher } from '../../adapters/gcp/pubsub-publisher.js';
import { queueTrigger as gcpQueueTrigger } from '../../adapters/gcp/queue-trigger.js';
import { MemoryBookingRepository, MemoryGameMapRepository } from '../../adapters/memory/repositories.js';
import { stampWriter } from '../../adapters/shared/trace-carriers.js';
import { inHop, type Hop } from '../../adapters/shared/tracing.js';
import { bookingsConsumer, placePlayers } from '../../functions/index.js';
import { invocationContext } from '../support/azure-context.js';
import { lambdaContext } from '../support/lambda-context.js';
import { firestoreFields } from '../support/firestore-fields.js';

/** The carriers' edges, beside the span tree of test/conformance/trace-tree.test.ts: deletes, messages without a context, no hop. */

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';
const WRITER = `00-${T}-${S}-01`;

const exporter = new InMemorySpanExporter();
beforeAll(() => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});
afterAll(() => {
  trace.disable();
  vi.restoreAllMocks();
});
beforeEach(() => exporter.reset());

const EVENT_CREATED = {
  id: 'EventCreated/f604e4eb-0809-483a-82da-68930b347b2b',
  type: 'EventCreated',
  source: '/myevents/events-service',
  time: '2026-05-01T10:04:07.112Z',
  data: { id: 'f604e4eb-0809-483a-82da-68930b347b2b', name: 'Opera Aida', startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: 'loc-1', hall: 'Main', capacity: 10 },
} as const;
const PLAYER = { entity: 'player', id: 'f2bc48cc-ddc5-444a-bbe8-0678e1703ef3', name: 'Ada', traceparent: WRITER };

const onlySpan = () => {
  const spans = exporter.getFinishedSpans();
  expect(spans).toHaveLength(1);
  return spans[0]!;
};

describe('stored items', () => {
  it('stampWriter sets the writing hop\'s traceparent, and drops an older one outside any hop', async () => {
    const stamped = await inHop({ name: 'h', kind: 'http', fn: 'f' }, async (hop) => ({ item: stampWriter({ a: 1, traceparent: WRITER }, hop.traceparent), hop }));
    expect(stamped.item).toEqual({ a: 1, traceparent: `00-${stamped.hop.context.traceId}-${stamped.hop.context.spanId}-01` });
    expect(stampWriter({ a: 1, traceparent: WRITER }, undefined)).toEqual({ a: 1 });
  });

  it('DynamoDB: a REMOVE record (its OldImage is the last write) starts a trace of its own, linked to that writer', async () => {
    const image = marshall(PLAYER) as Record<string, LambdaAttributeValue>;
    const event: DynamoDBStreamEvent = {
      Records: [{ eventID: 'r-1', eventName: 'REMOVE', dynamodb: { Keys: marshall({ pk: 'PLAYER#1', sk: 'PLAYER' }) as Record<string, LambdaAttributeValue>, OldImage: image, SequenceNumber: '1' } }],
    };
    const response = await awsChangeStreamTrigger(placePlayers, { gameMap: new MemoryGameMapRepository() })(event, lambdaContext('myevents-test-placePlayers'));
    expect(response.batchItemFailures).toEqual([]);
    const span = onlySpan();
    expect(span.spanContext().traceId).not.toBe(T);
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.links.map((link) => link.context)).toMatchObject([{ traceId: T, spanId: S }]);
    expect(span.attributes).toMatchObject({ 'faas.name': 'placePlayers', 'myevents.kind': 'change-stream', 'myevents.change.kind': 'remove' });
  });

  it('Firestore: a delete event (its oldValue is the last write) starts a trace of its own, linked to that writer', async () => {
    const fields = firestoreFields(PLAYER);
    const data = google.events.cloud.firestore.v1.DocumentEventData.encode({ oldValue: { name: 'projects/p/databases/(default)/documents/players/PLAYER#1', fields } }).finish();
    await gcpChangeStreamTrigger(placePlayers, { gameMap: new MemoryGameMapRepository() }, 'placePlayers')({ id: 'd-1', type: 'google.cloud.firestore.document.v1.written', source: '//firestore.googleapis.com/projects/p/databases/(default)', data });
    const span = onlySpan();
    expect(span.spanContext().traceId).not.toBe(T);
    expect(span.links.map((link) => link.context)).toMatchObject([{ traceId: T, spanId: S }]);
  });

  it('Cosmos DB: a tombstone is the deleting request\'s own write, so its removal continues that trace', async () => {
    const tombstone = { ...PLAYER, pk: PLAYER.id, deleted: true, ttl: 604800, _lsn: 2 };
    await azureChangeStreamTrigger(placePlayers, { gameMap: new MemoryGameMapRepository() })([tombstone], invocationContext({ functionName: 'placePlayers' }));
    const span = onlySpan();
    expect(span.spanContext().traceId).toBe(T);
    expect(span.parentSpanContext?.spanId).toBe(S);
    expect(span.links).toEqual([]);
  });

  it('an item written outside any hop starts a trace of its own, linked to nothing', async () => {
    const item = { entity: PLAYER.entity, id: PLAYER.id, name: PLAYER.name };
    await azureChangeStreamTrigger(placePlayers, { gameMap: new MemoryGameMapRepository() })([{ ...item, pk: item.id, _lsn: 1 }], invocationContext({ functionName: 'placePlayers' }));
    const span = onlySpan();
    expect(span.spanContext().traceId).not.toBe(T);
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.links).toEqual([]);
  });
});

describe('Storage Queue: the traceparent inside the JSON message', () => {
  const sentBy = async (publish: (publisher: StorageQueuePublisher) => Promise<void>, hop?: Hop): Promise<unknown> => {
    const sent: string[] = [];
    const publisher = new StorageQueuePublisher({ sendMessage: (text: string) => Promise.resolve(void sent.push(text)) } as unknown as QueueClient);
    await publish(hop === undefined ? publisher : publisher.forHop(hop));
    return JSON.parse(Buffer.from(sent[0]!, 'base64').toString('utf8'));
  };

  it('is a top-level field next to the domain event\'s own, and absent outside any hop', async () => {
    const publisher = (publisherOf: StorageQueuePublisher) => publisherOf.publish(EVENT_CREATED);
    const inside = await inHop({ name: 'eventsOutbox change', kind: 'change-stream', fn: 'eventsOutbox', parent: { traceId: T, spanId: S, flags: 1 } }, async (hop) => ({ message: await sentBy(publisher, hop), hop }));
    expect(inside.message).toEqual({ ...EVENT_CREATED, traceparent: `00-${T}-${inside.hop.context.spanId}-01` });
    expect(await sentBy(publisher)).toEqual(EVENT_CREATED);
  });

  it.each([
    ['parsed, as the host hands JSON over', { ...EVENT_CREATED, traceparent: WRITER }],
    ['as text', JSON.stringify({ ...EVENT_CREATED, traceparent: WRITER })],
  ])('is continued by the consumer (%s), and the domain event is applied', async (_how, item) => {
    const bookings = new MemoryBookingRepository();
    await azureQueueTrigger(bookingsConsumer, { bookings }, 'bookings')(item, invocationContext({ functionName: 'bookingsConsumer', triggerMetadata: { id: 'm-1', dequeueCount: 1 } }));
    expect(await bookings.getEvent(EVENT_CREATED.data.id)).toEqual({ eventId: EVENT_CREATED.data.id, capacity: 10, seatsBooked: 0 });
    const span = onlySpan();
    expect(span.spanContext().traceId).toBe(T);
    expect(span.parentSpanContext?.spanId).toBe(S);
    expect(span.links.map((link) => link.context.spanId)).toEqual([S]);
    expect(span.name).toBe('process bookings');
  });

  it('a message sent by hand (the domain event alone, `az storage message put`) is applied in a trace of its own', async () => {
    const bookings = new MemoryBookingRepository();
    await azureQueueTrigger(bookingsConsumer, { bookings })({ ...EVENT_CREATED }, invocationContext({ functionName: 'bookingsConsumer', triggerMetadata: { id: 'm-2', dequeueCount: 1 } }));
    expect(await bookings.getEvent(EVENT_CREATED.data.id)).toBeDefined();
    const span = onlySpan();
    expect(span.spanContext().traceId).not.toBe(T);
    expect(span.links).toEqual([]);
  });
});

describe('Pub/Sub: the traceparent as a message attribute', () => {
  it('is an attribute beside `type`, and absent outside any hop', async () => {
    const sent: { attributes: Record<string, string> }[] = [];
    const publisher = new PubSubPublisher({ publishMessage: (message: { attributes: Record<string, string> }) => Promise.resolve(String(sent.push(message))) } as unknown as Topic);
    const hop = await inHop({ name: 'eventsOutbox change', kind: 'change-stream', fn: 'eventsOutbox' }, async (current) => {
      await publisher.forHop(current).publish(EVENT_CREATED);
      return current;
    });
    await publisher.publish(EVENT_CREATED);
    expect(sent.map((message) => message.attributes)).toEqual([{ type: 'EventCreated', traceparent: `00-${hop.context.traceId}-${hop.context.spanId}-01` }, { type: 'EventCreated' }]);
  });

  it('is continued by the consumer: a child of and linked to the producer; without it, a trace of its own', async () => {
    const deliver = (attributes: Record<string, string>) =>
      gcpQueueTrigger(bookingsConsumer, { bookings: new MemoryBookingRepository() }, 'bookingsConsumer')({
        id: 'm-1',
        type: 'google.cloud.pubsub.topic.v1.messagePublished',
        source: '//pubsub.googleapis.com/projects/p/topics/bookings',
        data: { message: { data: Buffer.from(JSON.stringify(EVENT_CREATED)).toString('base64'), messageId: 'm-1', attributes } },
      });
    await deliver({ type: 'EventCreated', traceparent: WRITER });
    const span = onlySpan();
    expect(span.spanContext().traceId).toBe(T);
    expect(span.parentSpanContext?.spanId).toBe(S);
    expect(span.links.map((link) => link.context.spanId)).toEqual([S]);
    expect(span.attributes).toMatchObject({ 'faas.name': 'bookingsConsumer', 'myevents.kind': 'queue', 'messaging.message.id': 'm-1' });
    exporter.reset();
    await deliver({ type: 'EventCreated', traceparent: 'not-a-traceparent' });
    expect(onlySpan().spanContext().traceId).not.toBe(T);
  });
});
