import { eventsOutbox } from '../../../functions/catalogue.js';
import { composeChangeStream } from '../compose.js';
import { clock, publisher } from '../ports.js';

/** `eventsOutbox`: the events table's stream → LocationCreated/EventCreated on the bookings queue. */
export const handler = composeChangeStream(eventsOutbox, { publisher, clock });
