import { eventsApi } from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `eventsApi`: locations and events routes. */
registerFunction(eventsApi);
