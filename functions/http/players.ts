import { newPlayerSchema, type PlayerView } from '../domain/player.js';
import { ForbiddenError, NotFoundError } from '../errors.js';
import type { GameMapRepository, IdSource, PlayerRepository } from '../ports.js';
import { parseOrThrow } from '../validation.js';
import { callerOf, mayActFor } from './caller.js';
import { created, noContent, ok, type ApiRequest, type ApiResponse } from './contract.js';
import { pagedOk, readPageRequest } from './paged.js';
import { idParam } from './path-params.js';

export interface PlayersDeps {
  players: PlayerRepository;
  gameMap: GameMapRepository;
  ids: IdSource;
}

/** `POST /players`: only writes the player; the placePlayers stream function puts it on the map. */
export async function createPlayer(request: ApiRequest, deps: PlayersDeps): Promise<ApiResponse> {
  const { name } = parseOrThrow(newPlayerSchema, request.body, 'body');
  const player = { id: deps.ids.newId(), name, owner: callerOf(request).subject };
  await deps.players.add(player);
  const view: PlayerView = { id: player.id, name: player.name, position: null };
  return created(view);
}

/** `GET /players/{id}`: the player with its map position, null until placed. */
export async function getPlayer(request: ApiRequest, deps: PlayersDeps): Promise<ApiResponse> {
  const id = idParam(request, 'Player');
  const player = await deps.players.get(id);
  if (!player) throw new NotFoundError(`Player ${id} not found`);
  const view: PlayerView = { id: player.id, name: player.name, position: (await deps.gameMap.position(id)) ?? null };
  return ok(view);
}

/** `DELETE /players/{id}`: by its owner or an admin; the placePlayers stream function takes it off the map. */
export async function deletePlayer(request: ApiRequest, deps: PlayersDeps): Promise<ApiResponse> {
  const caller = callerOf(request);
  const id = idParam(request, 'Player');
  const player = await deps.players.get(id);
  if (!player) throw new NotFoundError(`Player ${id} not found`);
  if (!mayActFor(caller, player.owner)) throw new ForbiddenError(`Player ${id} belongs to another caller`);
  if (!(await deps.players.remove(id))) throw new NotFoundError(`Player ${id} not found`);
  return noContent();
}

/** `GET /map?limit&cursor`: the players on the map with their positions, by player id; the next page in the `Link` header. */
export async function getMap(request: ApiRequest, deps: PlayersDeps): Promise<ApiResponse> {
  const page = readPageRequest(request);
  return pagedOk(request, page, await deps.gameMap.list(page));
}
