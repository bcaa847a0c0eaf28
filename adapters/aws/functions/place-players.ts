import { placePlayers } from '../../../functions/streams/place-players.js';
import { createDocumentClient } from '../dynamodb/document-client.js';
import { DynamoGameMapRepository } from '../dynamodb/game-map-repository.js';
import { dynamoDbStreamHandler } from '../dynamodb-stream-adapter.js';
import { requiredEnv } from '../environment.js';

/** `placePlayers`: the players table's stream → the game map. */
export const handler = dynamoDbStreamHandler(placePlayers, { gameMap: new DynamoGameMapRepository(createDocumentClient(), requiredEnv('GAME_MAP_TABLE')) });
