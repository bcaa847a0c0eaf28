import type { DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { envelope, EVENTS_SERVICE_SOURCE } from '../../functions/domain/domain-events.js';
import { announcePublished } from '../../adapters/shared/published-channel.js';
import { invocationLine, noteInvocationTrace, observePublished, queueMessageLabel, streamRecordLabel } from '../../offline/aws/invocation-lines.js';
import { loadEvent } from '../support/load-event.js';

const BOOKINGS_QUEUE = 'http://127.0.0.1:9324/123456789012/myevents-local-bookings';
const eventCreated = (id: string) =>
  envelope('EventCreated', id, EVENTS_SERVICE_SOURCE, new Date('2026-11-25T00:00:00Z'), { id, name: 'Aida', startDate: '', endDate: '', locationId: 'l', hall: 'A', capacity: 2 });

describe('one console line per stream or queue invocation', () => {
  it('labels a stream record by its change and partition key, and a queue message by its domain event', () => {
    const [insert] = loadEvent<DynamoDBStreamEvent>('aws/dynamodb-stream/players-table-insert.json').Records;
    const [created, location] = loadEvent<SQSEvent>('aws/sqs/bookings-queue-batch.json').Records;
    expect(streamRecordLabel(insert!)).toBe('INSERT PLAYER#f2bc48cc…');
    expect(queueMessageLabel(created!)).toBe('EventCreated f604e4eb…');
    expect(queueMessageLabel(location!)).toBe('LocationCreated 650bdfd0…');
    expect(queueMessageLabel({ messageId: '5124ff6b-85f5-4e42-92b8-b568f882a78d', body: 'not json' })).toBe('message 5124ff6b…');
  });

  it('says what an outbox invocation was given and what it published, in one line', () => {
    const line = invocationLine({
      functionKey: 'eventsOutbox',
      noun: 'record',
      items: ['INSERT EVENT#3f2a9c1e…'],
      failed: 0,
      published: [{ type: 'EventCreated', id: 'EventCreated/3f2a9c1e-0000-4000-8000-000000000000', destination: BOOKINGS_QUEUE }],
    });
    expect(line).toBe('eventsOutbox: INSERT EVENT#3f2a9c1e…, 0 failed → EventCreated 3f2a9c1e… on myevents-local-bookings');
    expect(line).not.toContain('\n');
  });

  it('summarises a batch with its failures, and a thrown error on the same line', () => {
    const items = ['EventCreated a…', 'EventCreated b…', 'LocationCreated c…', 'EventCreated d…'];
    expect(invocationLine({ functionKey: 'bookingsConsumer', noun: 'message', items, failed: 1, published: [], retryNote: 'back on myevents-local-bookings after its visibility timeout' })).toBe(
      'bookingsConsumer: 4 messages (EventCreated a…, EventCreated b…, LocationCreated c… and 1 more), 1 failed (back on myevents-local-bookings after its visibility timeout)',
    );
    const error = Object.assign(new Error('Lambda timeout.\n    at somewhere'), { name: 'LambdaTimeoutError' });
    expect(invocationLine({ functionKey: 'placePlayers', noun: 'record', items: ['INSERT PLAYER#f2bc48cc…'], failed: 1, published: [], error })).toBe(
      'placePlayers: INSERT PLAYER#f2bc48cc…, failed: LambdaTimeoutError: Lambda timeout.',
    );
  });

  it('collects what each invocation published through the channel, without mixing concurrent invocations', async () => {
    const invoke = async (id: string, waitMs: number) => {
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      announcePublished(eventCreated(id), BOOKINGS_QUEUE);
      return { batchItemFailures: [] };
    };
    const [slow, fast] = await Promise.all([observePublished(() => invoke('slow', 30)), observePublished(() => invoke('fast', 1))]);
    expect(slow.published.map((message) => message.id)).toEqual(['EventCreated/slow']);
    expect(fast.published.map((message) => message.id)).toEqual(['EventCreated/fast']);
    expect(slow.outcome).toEqual({ response: { batchItemFailures: [] } });
    announcePublished(eventCreated('outside'), BOOKINGS_QUEUE); // outside any invocation: collected by none
    expect(slow.published).toHaveLength(1);
  });

  it("names the traces of an invocation's spans (noted as they start), without mixing concurrent invocations", async () => {
    const invoke = async (traceIds: string[], waitMs: number) => {
      await new Promise((resolve) => setTimeout(resolve, waitMs));
      traceIds.forEach(noteInvocationTrace);
    };
    const [slow, fast] = await Promise.all([observePublished(() => invoke(['a'.repeat(32)], 30)), observePublished(() => invoke(['b'.repeat(32), 'c'.repeat(32)], 1))]);
    noteInvocationTrace('d'.repeat(32)); // outside any invocation: noted by none
    expect([...slow.traceIds]).toEqual(['a'.repeat(32)]);
    expect(invocationLine({ functionKey: 'bookingsConsumer', noun: 'message', items: ['EventBooked 1…', 'EventBooked 2…'], failed: 0, published: [], traceIds: fast.traceIds })).toBe(
      'bookingsConsumer: 2 messages (EventBooked 1…, EventBooked 2…), 0 failed [trace bbbbbbbb, cccccccc]',
    );
  });

  it('reports a thrown error as the outcome, with what was published before it', async () => {
    const { outcome, published } = await observePublished(async () => {
      announcePublished(eventCreated('first'), BOOKINGS_QUEUE);
      throw new Error('queue unreachable');
    });
    expect('error' in outcome && outcome.error instanceof Error && outcome.error.message).toBe('queue unreachable');
    expect(published).toHaveLength(1);
  });
});
