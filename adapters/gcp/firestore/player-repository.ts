import { playerSchema, type Player } from '../../../functions/domain/player.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { PlayerRepository } from '../../../functions/ports.js';
import { stampWriter } from '../../shared/trace-carriers.js';
import { CollectionRepository, documentId, failedWith, GrpcStatus, requiredDocumentId } from './client.js';

const KIND = 'PLAYER';

/**
 * Players in the game service's players collection: `PLAYER#<id>` → `{ entity, id, name }`. The
 * collection's Firestore trigger drives the game map (placePlayers), so documents hold the domain
 * fields verbatim.
 */
export class FirestorePlayerRepository extends CollectionRepository implements PlayerRepository {
  async add(player: Player): Promise<void> {
    await this.collection().doc(requiredDocumentId(KIND, player.id)).set(stampWriter({ entity: ENTITY.player, ...player }, this.boundHop?.traceparent));
  }

  async get(id: string): Promise<Player | undefined> {
    const name = documentId(KIND, id);
    if (name === undefined) return undefined;
    const snapshot = await this.collection().doc(name).get();
    return snapshot.exists ? playerSchema.parse(snapshot.data()) : undefined;
  }

  async remove(id: string): Promise<boolean> {
    const name = documentId(KIND, id);
    if (name === undefined) return false;
    // The `exists` precondition tells in the same request whether there was anything to delete.
    try {
      await this.collection().doc(name).delete({ exists: true });
      return true;
    } catch (error) {
      if (failedWith(error, GrpcStatus.NOT_FOUND)) return false;
      throw error;
    }
  }
}
