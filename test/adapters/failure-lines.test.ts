import { marshall } from '@aws-sdk/util-dynamodb';
import { google } from '@skunkteam/google-cloudevents-firestore';
import type { AttributeValue as LambdaAttributeValue, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { changeStreamTrigger as awsChangeStreamTrigger } from '../../adapters/aws/change-stream-trigger.js';
import { lambdaLog } from '../../adapters/aws/logger.js';
import { queueTrigger as awsQueueTrigger } from '../../adapters/aws/queue-trigger.js';
import { changeStreamTrigger as azureChangeStreamTrigger } from '../../adapters/azure/change-stream-trigger.js';
import { queueTrigger as azureQueueTrigger } from '../../adapters/azure/queue-trigger.js';
import { changeStreamTrigger as gcpChangeStreamTrigger } from '../../adapters/gcp/change-stream-trigger.js';
import { gcpLogger } from '../../adapters/gcp/logger.js';
import { queueTrigger as gcpQueueTrigger } from '../../adapters/gcp/queue-trigger.js';
import { bindLogger } from '../../adapters/shared/trace-carriers.js';
import { inHop } from '../../adapters/shared/tracing.js';
import { invocationContext } from '../support/azure-context.js';
import { lambdaContext } from '../support/lambda-context.js';
import { firestoreFields } from '../support/firestore-fields.js';

/**
 * A trigger's failure line (the one that says a message or change failed and what happens to it next) is
 * the line a trace is looked up by: on every platform it carries the failed hop's traceId and spanId, with
 * no SDK registered. Each platform's own logger and payload shape; the handler always throws.
 */

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';
const TRACEPARENT = `00-${T}-${S}-01`;
const fails = (): Promise<void> => Promise.reject(new Error('poison'));

let lines: string[] = [];
beforeEach(() => {
  lines = [];
  vi.spyOn(lambdaLog, 'write').mockImplementation((line) => void lines.push(line));
  vi.spyOn(process.stdout, 'write').mockImplementation((line) => Boolean(lines.push(String(line).trimEnd())));
});
afterEach(() => vi.restoreAllMocks());

/** The failure line's trace: the producer's trace id, and a span id of its own (the failed hop's, not the producer's). */
function expectFailureLineTraced(pattern: RegExp): void {
  const failure = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => pattern.test(String(line['message'])));
  expect(failure, lines.join('\n')).toBeDefined();
  expect(failure?.['traceId']).toBe(T);
  expect(failure?.['spanId']).toMatch(/^[0-9a-f]{16}$/);
  expect(failure?.['spanId']).not.toBe(S);
}

const item = { entity: 'player', id: 'p-1', name: 'Ada', traceparent: TRACEPARENT };

describe('AWS', () => {
  it('SQS: a failed message\'s line carries its hop\'s trace', async () => {
    const event = {
      Records: [{ messageId: 'm-1', body: '{}', attributes: { ApproximateReceiveCount: '1' }, messageAttributes: { traceparent: { dataType: 'String', stringValue: TRACEPARENT } }, eventSourceARN: 'arn:aws:sqs:us-east-1:1:bookings' }],
    } as unknown as SQSEvent;
    const answer = await awsQueueTrigger(fails, {})(event, lambdaContext('myevents-test-bookingsConsumer'));
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: 'm-1' }]);
    expectFailureLineTraced(/^Message failed/);
  });

  it('DynamoDB Streams: a failed record\'s line carries its hop\'s trace', async () => {
    const image = marshall(item) as Record<string, LambdaAttributeValue>;
    const event: DynamoDBStreamEvent = { Records: [{ eventID: 'r-1', eventName: 'INSERT', dynamodb: { Keys: marshall({ pk: 'PLAYER#p-1', sk: 'PLAYER' }) as Record<string, LambdaAttributeValue>, NewImage: image, SequenceNumber: '7' } }] };
    const answer = await awsChangeStreamTrigger(fails, {})(event, lambdaContext('myevents-test-placePlayers'));
    expect(answer.batchItemFailures).toEqual([{ itemIdentifier: '7' }]);
    expectFailureLineTraced(/^Stream record failed/);
  });
});

describe('Azure', () => {
  const context = (functionName: string) =>
    invocationContext({ functionName, triggerMetadata: { id: 'm-1', dequeueCount: 1 }, logHandler: (_level, ...args) => void lines.push(String(args[0])) });

  it('Storage Queue: a failed message\'s line carries its hop\'s trace', async () => {
    await expect(azureQueueTrigger(fails, {}, 'bookings')({ type: 'EventCreated', traceparent: TRACEPARENT }, context('bookingsConsumer'))).rejects.toThrow('poison');
    expectFailureLineTraced(/^Message failed/);
  });

  it('Cosmos DB change feed: a failed document\'s line carries its hop\'s trace', async () => {
    await expect(azureChangeStreamTrigger(fails, {})([{ ...item, pk: item.id, _lsn: 1 }], context('placePlayers'))).rejects.toThrow('poison');
    expectFailureLineTraced(/^Change-feed document failed/);
  });
});

describe('GCP', () => {
  it('Pub/Sub: a failed message\'s line carries its hop\'s trace', async () => {
    const event = {
      id: 'm-1',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      source: '//pubsub.googleapis.com/projects/p/topics/bookings',
      data: { message: { data: Buffer.from('{}').toString('base64'), messageId: 'm-1', attributes: { traceparent: TRACEPARENT } } },
    };
    await expect(gcpQueueTrigger(fails, {}, 'bookingsConsumer')(event)).rejects.toThrow('poison');
    expectFailureLineTraced(/^Message failed/);
  });

  it('Firestore: a failed change\'s line carries its hop\'s trace', async () => {
    const fields = firestoreFields(item);
    const data = google.events.cloud.firestore.v1.DocumentEventData.encode({ value: { name: 'projects/p/databases/(default)/documents/players/PLAYER#p-1', fields } }).finish();
    await expect(gcpChangeStreamTrigger(fails, {}, 'placePlayers')({ id: 'd-1', type: 'google.cloud.firestore.document.v1.written', source: '//firestore.googleapis.com/projects/p/databases/(default)', data })).rejects.toThrow('poison');
    expectFailureLineTraced(/^Change failed/);
  });

  it('the GCP logger writes Cloud Logging\'s severity, and a bound one the hop\'s trace', async () => {
    await inHop({ name: 'h', kind: 'http', fn: 'f', parent: { traceId: T, spanId: S, flags: 1 } }, async (hop) => bindLogger(gcpLogger('r-1'), hop).warn('Change failed; test'));
    expect(JSON.parse(lines[0]!)).toMatchObject({ severity: 'WARNING', message: 'Change failed; test', requestId: 'r-1', traceId: T });
  });
});
