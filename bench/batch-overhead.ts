/**
 * Child of `npm run bench` (bench/run.ts): a 100-record batch through our Lambda batch handlers against
 * the simplest alternative making the same core call per record, on in-memory ports.
 * - SQS: our queueTrigger vs a hand loop (every message at once, failures collected by messageId).
 * - DynamoDB Streams: our changeStreamTrigger vs Powertools' BatchProcessor for DynamoDB Streams.
 * Figures go to fd 3 as JSON (see adapter-overhead.ts).
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBRecord, DynamoDBStreamEvent, SQSBatchItemFailure, SQSEvent, SQSRecord } from 'aws-lambda';
import { dynamoDbRecordToChange, changeStreamTrigger } from '../adapters/aws/change-stream-trigger.js';
import { queueTrigger, sqsRecordToMessage } from '../adapters/aws/queue-trigger.js';
import { MemoryBookingRepository, MemoryGameMapRepository } from '../adapters/memory/repositories.js';
import { bookingsConsumer } from '../functions/queues/bookings-consumer.js';
import { placePlayers } from '../functions/streams/place-players.js';
import { lambdaContext } from '../test/support/lambda-context.js';
import { loadEvent } from '../test/support/load-event.js';
import { microsPerCall, reportFigures } from './stats.js';

const RECORDS = 100;
const context = lambdaContext('myevents-bench-batch');

const sqsTemplate = loadEvent<SQSEvent>('aws/sqs/bookings-queue-batch.json').Records[0]!;
const sqsEvent: SQSEvent = { Records: Array.from({ length: RECORDS }, (_, index): SQSRecord => ({ ...structuredClone(sqsTemplate), messageId: `message-${index}` })) };
const streamTemplate = loadEvent<DynamoDBStreamEvent>('aws/dynamodb-stream/players-table-insert.json').Records[0]!;
const streamEvent: DynamoDBStreamEvent = {
  Records: Array.from({ length: RECORDS }, (_, index): DynamoDBRecord => {
    const record = structuredClone(streamTemplate);
    record.eventID = `event-${index}`;
    record.dynamodb!.SequenceNumber = String(4421584500000000026450439780n + BigInt(index));
    return record;
  }),
};

// Every case repeats the same idempotent work per record: the event is known, the player placed, after the first batch.
const bookingsDeps = { bookings: new MemoryBookingRepository() };
const mapDeps = { gameMap: new MemoryGameMapRepository() };

const ours = queueTrigger(bookingsConsumer, bookingsDeps);
/** The simplest handler with the same semantics: every message at once, the failed ones reported by id. */
async function handLoop(event: SQSEvent): Promise<{ batchItemFailures: SQSBatchItemFailure[] }> {
  const outcomes = await Promise.allSettled(event.Records.map((record) => bookingsConsumer(sqsRecordToMessage(record), bookingsDeps)));
  return { batchItemFailures: event.Records.filter((_, index) => outcomes[index]!.status === 'rejected').map((record) => ({ itemIdentifier: record.messageId })) };
}

const oursStream = changeStreamTrigger(placePlayers, mapDeps);
const streamProcessor = new BatchProcessor(EventType.DynamoDBStreams);
const powertoolsStream = (event: DynamoDBStreamEvent) =>
  processPartialResponse(event, (record: DynamoDBRecord) => placePlayers(dynamoDbRecordToChange(record), mapDeps), streamProcessor, { context });

const noFailures = (response: { batchItemFailures: unknown[] } | void): void => {
  if (!response || response.batchItemFailures.length > 0) throw new Error('a record failed');
};

const samples = await microsPerCall(
  {
    'SQS: hand loop': async () => noFailures(await handLoop(sqsEvent)),
    'SQS: our queueTrigger': async () => noFailures(await ours(sqsEvent, context)),
    'DynamoDB Streams: Powertools BatchProcessor': async () => noFailures(await powertoolsStream(streamEvent)),
    'DynamoDB Streams: our changeStreamTrigger': async () => noFailures(await oursStream(streamEvent, context)),
  },
  { samples: Number(process.env['BENCH_SAMPLES'] ?? 25), iterations: 20 },
);
reportFigures(samples);
