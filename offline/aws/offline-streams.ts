/**
 * The stream half of the serverless plugin (serverless-plugin.mjs calls startOfflineStreams on `sls
 * offline start`): provisions the template's tables and queues in the local emulators, starts the
 * queue pollers (offline-queues.ts), and runs one loop per DynamoDB `stream` event of every function:
 *   DynamoDbStreamSource.poll (dynamodb-stream-source.ts: reads the table's shards, like Lambda's poller)
 *   -> deliverRecords (stream-mapping.ts: what Lambda's event source mapping does with the answer:
 *      partial batch responses, bisect, bounded retries, the on-failure destination)
 *   -> serverless-offline's Lambda runner (serverless-offline.ts: the same in-process function as HTTP)
 *   -> the shard's checkpoint, saved only when no queue holds work still due (settled-checkpoints.ts).
 * Relies on: DynamoDB Local's Streams API and local SQS (endpoints from serverless.yml's
 * custom.offlineStreams or AWS_ENDPOINT_URL_*), serverless-offline's Lambda runner, and the template's
 * `stream` events pointing at tables of its own resources (`!GetAtt <Table>.StreamArn`).
 */
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDbStreamSource } from './dynamodb-stream-source.js';
import { assertEnginesAnswer } from '../shared/engines-reachable.js';
import { startOfflineQueues } from './offline-queues.js';
import { queuesDrained, settledCheckpoints } from './settled-checkpoints.js';
import { ensureQueues, ensureTables, getAttTarget, missingIndexes } from './provision.js';
import { invocationLine, noteInvocationTrace, observePublished, streamRecordLabel } from './invocation-lines.js';
import { exportSpansToParent } from '../shared/span-export.js';
import { deliverRecords, mappingSettings, onFailureRecord, resumeIndex } from './stream-mapping.js';
import { templateEventSources, type PluginLog, type ServerlessLike } from './serverless-framework.js';
import type { OfflineLambdaClass } from './serverless-offline.js';

interface Settings {
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  region: string;
  checkpointFile: string | undefined;
  /** Tests only: a shorter VisibilityTimeout for every queue, so redelivery shows within seconds. */
  visibilityTimeout: number | undefined;
  pollIntervalMs: number;
  retryPauseMs: number;
  /** How often the processed stream positions are offered to the checkpoint file (see settled-checkpoints.ts). */
  settleIntervalMs: number;
}

function readSettings(serverless: ServerlessLike): Settings {
  const custom = (serverless.service.custom?.['offlineStreams'] ?? {}) as Partial<Settings>;
  return {
    dynamodbEndpoint: custom.dynamodbEndpoint ?? process.env['AWS_ENDPOINT_URL_DYNAMODB'] ?? 'http://127.0.0.1:8000',
    sqsEndpoint: custom.sqsEndpoint ?? process.env['AWS_ENDPOINT_URL_SQS'] ?? 'http://127.0.0.1:9324',
    region: serverless.service.provider.region ?? 'us-east-1',
    checkpointFile: custom.checkpointFile,
    visibilityTimeout: process.env['OFFLINE_SQS_VISIBILITY_TIMEOUT'] ? Number(process.env['OFFLINE_SQS_VISIBILITY_TIMEOUT']) : undefined,
    // Lambda polls a stream shard about four times a second.
    pollIntervalMs: custom.pollIntervalMs ?? 250,
    retryPauseMs: custom.retryPauseMs ?? 200,
    settleIntervalMs: custom.settleIntervalMs ?? 500,
  };
}

const isDynamoDbStream = (stream: Record<string, unknown>): boolean => (stream['type'] ?? 'dynamodb') === 'dynamodb';

/**
 * Provisions the template's tables and queues in the local emulators, then runs one poller per
 * DynamoDB `stream` event of every function, invoking it through serverless-offline's own Lambda runner.
 */
