import * as catalogue from '../../../functions/catalogue.js';
import { composeHttp } from '../compose.js';
import { gameMap, ids, players } from '../ports.js';

/** `playersApi`: players and map routes on an HTTPS trigger. */
export const playersApi = composeHttp(catalogue.playersApi, { players, gameMap, ids });
