import * as catalogue from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `eventsApi`: locations and events routes on an HTTPS trigger. */
export const eventsApi = registerFunction(catalogue.eventsApi);
