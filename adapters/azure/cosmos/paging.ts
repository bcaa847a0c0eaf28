import type { Container, SqlParameter } from '@azure/cosmos';
import { decodeCursor, pageOf, type Page, type PageRequest } from '../../../functions/paging.js';
import type { CosmosDocument } from './documents.js';

/**
 * Lists in Cosmos DB: every listed document stores its list position (functions/domain/list-order.ts)
 * in `listPosition`, and a page is `listPosition > cursor position ORDER BY listPosition` with
 * `TOP limit + 1`: keyset paging on the (default, range) index, so every page costs the same. Within
 * one partition (an event's bookings) the query stays in that partition; catalogue lists span
 * partitions and the SDK merges the ordered results of each physical partition.
 */
export const LIST_POSITION = 'listPosition';

export interface ListOrder<T> {
  list: string;
  isPosition: (position: string) => boolean;
  positionOf: (item: T) => string;
}

export interface ListQuery<T> {
  container: Container;
  /** The `entity` tag of the listed documents. */
  entity: string;
  order: ListOrder<T>;
  parse: (document: CosmosDocument) => T;
  /** The one logical partition holding the list, when there is one. */
  partitionKey?: string;
  /** Only the documents of this owner (a caller's bookings), by the composite index (owner, listPosition). */
  owner?: string;
}

/** One page of a list, after the cursor's position; a cursor exactly when more items follow. */
export async function readListPage<T>(query: ListQuery<T>, page: PageRequest): Promise<Page<T>> {
  const after = page.cursor === undefined ? undefined : decodeCursor(query.order.list, page.cursor, query.order.isPosition);
  const parameters: SqlParameter[] = [
    { name: '@top', value: page.limit + 1 },
    { name: '@entity', value: query.entity },
  ];
  let filter = '';
  if (after !== undefined) {
    parameters.push({ name: '@after', value: after });
    filter += ` AND c.${LIST_POSITION} > @after`;
  }
  if (query.partitionKey !== undefined) {
    // Redundant with the partitionKey option on Cosmos DB (free: it is the partition being read),
    // and needed on cosmosdb-server, which ignores that option.
    parameters.push({ name: '@pk', value: query.partitionKey });
    filter += ' AND c.pk = @pk';
  }
  if (query.owner !== undefined) {
    parameters.push({ name: '@owner', value: query.owner });
    filter += ' AND c.owner = @owner';
  }
  const { resources } = await query.container.items
    .query<CosmosDocument>(
      { query: `SELECT TOP @top * FROM c WHERE c.entity = @entity${filter} ORDER BY c.${LIST_POSITION}`, parameters },
      query.partitionKey === undefined ? {} : { partitionKey: query.partitionKey },
    )
    .fetchAll();
  const items = resources.slice(0, page.limit).map(query.parse);
  return pageOf(items, resources.length > page.limit, query.order.list, query.order.positionOf);
}
