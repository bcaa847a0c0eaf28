import { listOrder } from '../../../functions/domain/list-order.js';
import { placedPlayerSchema, type PlacedPlayer, type Position } from '../../../functions/domain/player.js';
import type { Page, PageRequest } from '../../../functions/paging.js';
import type { GameMapRepository } from '../../../functions/ports.js';
import { CollectionRepository, documentId, failedWith, GrpcStatus, requiredDocumentId } from './client.js';
import { listFields, readListPage } from './paging.js';

const KIND = 'MAP';

/**
 * The game map collection (no trigger, so no entity tag): `MAP#<playerId>` →
 * `{ id, name, position, listName: 'map', listPosition: <playerId> }`. Written by the placePlayers
 * trigger, which may see a change more than once.
 */
export class FirestoreGameMapRepository extends CollectionRepository implements GameMapRepository {
  async placeIfAbsent(player: PlacedPlayer): Promise<void> {
    // `create` leaves an existing document alone: a replayed insert must not move a player who has walked on since.
    try {
      await this.collection()
        .doc(requiredDocumentId(KIND, player.id))
        .create({ id: player.id, name: player.name, position: player.position, ...listFields(listOrder.map.list, listOrder.map.positionOf(player)) });
    } catch (error) {
      if (!failedWith(error, GrpcStatus.ALREADY_EXISTS)) throw error;
    }
  }

  async position(playerId: string): Promise<Position | undefined> {
    const name = documentId(KIND, playerId);
    if (name === undefined) return undefined;
    const snapshot = await this.collection().doc(name).get();
    return snapshot.exists ? placedPlayerSchema.parse(snapshot.data()).position : undefined;
  }

  async remove(playerId: string): Promise<void> {
    const name = documentId(KIND, playerId);
    // Deleting a missing document succeeds: removal is idempotent without a precondition.
    if (name !== undefined) await this.collection().doc(name).delete();
  }

  list(page: PageRequest): Promise<Page<PlacedPlayer>> {
    return readListPage(this.collection(), { ...listOrder.map, parse: (document) => placedPlayerSchema.parse(document) }, page);
  }
}
