import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { locationSchema, type Location } from '../../../functions/domain/location.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { LocationRepository } from '../../../functions/ports.js';
import { queryPartition } from './document-client.js';

/** All locations share one partition, so listing them is a Query, never a Scan; there are few of them. */
const PARTITION = 'LOCATION';

/**
 * Locations in the events service's table (shared with events): `{ pk: 'LOCATION', sk: id, entity, ...location }`.
 * The table's stream announces new ones (LocationCreated), so items hold the domain fields verbatim.
 * Reads are strongly consistent: the port promises read-your-writes.
 */
export class DynamoLocationRepository implements LocationRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(location: Location): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: { pk: PARTITION, sk: location.id, entity: ENTITY.location, ...location } }));
  }

  async get(id: string): Promise<Location | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: PARTITION, sk: id }, ConsistentRead: true }));
    return Item && locationSchema.parse(Item);
  }

  async list(): Promise<Location[]> {
    const items = await queryPartition(this.documents, this.tableName, PARTITION);
    return items.map((item) => locationSchema.parse(item));
  }
}
