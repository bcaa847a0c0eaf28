import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSEvent } from 'aws-lambda';
import { createSqsServer } from 'local-aws-sqs';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { lambdaLog } from '../../adapters/aws/logger.js';
import { queueTrigger } from '../../adapters/aws/queue-trigger.js';
import { localClientConfig } from '../../offline/aws/dynamodb-local.js';
import { freePort } from '../../offline/shared/ports.js';
import { ensureQueues, type CfnResources } from '../../offline/aws/provision.js';
import { failedMessageIds, queueMappingSettings, type InvocationOutcome } from '../../offline/aws/queue-mapping.js';
import { startQueuePoller, type QueuePoller } from '../../offline/aws/queue-poller.js';
import { lambdaContext } from '../support/lambda-context.js';

/**
 * The local SQS trigger over local-aws-sqs (the server `npm start` runs), with the real SQS adapter
 * (Powertools partial batch responses) as the function. The queues are those of infra/aws/queues.yml
 * (RedrivePolicy maxReceiveCount 5) with a 1 s visibility timeout, so redelivery shows within seconds.
 */
let server: Server;
let sqs: SQSClient;
let queueUrl: string;
let deadLetterUrl: string;
let poller: QueuePoller | undefined;
const maxReceiveCount = 5;

/** A queue and its DLQ as infra/aws/queues.yml declares them, fresh for each test. */
const resources = (name: string): CfnResources => ({
  WorkQueue: {
    Type: 'AWS::SQS::Queue',
    Properties: { QueueName: name, VisibilityTimeout: 60, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['WorkDeadLetterQueue', 'Arn'] }, maxReceiveCount } },
  },
  WorkDeadLetterQueue: { Type: 'AWS::SQS::Queue', Properties: { QueueName: `${name}-dlq`, MessageRetentionPeriod: 1209600 } },
});

beforeAll(async () => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined); // every failed message logs a warning
  const port = await freePort();
  server = await createSqsServer({ port, hostname: '127.0.0.1' });
  sqs = new SQSClient(localClientConfig(`http://127.0.0.1:${port}`));
});
beforeEach(async () => {
  const urls = await ensureQueues(sqs, resources(`poller-${randomUUID().slice(0, 8)}`), { visibilityTimeout: 1 });
  queueUrl = urls.get('WorkQueue')!;
  deadLetterUrl = urls.get('WorkDeadLetterQueue')!;
});
afterEach(async () => {
  await poller?.stop();
  poller = undefined;
});
afterAll(async () => {
  sqs?.destroy();
  await new Promise((done) => server?.close(() => done(undefined)));
});

/** Every delivery of every message body to the core handler, with its attempt number. */
function recordingConsumer(fail: (body: string, attempt: number) => boolean) {
  const deliveries: { body: string; attempt: number }[] = [];
  const handler = queueTrigger<null>(async (message) => {
    deliveries.push({ body: message.body, attempt: message.attempt });
    if (fail(message.body, message.attempt)) throw new Error(`cannot process ${message.body}`);
  }, null);
  const invoke = async (event: SQSEvent): Promise<InvocationOutcome> => {
    try {
      return { response: await handler(event, lambdaContext()) };
    } catch (error) {
      return { error };
    }
  };
  return { deliveries, invoke, count: (body: string) => deliveries.filter((delivery) => delivery.body === body).length };
}

function poll(invoke: (event: SQSEvent) => Promise<InvocationOutcome>) {
  const batches: number[] = [];
  poller = startQueuePoller({
    sqs,
    queueUrl,
    queueArn: 'arn:aws:sqs:us-east-1:000000000000:poller-work',
    region: 'us-east-1',
    settings: queueMappingSettings({ batchSize: 10, functionResponseType: 'ReportBatchItemFailures' }),
    invoke: (records) => invoke({ Records: records }),
    onBatch: (delivered) => batches.push(delivered),
    onError: (error) => {
      throw error;
    },
  });
  return batches;
}

async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const send = (body: string) => sqs.send(new SendMessageCommand({ QueueUrl: queueUrl, MessageBody: body }));
const receiveAll = async (url: string) => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }))).Messages ?? [];

