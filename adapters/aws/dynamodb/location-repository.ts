import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { listOrder } from '../../../functions/domain/list-order.js';
import { locationSchema, type Location } from '../../../functions/domain/location.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { Page, PageRequest } from '../../../functions/paging.js';
import type { LocationRepository } from '../../../functions/ports.js';
import { HopBound, stampWriter } from '../../shared/trace-carriers.js';
import { listIndexKey, readIndexedPage, type IndexedList } from './paging.js';

const key = (id: string) => ({ pk: `LOCATION#${id}`, sk: 'LOCATION' });
const LOCATIONS: IndexedList<Location> = { ...listOrder.locations, prefix: 'LOCATIONS', parse: (item) => locationSchema.parse(item) };

/**
 * Locations in the events service's table (shared with events), each in a partition of its own:
 * `{ pk: 'LOCATION#<id>', sk: 'LOCATION', entity, ...location, listPk: 'LOCATIONS#<shard>', listSk: <id> }`,
 * listed through the keys-only list index (paging.ts). The table's stream announces new locations
 * (LocationCreated), so items hold the domain fields verbatim. Gets are strongly consistent.
 */
export class DynamoLocationRepository extends HopBound implements LocationRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    super();
  }

  async add(location: Location): Promise<void> {
    const item = stampWriter({ ...key(location.id), entity: ENTITY.location, ...location, ...listIndexKey(LOCATIONS.prefix, location.id, listOrder.locations.positionOf(location)) }, this.boundHop?.traceparent);
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: item }));
  }

  async get(id: string): Promise<Location | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: key(id), ConsistentRead: true }));
    return Item && locationSchema.parse(Item);
  }

  list(page: PageRequest): Promise<Page<Location>> {
    return readIndexedPage(this.documents, this.tableName, LOCATIONS, page);
  }
}
