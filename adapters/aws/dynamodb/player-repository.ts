import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { playerSchema, type Player } from '../../../functions/domain/player.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { PlayerRepository } from '../../../functions/ports.js';
import { HopBound, stampWriter } from '../../shared/trace-carriers.js';

const key = (id: string) => ({ pk: `PLAYER#${id}`, sk: 'PLAYER' });

/**
 * Players in the game service's players table: `{ pk: 'PLAYER#<id>', sk: 'PLAYER', entity, id, name }`.
 * The table's stream drives the game map (placePlayers), so items hold the domain fields verbatim.
 * Reads are strongly consistent: the port promises read-your-writes.
 */
export class DynamoPlayerRepository extends HopBound implements PlayerRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    super();
  }

  async add(player: Player): Promise<void> {
    await this.documents.send(new PutCommand({ TableName: this.tableName, Item: stampWriter({ ...key(player.id), entity: ENTITY.player, ...player }, this.boundHop?.traceparent) }));
  }

  async get(id: string): Promise<Player | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: key(id), ConsistentRead: true }));
    return Item && playerSchema.parse(Item);
  }

  async remove(id: string): Promise<boolean> {
    // ALL_OLD tells in the same request whether there was anything to delete.
    const { Attributes } = await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: key(id), ReturnValues: 'ALL_OLD' }));
    return Attributes !== undefined;
  }
}
