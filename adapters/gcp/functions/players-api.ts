import * as catalogue from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `playersApi`: players and map routes on an HTTPS trigger. */
export const playersApi = registerFunction(catalogue.playersApi);
