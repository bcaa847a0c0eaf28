/**
 * Reads a table's DynamoDB stream as Lambda's poller does and hands the records over in the shape
 * Lambda gives functions (toLambdaRecord): shards discovered on each poll, parents before children,
 * each from its checkpoint or the mapping's starting position; offline-streams.ts decides what to do
 * with them (stream-mapping.ts) and commits how far a shard was processed.
 * Relies on: the DynamoDB Streams API as DynamoDB Local serves it (DescribeStream, GetShardIterator,
 * GetRecords), including one quirk worked around in getRecords (TrimmedDataAccessException after
 * another table is written, with -sharedDb).
 */
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  TrimmedDataAccessException,
  type DynamoDBStreamsClient,
  type _Record as StreamsApiRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';

/** Where each shard was last processed up to, so a restart resumes instead of replaying the stream. */
export interface CheckpointStore {
  get(shardId: string): string | undefined;
  set(shardId: string, sequenceNumber: string): void;
}

export interface ShardBatch {
  shardId: string;
  records: DynamoDBRecord[];
}

/** A Streams API record in the shape Lambda hands to functions (epoch seconds, the stream ARN attached). */
export function toLambdaRecord(record: StreamsApiRecord, streamArn: string): DynamoDBRecord {
  const change = record.dynamodb ?? {};
  const approximate = change.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: record.awsRegion,
    dynamodb: {
      ...(approximate ? { ApproximateCreationDateTime: Math.floor(approximate.getTime() / 1000) } : {}),
      Keys: change.Keys,
      NewImage: change.NewImage,
      OldImage: change.OldImage,
      SequenceNumber: change.SequenceNumber,
      SizeBytes: change.SizeBytes,
      StreamViewType: change.StreamViewType,
    },
    eventSourceARN: streamArn,
  } as DynamoDBRecord; // the SDK's AttributeValue and aws-lambda's describe the same JSON
}

/**
 * Reads one table's stream shard by shard, as Lambda's poller does: parents before children, each
 * shard from its checkpoint (or the starting position), one GetRecords round per call to `poll`.
 */
export class DynamoDbStreamSource {
  private readonly iterators = new Map<string, string | null>();
  /** The last sequence number read from each shard: where to resume when an iterator goes bad. */
  private readonly lastRead = new Map<string, string>();
  // Stream record times are rounded down to the second.
  private readonly startedAt = Math.floor(Date.now() / 1000) * 1000;

  constructor(
    private readonly client: DynamoDBStreamsClient,
    readonly streamArn: string,
    private readonly startingPosition: 'TRIM_HORIZON' | 'LATEST',
    private readonly checkpoints: CheckpointStore,
  ) {}

  /** New records of every open shard since the last call (empty batches left out). */
  async poll(): Promise<ShardBatch[]> {
    await this.discoverShards();
    const batches: ShardBatch[] = [];
    for (const [shardId, iterator] of this.iterators) {
      if (iterator === null) continue; // closed and drained
      const page = await this.getRecords(shardId, iterator);
      this.iterators.set(shardId, page.NextShardIterator ?? null);
      const records = (page.Records ?? []).map((record) => toLambdaRecord(record, this.streamArn));
      const last = records[records.length - 1]?.dynamodb?.SequenceNumber;
      if (last) this.lastRead.set(shardId, last);
      if (records.length > 0) batches.push({ shardId, records });
    }
    return batches;
  }

  /**
   * DynamoDB Local numbers stream records with one counter across all tables (-sharedDb), and the
   * NextShardIterator of a read that found nothing then fails with TrimmedDataAccessException once
   * another table is written. Re-positioning after the last record read (or at the shard's start)
   * yields exactly the records Lambda would get.
   */
  private async getRecords(shardId: string, iterator: string) {
    try {
      return await this.client.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
    } catch (error) {
      if (!(error instanceof TrimmedDataAccessException)) throw error;
      const last = this.lastRead.get(shardId) ?? this.checkpoints.get(shardId);
      const { ShardIterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: shardId,
          ...(last ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: last } : { ShardIteratorType: 'TRIM_HORIZON' }),
        }),
      );
      const page = await this.client.send(new GetRecordsCommand({ ShardIterator, Limit: 1000 }));
      // Starting at LATEST with nothing read yet: what is older than this source was never due.
      if (!last && this.startingPosition === 'LATEST') {
        page.Records = (page.Records ?? []).filter((record) => (record.dynamodb?.ApproximateCreationDateTime?.getTime() ?? 0) >= this.startedAt);
      }
      return page;
    }
  }

  /** Marks a shard processed up to and including `sequenceNumber`. */
  commit(shardId: string, sequenceNumber: string): void {
    this.checkpoints.set(shardId, sequenceNumber);
  }

  private async discoverShards(): Promise<void> {
    const description = await this.client.send(new DescribeStreamCommand({ StreamArn: this.streamArn }));
    for (const shard of description.StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId;
      if (!shardId || this.iterators.has(shardId)) continue;
      const checkpoint = this.checkpoints.get(shardId);
      // A child shard (its parent known to us) starts at its beginning: nothing in it was seen yet.
      const isChild = shard.ParentShardId !== undefined && this.iterators.has(shard.ParentShardId);
      const { ShardIterator } = await this.client.send(
        new GetShardIteratorCommand({
          StreamArn: this.streamArn,
          ShardId: shardId,
          ...(checkpoint
            ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: checkpoint }
            : { ShardIteratorType: isChild ? 'TRIM_HORIZON' : this.startingPosition }),
        }),
      );
      this.iterators.set(shardId, ShardIterator ?? null);
    }
  }
}
