import middy from '@middy/core';
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { MessageHandler, QueueMessage } from '../../functions/queues/contract.js';
import { describeError } from '../shared/describe-error.js';
import { portLogger, powertoolsLogger } from './logger.js';

export function sqsRecordToMessage(record: SQSRecord): QueueMessage {
  return { id: record.messageId, body: record.body, attempt: Number(record.attributes.ApproximateReceiveCount) || 1 };
}

/**
 * A Lambda handler for an SQS-triggered function: each message goes to the core handler on its own,
 * and the failed ones come back as `batchItemFailures` (the mapping has ReportBatchItemFailures), so one
 * bad message never re-delivers the good ones. Powertools' BatchProcessor does the bookkeeping.
 * A batch where every message failed is reported as such rather than thrown: same redelivery, clearer logs.
 */
export function sqsHandler<Deps>(handleMessage: MessageHandler<Deps>, deps: Deps) {
  const processor = new BatchProcessor(EventType.SQS);
  const handle = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const logger = portLogger(context.awsRequestId);
    return processPartialResponse(
      event,
      async (record: SQSRecord) => {
        const message = sqsRecordToMessage(record);
        try {
          await handleMessage(message, deps);
        } catch (error) {
          logger.warn('Message failed; it will be retried, then dead-lettered', { messageId: message.id, attempt: message.attempt, error: describeError(error) });
          throw error;
        }
      },
      processor,
      { context, throwOnFullBatchFailure: false },
    );
  };
  return middy(handle).use(injectLambdaContext(powertoolsLogger, { resetKeys: true }));
}
