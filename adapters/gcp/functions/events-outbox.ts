import * as catalogue from '../../../functions/catalogue.js';
import { composeChangeStream } from '../compose.js';
import { clock, publisher } from '../ports.js';

/** `eventsOutbox`: the events collection's writes → LocationCreated/EventCreated on the bookings topic (Firestore document.v1.written). */
export const eventsOutbox = composeChangeStream(catalogue.eventsOutbox, { publisher, clock });
