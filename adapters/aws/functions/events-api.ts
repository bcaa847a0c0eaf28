import { eventsApi } from '../../../functions/catalogue.js';
import { composeHttp } from '../compose.js';
import { events, ids, locations } from '../ports.js';

/** `eventsApi`: locations and events routes on API Gateway. */
export const handler = composeHttp(eventsApi, { locations, events, ids });
