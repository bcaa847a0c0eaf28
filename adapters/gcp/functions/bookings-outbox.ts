import * as catalogue from '../../../functions/catalogue.js';
import { composeChangeStream } from '../compose.js';
import { clock, publisher } from '../ports.js';

/** `bookingsOutbox`: the bookings collection's writes → EventBooked on the events topic (Firestore document.v1.written). */
export const bookingsOutbox = composeChangeStream(catalogue.bookingsOutbox, { publisher, clock });
