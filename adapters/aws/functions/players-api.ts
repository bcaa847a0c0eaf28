import { playersApi } from '../../../functions/catalogue.js';
import { composeHttp } from '../compose.js';
import { gameMap, ids, players } from '../ports.js';

/** `playersApi`: players and map routes on API Gateway. */
export const handler = composeHttp(playersApi, { players, gameMap, ids });
