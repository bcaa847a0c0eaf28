/**
 * Lambda's SQS event source mapping, emulated for `sls offline start`: batches of up to `batchSize`,
 * partial batch responses (only the reported messages stay on the queue), a thrown error fails the
 * whole batch. Redelivery after the visibility timeout and the move to the dead-letter queue after
 * `maxReceiveCount` receives are the queue's own work (local-aws-sqs honours RedrivePolicy), as on AWS.
 */
import type { SQSRecord } from 'aws-lambda';
import type { Message } from '@aws-sdk/client-sqs';

/** The settings of a serverless.yml `sqs` event, with Lambda's meaning and defaults. */
export interface QueueMappingSettings {
  batchSize: number;
  /** `functionResponseType: ReportBatchItemFailures`; without it Lambda ignores the response. */
  reportBatchItemFailures: boolean;
}

export function queueMappingSettings(event: Record<string, unknown>): QueueMappingSettings {
  // SQS hands out at most 10 messages per receive; Lambda's larger batches need a batching window.
  const batchSize = typeof event['batchSize'] === 'number' ? event['batchSize'] : 10;
  return { batchSize: Math.min(Math.max(batchSize, 1), 10), reportBatchItemFailures: event['functionResponseType'] === 'ReportBatchItemFailures' };
}

/** How an invocation ended: the function's response, or the error it threw (or its runtime reported). */
export type InvocationOutcome = { response: unknown } | { error: unknown };

/**
 * The message ids that go back to the queue after an invocation. A thrown error fails them all; with
 * ReportBatchItemFailures, the reported ones fail, and an identifier that is empty, not a string or
 * not in the batch fails the whole batch (Lambda's rule). Without it, a returned response is success.
 */
export function failedMessageIds(batch: readonly Pick<SQSRecord, 'messageId'>[], outcome: InvocationOutcome, settings: QueueMappingSettings): Set<string> {
  const all = new Set(batch.map((record) => record.messageId));
  if ('error' in outcome) return all;
  const { response } = outcome;
  if (!settings.reportBatchItemFailures || typeof response !== 'object' || response === null) return new Set();
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return new Set();
  if (!Array.isArray(failures)) return all;
  const failed = new Set<string>();
  for (const failure of failures) {
    const identifier = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    if (typeof identifier !== 'string' || !all.has(identifier)) return all;
    failed.add(identifier);
  }
  return failed;
}

/** An SQS API message as Lambda hands it to the function (the shape of events/aws/sqs/*.json). */
export function toLambdaRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const system = message.Attributes ?? {};
  const messageAttributes: SQSRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      dataType: value.DataType ?? 'String',
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: Buffer.from(value.BinaryValue).toString('base64') } : {}),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((binary) => Buffer.from(binary).toString('base64')),
    };
  }
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: system['ApproximateReceiveCount'] ?? '1',
      SentTimestamp: system['SentTimestamp'] ?? String(Date.now()),
      SenderId: system['SenderId'] ?? 'local',
      ApproximateFirstReceiveTimestamp: system['ApproximateFirstReceiveTimestamp'] ?? String(Date.now()),
      ...(system['MessageGroupId'] !== undefined ? { MessageGroupId: system['MessageGroupId'] } : {}),
      ...(system['MessageDeduplicationId'] !== undefined ? { MessageDeduplicationId: system['MessageDeduplicationId'] } : {}),
      ...(system['SequenceNumber'] !== undefined ? { SequenceNumber: system['SequenceNumber'] } : {}),
    },
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}
