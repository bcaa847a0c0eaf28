import type { Container } from '@azure/cosmos';
import { listOrder } from '../../../functions/domain/list-order.js';
import { placedPlayerSchema, type PlacedPlayer, type Position } from '../../../functions/domain/player.js';
import type { Page, PageRequest } from '../../../functions/paging.js';
import type { GameMapRepository } from '../../../functions/ports.js';
import { cosmosStatusOf, createIfAbsent, readDocument } from './documents.js';
import { LIST_POSITION, readListPage } from './paging.js';

const PLACED = 'placed-player';

/**
 * The game map container: `{ id: <playerId>, pk: <playerId>, entity: 'placed-player', name, position, listPosition: <playerId> }`,
 * one partition per player. Written by placePlayers, which may see a change more than once.
 */
export class CosmosGameMapRepository implements GameMapRepository {
  constructor(private readonly container: Container) {}

  async placeIfAbsent(player: PlacedPlayer): Promise<void> {
    // A replayed change must not move a player who has walked on since.
    await createIfAbsent(this.container, { id: player.id, pk: player.id, entity: PLACED, name: player.name, position: player.position, [LIST_POSITION]: listOrder.map.positionOf(player) });
  }

  async position(playerId: string): Promise<Position | undefined> {
    const document = await readDocument(this.container, playerId, playerId);
    return document && placedPlayerSchema.parse(document).position;
  }

  async remove(playerId: string): Promise<void> {
    try {
      await this.container.item(playerId, playerId).delete();
    } catch (error) {
      if (cosmosStatusOf(error) !== 404) throw error; // already gone: removal is idempotent
    }
  }

  list(page: PageRequest): Promise<Page<PlacedPlayer>> {
    return readListPage({ container: this.container, entity: PLACED, order: listOrder.map, parse: (document) => placedPlayerSchema.parse(document) }, page);
  }
}
