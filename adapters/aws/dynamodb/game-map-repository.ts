import { DeleteCommand, GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { playerSchema, positionSchema, type PlacedPlayer, type Position } from '../../../functions/domain/player.js';
import type { GameMapRepository } from '../../../functions/ports.js';
import { putIfAbsent, queryPartition } from './document-client.js';

/** The whole map is one partition: `list` is a single Query. */
const PARTITION = 'MAP';

const placedPlayerSchema = playerSchema.extend({ position: positionSchema });

/**
 * The game map table (no stream, so no entity tag): `{ pk: 'MAP', sk: playerId, id, name, position }`.
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
      Item: { pk: PARTITION, sk: player.id, id: player.id, name: player.name, position: player.position },
    });
  }

  async position(playerId: string): Promise<Position | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: PARTITION, sk: playerId }, ConsistentRead: true }));
    return Item && placedPlayerSchema.parse(Item).position;
  }

  async remove(playerId: string): Promise<void> {
    // Deleting a missing item succeeds: removal is idempotent without a condition.
    await this.documents.send(new DeleteCommand({ TableName: this.tableName, Key: { pk: PARTITION, sk: playerId } }));
  }

  async list(): Promise<PlacedPlayer[]> {
    const items = await queryPartition(this.documents, this.tableName, PARTITION);
    return items.map((item) => placedPlayerSchema.parse(item));
  }
}
