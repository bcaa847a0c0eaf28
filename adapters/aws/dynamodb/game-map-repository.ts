import { DeleteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { listOrder } from '../../../functions/domain/list-order.js';
import { placedPlayerSchema, type PlacedPlayer, type Position } from '../../../functions/domain/player.js';
import type { Page, PageRequest } from '../../../functions/paging.js';
import type { GameMapRepository } from '../../../functions/ports.js';
import { putIfAbsent } from './document-client.js';
import { readItemsPage, shardKeys, shardOf } from './paging.js';

/** The map is spread over SHARDS partitions by player id; each is sorted by id, so a page merges them. */
const MAP = 'MAP';
const key = (playerId: string) => ({ pk: `${MAP}#${shardOf(playerId)}`, sk: playerId });


/**
 * The game map table (no stream, so no entity tag): `{ pk: 'MAP#<shard>', sk: playerId, id, name, position }`.
 * Written by the placePlayers stream function, which may see a change more than once. Reads are
 * strongly consistent: the port promises read-your-writes.
 */
export class DynamoGameMapRepository implements GameMapRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async placeIfAbsent(player: PlacedPlayer): Promise<void> {
    // A replayed insert must not move a player who has walked on since.
    await putIfAbsent(this.documents, {
      TableName: this.tableName,
      Item: { ...key(player.id), id: player.id, name: player.name, position: player.position },
    });
  }

  async position(playerId: string): Promise<Position | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: key(playerId), ConsistentRead: true }));
    return Item && placedPlayerSchema.parse(Item).position;
  }

  async remove(playerId: string): Promise<void> {
    // Deleting a missing item succeeds: removal is idempotent without a condition.
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: key(playerId) }));
  }

  list(page: PageRequest): Promise<Page<PlacedPlayer>> {
    const query = { tableName: this.tableName, partitionKey: 'pk', sortKey: 'sk', partitions: shardKeys(MAP) };
    return readItemsPage(this.documents, query, listOrder.map, (item) => placedPlayerSchema.parse(item), page);
  }
}
