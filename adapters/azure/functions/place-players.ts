import azf from '@azure/functions';
import { placePlayers } from '../../../functions/streams/place-players.js';
import { cosmosChangeFeedFunctionOptions } from '../cosmos-change-feed-adapter.js';
import { CONTAINERS } from '../cosmos/containers.js';
import { CosmosGameMapRepository } from '../cosmos/game-map-repository.js';
import { cosmosContainers } from '../environment.js';

/** `placePlayers`: the players container's change feed (soft deletes included) → the game map. */
azf.app.cosmosDB('placePlayers', cosmosChangeFeedFunctionOptions({ containerName: CONTAINERS.players, leasePrefix: 'placePlayers-' }, placePlayers, { gameMap: new CosmosGameMapRepository(cosmosContainers().gameMap) }));
