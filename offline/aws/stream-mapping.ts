import { randomUUID } from 'node:crypto';
/**
 * Lambda's DynamoDB Streams event source mapping, emulated for `sls offline start`: batching, partial
 * batch responses (resume from the lowest reported SequenceNumber), bisect on error, bounded retries,
 * record age limit, then the on-failure destination. serverless-offline-dynamodb-streams retries whole
 * batches and ignores batchItemFailures, so local runs would not match Lambda; hence this module.
 *
 * Pure decisions, no I/O of its own: offline-streams.ts hands it a shard's records and the ways to
 * invoke, discard and pause; test/offline/stream-mapping.test.ts drives it with fakes. Relies only on
 * Lambda's documented mapping semantics (the settings' names and defaults are serverless.yml's) and on
 * records arriving in SequenceNumber order per shard (dynamodb-stream-source.ts).
 */

/** The part of a Lambda DynamoDB stream record this module reads. */
export interface StreamRecord {
  dynamodb?: { SequenceNumber?: string; ApproximateCreationDateTime?: number };
}

/** The mapping settings of a serverless.yml `stream` event, with Lambda's meaning and defaults. */
export interface MappingSettings {
  batchSize: number;
  /** -1 = retry until the record expires (Lambda's default; we always bound it in serverless.yml). */
  maximumRetryAttempts: number;
  /** -1 = no age limit. */
  maximumRecordAgeInSeconds: number;
  bisectBatchOnFunctionError: boolean;
  /** `functionResponseType: ReportBatchItemFailures`; without it Lambda ignores the response. */
  reportBatchItemFailures: boolean;
}

export function mappingSettings(event: Record<string, unknown>): MappingSettings {
  const number = (value: unknown, fallback: number): number => (typeof value === 'number' ? value : fallback);
  return {
    batchSize: number(event['batchSize'], 100),
    maximumRetryAttempts: number(event['maximumRetryAttempts'], -1),
    maximumRecordAgeInSeconds: number(event['maximumRecordAgeInSeconds'], -1),
    bisectBatchOnFunctionError: event['bisectBatchOnFunctionError'] === true,
    reportBatchItemFailures: event['functionResponseType'] === 'ReportBatchItemFailures',
  };
}

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface MappingPorts<R extends StreamRecord> {
  /** Invokes the function with `{ Records }`; resolves to its response, rejects when it throws. */
  invoke(records: R[]): Promise<unknown>;
  /** Sends a batch Lambda gives up on to the on-failure destination. */
  discard(records: R[], condition: FailureCondition, invokeCount: number): Promise<void>;
  /** Seconds since the epoch. */
  now(): number;
  /** Pause between retries of a failing batch. */
  pause(attempt: number): Promise<void>;
}

const sequenceOf = (record: StreamRecord): string | undefined => record.dynamodb?.SequenceNumber;

/**
 * Where the batch failed, by the function's response: 'none' (success), or the index to resume from.
 * An identifier that names no record of the batch fails the whole batch, as on Lambda.
 */
export function resumeIndex(batch: StreamRecord[], response: unknown, settings: MappingSettings): number | 'none' {
  if (!settings.reportBatchItemFailures || typeof response !== 'object' || response === null) return 'none';
  const failures = (response as { batchItemFailures?: unknown }).batchItemFailures;
  if (!Array.isArray(failures) || failures.length === 0) return 'none';
  const indexes = failures.map((failure: unknown) => {
    const identifier = (failure as { itemIdentifier?: unknown } | null)?.itemIdentifier;
    return typeof identifier === 'string' && identifier !== '' ? batch.findIndex((record) => sequenceOf(record) === identifier) : -1;
  });
  return indexes.includes(-1) ? 0 : Math.min(...indexes);
}

/**
 * Feeds `records` (in stream order) to the function until each one has either succeeded or been
 * discarded to the on-failure destination. Returns how many were discarded.
 */
export async function deliverRecords<R extends StreamRecord>(records: R[], settings: MappingSettings, ports: MappingPorts<R>): Promise<number> {
  const maxRetries = settings.maximumRetryAttempts < 0 ? Number.POSITIVE_INFINITY : settings.maximumRetryAttempts;
  let start = 0;
  let size = settings.batchSize;
  let retries = 0;
  let discarded = 0;
  while (start < records.length) {
    const head = records[start]!;
    const age = ports.now() - (head.dynamodb?.ApproximateCreationDateTime ?? ports.now());
    if (settings.maximumRecordAgeInSeconds >= 0 && age > settings.maximumRecordAgeInSeconds) {
      await ports.discard([head], 'RecordAgeExceeded', retries);
      discarded += 1;
      start += 1;
      continue;
    }
    const batch = records.slice(start, start + size);
    let failedAt: number | 'none';
    try {
      failedAt = resumeIndex(batch, await ports.invoke(batch), settings);
    } catch {
      failedAt = 0;
    }
    if (failedAt === 'none') {
      start += batch.length;
      size = settings.batchSize;
      retries = 0;
    } else if (failedAt > 0) {
      start += failedAt; // everything before the reported record is done
      retries = 0;
    } else if (settings.bisectBatchOnFunctionError && batch.length > 1) {
      size = Math.ceil(batch.length / 2); // splitting does not count as a retry
    } else if (retries < maxRetries) {
      retries += 1;
      await ports.pause(retries);
    } else {
      await ports.discard(batch, 'RetryAttemptsExhausted', retries + 1);
      discarded += batch.length;
      start += batch.length;
      size = settings.batchSize;
      retries = 0;
    }
  }
  return discarded;
}

/** Lambda's on-failure record for a stream batch: where the records are, not the records. */
export function onFailureRecord(functionArn: string, streamArn: string, shardId: string, records: StreamRecord[], condition: FailureCondition, invokeCount: number) {
  const first = records[0]?.dynamodb;
  const last = records[records.length - 1]?.dynamodb;
  const arrival = (seconds: number | undefined) => (seconds === undefined ? undefined : new Date(seconds * 1000).toISOString());
  return {
    requestContext: { requestId: randomUUID(), functionArn, condition, approximateInvokeCount: invokeCount },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: new Date().toISOString(),
    DDBStreamBatchInfo: {
      shardId,
      startSequenceNumber: first?.SequenceNumber,
      endSequenceNumber: last?.SequenceNumber,
      approximateArrivalOfFirstRecord: arrival(first?.ApproximateCreationDateTime),
      approximateArrivalOfLastRecord: arrival(last?.ApproximateCreationDateTime),
      batchSize: records.length,
      streamArn,
    },
  };
}
