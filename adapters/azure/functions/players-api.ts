import { playersApi } from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `playersApi`: players and map routes. */
registerFunction(playersApi);
