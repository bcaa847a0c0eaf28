import { CreateTableCommand, DescribeTableCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDbStreamSource, type CheckpointStore } from '../../offline/aws/dynamodb-stream-source.js';
import { localClientConfig } from '../../offline/aws/dynamodb-local.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.js';

let local: DynamoDbLocal;
let streams: DynamoDBStreamsClient;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  streams = new DynamoDBStreamsClient(localClientConfig(local.endpoint));
}, 60_000);
afterAll(async () => {
  streams?.destroy();
  await local?.stop();
});

async function tableWithStream(name: string): Promise<string> {
  await local.client.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
      StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    }),
  );
  const { Table } = await local.client.send(new DescribeTableCommand({ TableName: name }));
  return Table!.LatestStreamArn!;
}

const put = (table: string, pk: string) => local.client.send(new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, n: { N: '7' } } }));

function memoryCheckpoints(): CheckpointStore & { positions: Map<string, string> } {
  const positions = new Map<string, string>();
  return { positions, get: (shard) => positions.get(shard), set: (shard, sequence) => void positions.set(shard, sequence) };
}

const keysOf = (batches: Awaited<ReturnType<DynamoDbStreamSource['poll']>>) => batches.flatMap((batch) => batch.records.map((record) => record.dynamodb?.Keys?.['pk']?.S));

describe('offline stream source on DynamoDB Local', () => {
  it("reads one table's changes in order while other tables are written too, as Lambda records", async () => {
    const streamArn = await tableWithStream('source-a');
    await tableWithStream('source-b');
    const source = new DynamoDbStreamSource(streams, streamArn, 'TRIM_HORIZON', memoryCheckpoints());
    expect(await source.poll()).toEqual([]);

    // DynamoDB Local numbers records of all tables with one counter: the iterator of the empty read above goes stale.
    await put('source-a', 'a1');
    await put('source-b', 'b1');
    await put('source-a', 'a2');
    const batches = await source.poll();
    expect(keysOf(batches)).toEqual(['a1', 'a2']);
    expect(batches[0]!.records[0]).toMatchObject({
      eventName: 'INSERT',
      eventSource: 'aws:dynamodb',
      eventSourceARN: streamArn,
      dynamodb: { NewImage: { pk: { S: 'a1' }, n: { N: '7' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' },
    });
    expect(typeof batches[0]!.records[0]!.dynamodb!.ApproximateCreationDateTime).toBe('number');
    expect(await source.poll()).toEqual([]);

    await put('source-a', 'a3');
    expect(keysOf(await source.poll())).toEqual(['a3']);
  }, 30_000);

  it('resumes after its checkpoint instead of replaying the stream', async () => {
    const streamArn = await tableWithStream('source-c');
    const checkpoints = memoryCheckpoints();
    const first = new DynamoDbStreamSource(streams, streamArn, 'TRIM_HORIZON', checkpoints);
    await put('source-c', 'c1');
    await put('source-c', 'c2');
    const [batch] = await first.poll();
    first.commit(batch!.shardId, batch!.records.at(-1)!.dynamodb!.SequenceNumber!);

    await put('source-c', 'c3');
    const restarted = new DynamoDbStreamSource(streams, streamArn, 'TRIM_HORIZON', checkpoints);
    expect(keysOf(await restarted.poll())).toEqual(['c3']);
  }, 30_000);
});
