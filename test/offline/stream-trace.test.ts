import { randomUUID } from 'node:crypto';
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { changeStreamTrigger } from '../../adapters/aws/change-stream-trigger.js';
import { createDocumentClient } from '../../adapters/aws/dynamodb/document-client.js';
import { DynamoPlayerRepository } from '../../adapters/aws/dynamodb/player-repository.js';
import { lambdaLog } from '../../adapters/aws/logger.js';
import { MemoryGameMapRepository } from '../../adapters/memory/repositories.js';
import { inHop } from '../../adapters/shared/tracing.js';
import { placePlayers } from '../../functions/index.js';
import { localClientConfig } from '../../offline/aws/dynamodb-local.js';
import { DynamoDbStreamSource } from '../../offline/aws/dynamodb-stream-source.js';
import { createTables, startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.js';
import { lambdaContext } from '../support/lambda-context.js';

/**
 * The stored-item carrier on a real stream, as `npm start` runs it: a player written in a hop by the
 * DynamoDB repository into DynamoDB Local, read back from the table's stream by the offline stream
 * source, handed to the AWS change-stream trigger: placePlayers continues the writer's trace; the
 * delete's record (its OldImage the last write) is linked to that writer instead.
 */

let local: DynamoDbLocal;
let streams: DynamoDBStreamsClient;
const exporter = new InMemorySpanExporter();

beforeAll(async () => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined);
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  local = await startDynamoDbLocal();
  streams = new DynamoDBStreamsClient(localClientConfig(local.endpoint));
}, 60_000);
afterAll(async () => {
  trace.disable();
  vi.restoreAllMocks();
  streams?.destroy();
  await local?.stop();
});

describe('the writer\'s traceparent through DynamoDB Local\'s stream', () => {
  it('placePlayers continues the trace of the request that wrote the player, and links the delete to it', async () => {
    const prefix = `trace-${randomUUID().slice(0, 8)}`;
    const tables = { events: `${prefix}-events`, bookings: `${prefix}-bookings`, players: `${prefix}-players`, gameMap: `${prefix}-game-map` };
    await createTables(local.client, tables);
    const { Table } = await local.client.send(new DescribeTableCommand({ TableName: tables.players }));
    const source = new DynamoDbStreamSource(streams, Table!.LatestStreamArn!, 'TRIM_HORIZON', { get: () => undefined, set: () => undefined });
    const players = new DynamoPlayerRepository(createDocumentClient(local.client), tables.players);
    const player = { id: randomUUID(), name: 'Ada', owner: 'user-1' };

    const writer = await inHop({ name: 'POST /players', kind: 'http', fn: 'playersApi' }, async (hop) => {
      await players.forHop(hop).add(player);
      return hop.context;
    });
    const remover = await inHop({ name: 'DELETE /players/{id}', kind: 'http', fn: 'playersApi' }, async (hop) => {
      await players.forHop(hop).remove(player.id);
      return hop.context;
    });
    exporter.reset();

    const records = (await source.poll()).flatMap((batch) => batch.records);
    expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'REMOVE']);
    const gameMap = new MemoryGameMapRepository();
    const response = await changeStreamTrigger(placePlayers, { gameMap })({ Records: records }, lambdaContext('myevents-test-placePlayers'));
    expect(response.batchItemFailures).toEqual([]);

    const [inserted, removed] = exporter.getFinishedSpans();
    expect(inserted?.spanContext().traceId).toBe(writer.traceId);
    expect(inserted?.parentSpanContext?.spanId).toBe(writer.spanId);
    expect(inserted?.attributes).toMatchObject({ 'faas.name': 'placePlayers', 'myevents.kind': 'change-stream' });
    // The stream cannot say who deleted: a trace of its own, linked to the last writer, never the remover's.
    expect(removed?.spanContext().traceId).not.toBe(writer.traceId);
    expect(removed?.spanContext().traceId).not.toBe(remover.traceId);
    expect(removed?.links.map((link) => link.context.spanId)).toEqual([writer.spanId]);
  });
});
