import * as catalogue from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `eventsOutbox`: the events collection's writes → LocationCreated/EventCreated on the bookings topic (Firestore document.v1.written). */
export const eventsOutbox = registerFunction(catalogue.eventsOutbox);