export async function startOfflineStreams(
  serverless: ServerlessLike,
  options: unknown,
  Lambda: OfflineLambdaClass,
  log: PluginLog,
  /** A function whose bundle does not build (hot-reload.ts) is not invoked: its records wait, as on a failed deploy. */
  isBroken: (functionKey: string) => boolean = () => false,
): Promise<{ stop(): Promise<void> }> {
  const settings = readSettings(serverless);
  await assertEnginesAnswer(settings);
  // Under npm start (an IPC channel to it): every span of this process (the HTTP handlers serverless-offline
  // runs in process, and the stream and queue invocations below) goes to npm start's local console.
  exportSpansToParent(noteInvocationTrace);
  const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
  const dynamodb = new DynamoDBClient({ endpoint: settings.dynamodbEndpoint, region: settings.region, credentials });
  const streams = new DynamoDBStreamsClient({ endpoint: settings.dynamodbEndpoint, region: settings.region, credentials });
  const sqs = new SQSClient({ endpoint: settings.sqsEndpoint, region: settings.region, credentials });
  const resources = serverless.service.resources?.Resources ?? {};

  const createdTables = await ensureTables(dynamodb, resources);
  if (createdTables.length > 0) log.notice(`offline-streams: created tables ${createdTables.join(', ')}`);
  for (const missing of await missingIndexes(dynamodb, resources)) {
    log.warning(`offline-streams: warning: the table ${missing.replace(': ', ' lacks the index ')} that serverless.yml declares (the data directory predates it), so the requests that read it fail; \`npm start -- --fresh\` starts clean`);
  }
  await ensureQueues(sqs, resources, { visibilityTimeout: settings.visibilityTimeout });

  const lambda = new Lambda(serverless, options);
  const queues = await startOfflineQueues(serverless, lambda, sqs, settings.region, log, isBroken);
  const checkpoints = settledCheckpoints(settings.checkpointFile, () => queuesDrained(sqs, queues.sourceQueueUrls), (message) => log.warning(`offline-streams: ${message}`));
  const pollers: Promise<void>[] = [];
  let running = true;
  const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
  const settle = () => checkpoints.settle().catch((error: unknown) => log.error(`offline-streams: checkpoint not saved: ${error instanceof Error ? error.message : String(error)}`));

  const warnSkipped = (functionKey: string) => log.warning(`offline-streams: ${functionKey}: only "arn: !GetAtt <Table>.StreamArn" of a table in resources is supported; skipped`);
  for (const { functionKey, definition, event: stream, name: tableName } of templateEventSources(serverless, 'stream', 'TableName', warnSkipped, isDynamoDbStream)) {
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    const streamArn = Table?.LatestStreamArn;
    if (!streamArn) throw new Error(`offline-streams: table ${tableName} has no stream`);
    const failureQueue = getAttTarget((stream['destinations'] as { onFailure?: { arn?: unknown } } | undefined)?.onFailure?.arn);
    const failureQueueName = failureQueue && resources[failureQueue.id]?.Properties?.['QueueName'];
    const failureQueueUrl = typeof failureQueueName === 'string' ? (await sqs.send(new GetQueueUrlCommand({ QueueName: failureQueueName }))).QueueUrl : undefined;

    lambda.create([{ functionKey, functionDefinition: definition }]);
    const settingsOfMapping = mappingSettings(stream);
    const source = new DynamoDbStreamSource(streams, streamArn, stream['startingPosition'] === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON', checkpoints);
    const functionArn = `arn:aws:lambda:${settings.region}:000000000000:function:${definition.name ?? functionKey}`;
    log.notice(`offline-streams: ${functionKey} <- ${tableName} stream (batch ${settingsOfMapping.batchSize}, retries ${settingsOfMapping.maximumRetryAttempts}, bisect ${settingsOfMapping.bisectBatchOnFunctionError})`);

    pollers.push(
      (async () => {
        while (running) {
          if (isBroken(functionKey)) {
            await sleep(settings.pollIntervalMs);
            continue;
          }
          try {
            for (const { shardId, records } of await source.poll()) {
              await deliverRecords(records, settingsOfMapping, {
                invoke: async (batch) => {
                  const handler = lambda.get(functionKey);
                  handler.setEvent({ Records: batch });
                  const { outcome, published, traceIds } = await observePublished(() => handler.runHandler());
                  const resume = 'error' in outcome ? 0 : resumeIndex(batch, outcome.response, settingsOfMapping);
                  const failed = resume === 'none' ? 0 : batch.length - resume;
                  log.notice(invocationLine({ functionKey, noun: 'record', items: batch.map(streamRecordLabel), failed, published, error: 'error' in outcome ? outcome.error : undefined, retryNote: 'retried from the first failed record', traceIds }));
                  if ('error' in outcome) throw outcome.error;
                  return outcome.response;
                },
                discard: async (batch, condition, invokeCount) => {
                  log.warning(`offline-streams: ${functionKey} gave up on ${batch.length} record(s) (${condition})`);
                  if (!failureQueueUrl) return;
                  const message = onFailureRecord(functionArn, streamArn, shardId, batch, condition, invokeCount);
                  await sqs.send(new SendMessageCommand({ QueueUrl: failureQueueUrl, MessageBody: JSON.stringify(message) }));
                },
                now: () => Math.floor(Date.now() / 1000),
                pause: (attempt) => sleep(settings.retryPauseMs * attempt),
              });
              const last = records[records.length - 1]?.dynamodb?.SequenceNumber;
              if (last) source.commit(shardId, last);
            }
          } catch (error) {
            log.error(`offline-streams: ${functionKey}: ${error instanceof Error ? error.message : String(error)}`);
          }
          await sleep(settings.pollIntervalMs);
        }
      })(),
    );
  }

  pollers.push(
    (async () => {
      while (running) {
        await settle();
        await sleep(settings.settleIntervalMs);
      }
    })(),
  );

  return {
    async stop() {
      running = false;
      await Promise.all([...pollers, queues.stop()]);
      await settle(); // a clean stop with drained queues resumes exactly where it left off
      await lambda.cleanup();
    },
  };
}
