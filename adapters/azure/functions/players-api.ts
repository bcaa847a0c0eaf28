import azf from '@azure/functions';
import { playersApiRoutes } from '../../../functions/routes.js';
import { randomIds } from '../../shared/system.js';
import { CosmosGameMapRepository } from '../cosmos/game-map-repository.js';
import { CosmosPlayerRepository } from '../cosmos/player-repository.js';
import { cosmosContainers } from '../environment.js';
import { httpFunctionOptions } from '../http-adapter.js';

const { players, gameMap } = cosmosContainers();

/** `playersApi`: players and map routes. */
azf.app.http('playersApi', httpFunctionOptions(playersApiRoutes, { players: new CosmosPlayerRepository(players), gameMap: new CosmosGameMapRepository(gameMap), ids: randomIds }));
