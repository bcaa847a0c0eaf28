import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';
import { failedMessageIds, toLambdaRecord, type InvocationOutcome, type QueueMappingSettings } from './queue-mapping.js';

export interface QueuePollerOptions {
  sqs: SQSClient;
  queueUrl: string;
  queueArn: string;
  region: string;
  settings: QueueMappingSettings;
  /** Invokes the function with `{ Records }` and reports how it ended (never rejects for a function error). */
  invoke(records: SQSRecord[]): Promise<InvocationOutcome>;
  /** Called after every receive that found messages, with the number delivered and failed. */
  onBatch?(delivered: number, failed: number): void;
  onError(error: unknown): void;
  /** While true, nothing is received (the function's bundle does not build): messages wait in the queue. */
  paused?(): boolean;
  /** Pause after an empty receive: doubles from `minIdleMs` up to `maxIdleMs`, back to the minimum on a message. */
  minIdleMs?: number;
  maxIdleMs?: number;
}

export interface QueuePoller {
  /** Resolves after the batch in flight (if any) has been handled. */
  stop(): Promise<void>;
}

/**
 * Polls one queue for one function as Lambda's SQS poller does: receive up to `batchSize`, invoke,
 * delete what succeeded, leave the failed messages to come back after the visibility timeout.
 *
 * Short polls (WaitTimeSeconds 0) on a short, backing-off interval rather than long polls: local-aws-sqs
 * answers a long poll only when the batch is full or the wait is over, which made every hop take 5-10 s.
 * Lambda's `maximumBatchingWindow` is not waited for: locally a batch is whatever is there.
 */
export function startQueuePoller(options: QueuePollerOptions): QueuePoller {
  const minIdleMs = options.minIdleMs ?? 25;
  const maxIdleMs = options.maxIdleMs ?? 100;
  let running = true;
  let wake: (() => void) | undefined;
  const sleep = (ms: number) =>
    new Promise<void>((done) => {
      const timer = setTimeout(done, ms);
      wake = () => {
        clearTimeout(timer);
        done();
      };
    });

  const pollOnce = async (): Promise<boolean> => {
    const { Messages = [] } = await options.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: options.queueUrl,
        MaxNumberOfMessages: options.settings.batchSize,
        WaitTimeSeconds: 0,
        AttributeNames: ['All'],
        MessageSystemAttributeNames: ['All'],
        MessageAttributeNames: ['All'],
      }),
    );
    if (Messages.length === 0) return false;
    const records = Messages.map((message) => toLambdaRecord(message, options.queueArn, options.region));
    const failed = failedMessageIds(records, await options.invoke(records), options.settings);
    const done = records.filter((record) => !failed.has(record.messageId));
    if (done.length > 0) {
      const { Failed = [] } = await options.sqs.send(
        new DeleteMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: done.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })) }),
      );
      // The message comes back and is processed again: consumers are idempotent, as on AWS.
      if (Failed.length > 0) options.onError(new Error(`could not delete ${Failed.length} processed message(s): ${Failed.map((entry) => entry.Message).join('; ')}`));
    }
    options.onBatch?.(records.length, failed.size);
    return true;
  };

  const loop = (async () => {
    let idleMs = minIdleMs;
    while (running) {
      let found = false;
      try {
        found = options.paused?.() ? false : await pollOnce();
      } catch (error) {
        options.onError(error);
      }
      if (found) {
        idleMs = minIdleMs;
        continue;
      }
      if (!running) break;
      await sleep(idleMs);
      idleMs = Math.min(idleMs * 2, maxIdleMs);
    }
  })();

  return {
    async stop() {
      running = false;
      wake?.();
      await loop;
    },
  };
}
