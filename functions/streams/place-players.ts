import * as z from 'zod/mini';
import { playerSchema, START_POSITION } from '../domain/player.js';

/** The map needs no owner (and players stored before ownership existed still move). */
const mapPlayerSchema = z.omit(playerSchema, { owner: true });
import { ENTITY, entityOf } from '../domain/stored-records.js';
import type { GameMapRepository } from '../ports.js';
import type { ChangeRecord } from './contract.js';
import { parseStoredDocument } from './stored-document.js';

export interface PlacePlayersDeps {
  gameMap: GameMapRepository;
}

/**
 * The book's DynamoDB Streams example: a new player appears at the map's start position; a deleted
 * player leaves the map. Idempotent: a replayed insert does not move a player back, a replayed remove is a no-op.
 */
export async function placePlayers(record: ChangeRecord, deps: PlacePlayersDeps): Promise<void> {
  if (record.kind === 'insert' && entityOf(record.after) === ENTITY.player) {
    const player = parseStoredDocument(mapPlayerSchema, record.after, 'player');
    await deps.gameMap.placeIfAbsent({ id: player.id, name: player.name, position: START_POSITION });
  } else if (record.kind === 'remove' && entityOf(record.before) === ENTITY.player) {
    const player = parseStoredDocument(mapPlayerSchema, record.before, 'player');
    await deps.gameMap.remove(player.id);
  }
}
