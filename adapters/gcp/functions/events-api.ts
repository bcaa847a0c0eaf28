import * as catalogue from '../../../functions/catalogue.js';
import { composeHttp } from '../compose.js';
import { events, ids, locations } from '../ports.js';

/** `eventsApi`: locations and events routes on an HTTPS trigger. */
export const eventsApi = composeHttp(catalogue.eventsApi, { locations, events, ids });
