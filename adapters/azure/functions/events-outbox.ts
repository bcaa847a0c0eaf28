import { eventsOutbox } from '../../../functions/catalogue.js';
import { composeChangeStream } from '../compose.js';
import { clock, publisher } from '../ports.js';

/** `eventsOutbox`: the events container's change feed → LocationCreated/EventCreated on the bookings queue. */
composeChangeStream(eventsOutbox, { publisher, clock });
