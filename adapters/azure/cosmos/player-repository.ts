import type { Container } from '@azure/cosmos';
import { playerSchema, type Player } from '../../../functions/domain/player.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { PlayerRepository } from '../../../functions/ports.js';
import { HopBound, stampWriter } from '../../shared/trace-carriers.js';
import { cosmosStatusOf, readDocument, stripSystemFields } from './documents.js';

/**
 * A deleted player stays as a tombstone for this long: Cosmos DB's change feed (latest-version mode)
 * reports no deletes, so placePlayers learns of a deletion from the tombstone, which must outlive the
 * feed's processing lag; then TTL removes it.
 */
export const PLAYER_TOMBSTONE_TTL_SECONDS = 7 * 24 * 60 * 60;

/**
 * Players in the players container: `{ id, pk: <id>, entity: 'player', name }`; a deleted player is
 * the same document with `deleted: true` and a `ttl` (a soft delete), which reads treat as absent.
 */
export class CosmosPlayerRepository extends HopBound implements PlayerRepository {
  constructor(private readonly container: Container) {
    super();
  }

  async add(player: Player): Promise<void> {
    await this.container.items.create(stampWriter({ ...player, pk: player.id, entity: ENTITY.player }, this.boundHop?.traceparent));
  }

  async get(id: string): Promise<Player | undefined> {
    const document = await readDocument(this.container, id, id);
    return document === undefined || document['deleted'] === true ? undefined : playerSchema.parse(document);
  }

  async remove(id: string): Promise<boolean> {
    const document = await readDocument(this.container, id, id);
    if (document === undefined || document['deleted'] === true) return false;
    try {
      // IfMatch: of two concurrent deletes, exactly one reports that there was a player. The tombstone
      // is a write, so it carries the deleting request's traceparent (trace-carriers.ts, deleteIsWrite).
      await this.container.item(id, id).replace(stampWriter({ ...stripSystemFields(document), deleted: true, ttl: PLAYER_TOMBSTONE_TTL_SECONDS }, this.boundHop?.traceparent), { accessCondition: { type: 'IfMatch', condition: String(document._etag) } });
      return true;
    } catch (error) {
      if (cosmosStatusOf(error) === 412 || cosmosStatusOf(error) === 404) return false;
      throw error;
    }
  }
}
