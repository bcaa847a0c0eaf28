import middy from '@middy/core';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ChangeHandler, ChangeRecord } from '../../functions/streams/contract.js';
import { describeError } from '../shared/describe-error.js';
import { bindHop, bindLogger, inChangeHop } from '../shared/trace-carriers.js';
import { functionNameOfPlatform, type Hop } from '../shared/tracing.js';
import { portLogger } from './logger.js';
import { LAMBDA_WRAPPER_OPTIONS } from './middy-options.js';

const kinds = { INSERT: 'insert', MODIFY: 'modify', REMOVE: 'remove' } as const;

// aws-lambda's AttributeValue type and the SDK's describe the same JSON; the cast only bridges the two declarations.
const fromImage = (image: Record<string, unknown> | undefined): Record<string, unknown> | undefined =>
  image === undefined ? undefined : unmarshall(image as Record<string, AttributeValue>);

/** A DynamoDB Streams record (AttributeValue form) as the neutral change record, images unmarshalled. */
export function dynamoDbRecordToChange(record: DynamoDBRecord): ChangeRecord {
  const kind = record.eventName === undefined ? undefined : kinds[record.eventName];
  if (kind === undefined) throw new TypeError(`DynamoDB stream record ${record.eventID} has no eventName`);
  const change: ChangeRecord = { id: record.eventID ?? record.dynamodb?.SequenceNumber ?? '', kind, key: fromImage(record.dynamodb?.Keys) ?? {} };
  const before = fromImage(record.dynamodb?.OldImage);
  const after = fromImage(record.dynamodb?.NewImage);
  if (before) change.before = before;
  if (after) change.after = after;
  return change;
}

/**
 * A Lambda handler for a DynamoDB-Streams-triggered function. Records are handled one at a time in
 * stream order, and processing stops at the first failure, which is reported by its SequenceNumber:
 * Lambda resumes from there, so no later change of the same item can overtake a failed one.
 * Written by hand because Powertools' BatchProcessor goes on after a failure (only its SQS FIFO
 * processor stops), which would let later changes of an item be applied before an earlier one.
 */
export function changeStreamTrigger<Deps>(handleChange: ChangeHandler<Deps>, deps: Deps) {
  const handle = async (event: DynamoDBStreamEvent, context: Context): Promise<DynamoDBBatchResponse> => {
    const logger = portLogger(context.awsRequestId);
    const fn = functionNameOfPlatform({ AWS_LAMBDA_FUNCTION_NAME: context.functionName });
    for (const record of event.Records) {
      const sequenceNumber = record.dynamodb?.SequenceNumber ?? '';
      let hop: Hop | undefined; // the record's hop, so that its failure line carries its trace
      try {
        // Each record a hop of its own, continuing the trace of the request that wrote the item (trace-carriers.ts).
        const change = dynamoDbRecordToChange(record);
        await inChangeHop(fn, change, (started) => handleChange(change, bindHop(deps, (hop = started))));
      } catch (error) {
        bindLogger(logger, hop).warn('Stream record failed; the batch resumes from it', { eventID: record.eventID, sequenceNumber, error: describeError(error) });
        return { batchItemFailures: [{ itemIdentifier: sequenceNumber }] };
      }
    }
    return { batchItemFailures: [] };
  };
  return middy(handle, LAMBDA_WRAPPER_OPTIONS);
}
