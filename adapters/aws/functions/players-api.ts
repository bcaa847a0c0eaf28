import { playersApiRoutes } from '../../../functions/routes.js';
import { randomIds } from '../../shared/system.js';
import { createDocumentClient } from '../dynamodb/document-client.js';
import { DynamoGameMapRepository } from '../dynamodb/game-map-repository.js';
import { DynamoPlayerRepository } from '../dynamodb/player-repository.js';
import { requiredEnv } from '../environment.js';
import { apiGatewayHandler } from '../http-adapter.js';

const documents = createDocumentClient();

/** `playersApi`: players and map routes on API Gateway. */
export const handler = apiGatewayHandler(playersApiRoutes, {
  players: new DynamoPlayerRepository(documents, requiredEnv('PLAYERS_TABLE')),
  gameMap: new DynamoGameMapRepository(documents, requiredEnv('GAME_MAP_TABLE')),
  ids: randomIds,
});