describe('local SQS trigger (Lambda SQS event source mapping semantics)', () => {
  it('sends a poison message to the DLQ after maxReceiveCount receives, and processes the good ones of its batches once', async () => {
    const good = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6'];
    for (const body of [...good.slice(0, 3), 'poison', ...good.slice(3)]) await send(body);
    const consumer = recordingConsumer((body) => body === 'poison');
    poll(consumer.invoke);

    const dead = await eventually('the poison message in the DLQ', async () => {
      const messages = await receiveAll(deadLetterUrl);
      return messages.length > 0 ? messages : undefined;
    });
    expect(dead.map((message) => message.Body)).toEqual(['poison']);
    expect(consumer.count('poison')).toBe(maxReceiveCount);
    expect(consumer.deliveries.filter((delivery) => delivery.body === 'poison').map((delivery) => delivery.attempt)).toEqual([1, 2, 3, 4, 5]);
    for (const body of good) expect(consumer.count(body)).toBe(1);
    await poller?.stop();
    expect(await receiveAll(queueUrl)).toEqual([]);
  }, 60_000);

  it('redelivers a message whose consumer failed once, after the visibility timeout, and it succeeds then', async () => {
    await send('flaky');
    const consumer = recordingConsumer((body, attempt) => body === 'flaky' && attempt === 1);
    poll(consumer.invoke);
    await eventually('the second delivery', () => (consumer.count('flaky') === 2 ? true : undefined));
    await poller?.stop();
    expect(consumer.deliveries).toEqual([
      { body: 'flaky', attempt: 1 },
      { body: 'flaky', attempt: 2 },
    ]);
    expect(await receiveAll(queueUrl)).toEqual([]);
    expect(await receiveAll(deadLetterUrl)).toEqual([]);
  }, 30_000);

  it('returns every message of a batch whose function threw, and processes each once on redelivery', async () => {
    for (const body of ['t1', 't2', 't3']) await send(body);
    let invocations = 0;
    const consumer = recordingConsumer(() => false);
    poll(async (event) => {
      invocations += 1;
      if (invocations === 1) return { error: new Error('Runtime.ExitError') };
      return consumer.invoke(event);
    });
    await eventually('all three after the redelivery', () => (['t1', 't2', 't3'].every((body) => consumer.count(body) === 1) ? true : undefined));
    await poller?.stop();
    expect(consumer.deliveries.map((delivery) => delivery.attempt)).toEqual([2, 2, 2]);
    expect(await receiveAll(queueUrl)).toEqual([]);
  }, 30_000);
});

describe('which messages a batch response fails (Lambda rules)', () => {
  const batch = [{ messageId: 'a' }, { messageId: 'b' }, { messageId: 'c' }];
  const reporting = queueMappingSettings({ functionResponseType: 'ReportBatchItemFailures' });
  const ids = (set: Set<string>) => [...set].sort();

  it('fails only the reported messages', () => {
    expect(ids(failedMessageIds(batch, { response: { batchItemFailures: [{ itemIdentifier: 'b' }] } }, reporting))).toEqual(['b']);
  });
  it('treats an empty list, a null or no response as full success', () => {
    expect(ids(failedMessageIds(batch, { response: { batchItemFailures: [] } }, reporting))).toEqual([]);
    expect(ids(failedMessageIds(batch, { response: null }, reporting))).toEqual([]);
    expect(ids(failedMessageIds(batch, { response: undefined }, reporting))).toEqual([]);
  });
  it('fails the whole batch on a thrown error, or an empty or unknown identifier', () => {
    expect(ids(failedMessageIds(batch, { error: new Error('boom') }, reporting))).toEqual(['a', 'b', 'c']);
    expect(ids(failedMessageIds(batch, { response: { batchItemFailures: [{ itemIdentifier: '' }] } }, reporting))).toEqual(['a', 'b', 'c']);
    expect(ids(failedMessageIds(batch, { response: { batchItemFailures: [{ itemIdentifier: 'zzz' }] } }, reporting))).toEqual(['a', 'b', 'c']);
  });
  it('ignores the response without ReportBatchItemFailures on the mapping', () => {
    const plain = queueMappingSettings({});
    expect(ids(failedMessageIds(batch, { response: { batchItemFailures: [{ itemIdentifier: 'b' }] } }, plain))).toEqual([]);
    expect(plain.batchSize).toBe(10);
  });
});
