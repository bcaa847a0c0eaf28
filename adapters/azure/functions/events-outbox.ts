import { eventsOutbox } from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `eventsOutbox`: the events container's change feed → LocationCreated/EventCreated on the bookings queue. */
registerFunction(eventsOutbox);
