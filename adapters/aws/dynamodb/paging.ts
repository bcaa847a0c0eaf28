import { createHash } from 'node:crypto';
import { BatchGetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { decodeCursor, encodeCursor, pageOf, type Page, type PageRequest } from '../../../functions/paging.js';

/**
 * Lists in DynamoDB: every list lives in one or more partitions whose sort key *is* the list position
 * (functions/domain/list-order.ts), so a page is a `sort key > cursor position` Query per partition
 * with `Limit = limit + 1`, merged in order. The cost of a page is bounded by the partitions and the
 * limit, never by the size of the list, and no Scan is ever needed.
 */

/**
 * How many partitions a catalogue list (events, locations, the game map) is spread over. Writes are
 * what make a partition key hot (about 1,000 writes/s per key), so each new item goes to the shard of
 * its id; a page queries every shard and merges, reading at most SHARDS × (limit + 1) keys. Four keeps
 * a page at four small parallel queries while spreading creations four ways. Item collections of a
 * GSI or a table without LSIs have no size limit, and DynamoDB splits a large key by sort key.
 */
export const SHARDS = 4;

/** The shard (0..SHARDS-1) of an id: a stable hash, so an item's list partition follows from its id alone. */
export function shardOf(id: string): number {
  return createHash('sha256').update(id).digest().readUInt32BE(0) % SHARDS;
}

/** The partition keys of a sharded list: `EVENTS#0` … `EVENTS#3`. */
export const shardKeys = (prefix: string): string[] => Array.from({ length: SHARDS }, (_, shard) => `${prefix}#${shard}`);

export interface ListQuery {
  tableName: string;
  /** A global secondary index, or the table itself when absent. */
  indexName?: string;
  /** Attribute names of the list's partition and sort keys (the table's or the index's). */
  partitionKey: string;
  sortKey: string;
  /** Every partition key of the list. */
  partitions: string[];
  /** The position of the previous page's last item (exclusive). */
  after: string | undefined;
  limit: number;
}

/** How a list names its cursors and orders its items (functions/domain/list-order.ts). */
export interface ListOrderOf<T> {
  list: string;
  positionOf: (item: T) => string;
  isPosition: (position: string) => boolean;
}

/** One page of a list whose partitions hold the items themselves (no second read): the cursor decoded, the items parsed. */
export async function readItemsPage<T>(
  documents: DynamoDBDocumentClient,
  query: Omit<ListQuery, 'after' | 'limit'>,
  order: ListOrderOf<T>,
  parse: (item: Record<string, unknown>) => T,
  page: PageRequest,
): Promise<Page<T>> {
  const after = page.cursor === undefined ? undefined : decodeCursor(order.list, page.cursor, order.isPosition);
  const { items, more } = await queryListPage(documents, { ...query, after, limit: page.limit });
  return pageOf(items.map(parse), more, order.list, order.positionOf);
}

/** One page of the list's items (as stored, in position order) and whether more follow. */
export async function queryListPage(documents: DynamoDBDocumentClient, query: ListQuery): Promise<{ items: Record<string, unknown>[]; more: boolean }> {
  const pages = await Promise.all(
    query.partitions.map(async (partition) => {
      const { Items = [] } = await documents.send(
        new QueryCommand({
          TableName: query.tableName,
          IndexName: query.indexName,
          ...(query.after === undefined
            ? { KeyConditionExpression: '#pk = :pk', ExpressionAttributeNames: { '#pk': query.partitionKey }, ExpressionAttributeValues: { ':pk': partition } }
            : {
                KeyConditionExpression: '#pk = :pk AND #sk > :after',
                ExpressionAttributeNames: { '#pk': query.partitionKey, '#sk': query.sortKey },
                ExpressionAttributeValues: { ':pk': partition, ':after': query.after },
              }),
          // One more than a page tells whether another page follows, without an empty last page.
          Limit: query.limit + 1,
          // GSIs can only be read eventually consistent; the table itself read-your-writes, as the ports promise.
          ...(query.indexName === undefined ? { ConsistentRead: true } : {}),
        }),
      );
      return Items;
    }),
  );
  const position = (item: Record<string, unknown>): string => String(item[query.sortKey]);
  const merged = pages.flat().sort((a, b) => (position(a) < position(b) ? -1 : position(a) > position(b) ? 1 : 0));
  return { items: merged.slice(0, query.limit), more: merged.length > query.limit };
}

/**
 * The global secondary index of the events table that lists events and locations (infra/aws/tables.yml):
 * keys only, so it is written when an item is created and never when a booking changes `seatsBooked`.
 */
const LIST_INDEX = { indexName: 'list', partitionKey: 'listPk', sortKey: 'listSk' } as const;

/** The attributes that put an item in the list index: its list's shard and its list position. */
export const listIndexKey = (listPrefix: string, id: string, position: string) => ({ listPk: `${listPrefix}#${shardOf(id)}`, listSk: position });

export interface IndexedList<T> {
  /** The list's name in cursors, and how to check a cursor's position. */
  list: string;
  isPosition: (position: string) => boolean;
  /** The `listPk` prefix of the list's shards (`EVENTS`). */
  prefix: string;
  parse: (item: Record<string, unknown>) => T;
}

/**
 * One page of a list kept in the list index: the keys from every shard, merged, then the items
 * themselves with one strongly consistent BatchGetItem. The cursor is the last key's position, so
 * the next page goes on from there even if that item were gone by then.
 */
export async function readIndexedPage<T>(documents: DynamoDBDocumentClient, tableName: string, list: IndexedList<T>, page: PageRequest): Promise<Page<T>> {
  const after = page.cursor === undefined ? undefined : decodeCursor(list.list, page.cursor, list.isPosition);
  const { items: keys, more } = await queryListPage(documents, { tableName, ...LIST_INDEX, partitions: shardKeys(list.prefix), after, limit: page.limit });
  const items = await batchGetInOrder(
    documents,
    tableName,
    keys.map((key) => ({ pk: String(key['pk']), sk: String(key['sk']) })),
  );
  const last = keys.at(-1);
  return { items: items.map(list.parse), ...(more && last ? { cursor: encodeCursor(list.list, String(last[LIST_INDEX.sortKey])) } : {}) };
}

const MAX_BATCH_GET_ATTEMPTS = 8;

/**
 * The items of `keys` (at most 100, BatchGetItem's limit), strongly consistent, in the order of `keys`;
 * keys without an item are left out. BatchGetItem may leave keys unprocessed under load: they are
 * asked again with backoff, bounded, as AWS advises; the SDK does not do it.
 */
async function batchGetInOrder(documents: DynamoDBDocumentClient, tableName: string, keys: { pk: string; sk: string }[]): Promise<Record<string, unknown>[]> {
  const found = new Map<string, Record<string, unknown>>();
  let pending: Record<string, unknown>[] = keys;
  for (let attempt = 1; pending.length > 0; attempt += 1) {
    if (attempt > MAX_BATCH_GET_ATTEMPTS) throw new Error(`BatchGetItem left ${pending.length} key(s) unprocessed after ${MAX_BATCH_GET_ATTEMPTS} attempts`);
    if (attempt > 1) await new Promise((done) => setTimeout(done, Math.random() * Math.min(1000, 25 * 2 ** attempt)));
    const { Responses, UnprocessedKeys } = await documents.send(
      new BatchGetCommand({ RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } } }),
    );
    for (const item of Responses?.[tableName] ?? []) found.set(`${String(item['pk'])}\n${String(item['sk'])}`, item);
    pending = (UnprocessedKeys?.[tableName]?.Keys ?? []) as Record<string, unknown>[];
  }
  return keys.map((key) => found.get(`${key.pk}\n${key.sk}`)).filter((item): item is Record<string, unknown> => item !== undefined);
}
