import middy from '@middy/core';
import type { Context, SQSBatchItemFailure, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { MessageHandler, QueueMessage } from '../../functions/queues/contract.js';
import { describeError } from '../shared/describe-error.js';
import { LAMBDA_WRAPPER_OPTIONS } from './middy-options.js';
import { portLogger } from './logger.js';
import { bindHop, bindLogger, inMessageHop } from '../shared/trace-carriers.js';
import { functionNameOfPlatform, type Hop } from '../shared/tracing.js';

/**
 * One message as one hop, continuing its producer's trace (its `traceparent` message attribute, sqs-publisher.ts).
 * The hop is kept in `hops[index]` so that the message's failure line carries its trace.
 */
function handleTraced<Deps>(handleMessage: MessageHandler<Deps>, deps: Deps, record: SQSRecord, message: QueueMessage, fn: string, hops: Hop[], index: number): Promise<void> {
  const queue = record.eventSourceARN?.slice(record.eventSourceARN.lastIndexOf(':') + 1) ?? 'queue';
  return inMessageHop(fn, queue, record.messageAttributes?.['traceparent']?.stringValue, message, (hop) => handleMessage(message, bindHop(deps, (hops[index] = hop))));
}

export function sqsRecordToMessage(record: SQSRecord): QueueMessage {
  return { id: record.messageId, body: record.body, attempt: Number(record.attributes.ApproximateReceiveCount) || 1 };
}

/**
 * A Lambda handler for an SQS-triggered function: each message goes to the core handler on its own,
 * and the failed ones come back as `batchItemFailures` (the mapping has ReportBatchItemFailures), so one
 * bad message never re-delivers the good ones. A batch where every message failed is reported as such
 * rather than thrown: same redelivery, clearer logs.
 *
 * Written by hand rather than with Powertools' BatchProcessor: the bookkeeping is these few lines, and
 * BatchProcessor made a 100-message batch 1.45× as slow as a hand loop on the same core call
 * (BENCHMARKS.md), and added 6 KB plus Powertools' logger to each consumer bundle. Messages of a batch
 * run concurrently, as BatchProcessor ran them (its default), so a batch takes its slowest message's time.
 */
export function queueTrigger<Deps>(handleMessage: MessageHandler<Deps>, deps: Deps) {
  const handle = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const logger = portLogger(context.awsRequestId);
    const messages = event.Records.map(sqsRecordToMessage);
    const fn = functionNameOfPlatform({ AWS_LAMBDA_FUNCTION_NAME: context.functionName });
    const hops: Hop[] = [];
    const outcomes = await Promise.allSettled(messages.map((message, index) => handleTraced(handleMessage, deps, event.Records[index]!, message, fn, hops, index)));
    const batchItemFailures: SQSBatchItemFailure[] = [];
    outcomes.forEach((outcome, index) => {
      if (outcome.status === 'fulfilled') return;
      const message = messages[index]!;
      bindLogger(logger, hops[index]).warn('Message failed; it will be retried, then dead-lettered', { messageId: message.id, attempt: message.attempt, error: describeError(outcome.reason) });
      batchItemFailures.push({ itemIdentifier: message.id });
    });
    return { batchItemFailures };
  };
  return middy(handle, LAMBDA_WRAPPER_OPTIONS);
}
