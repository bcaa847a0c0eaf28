import { bookingsOutbox } from '../../../functions/catalogue.js';
import { composeChangeStream } from '../compose.js';
import { clock, publisher } from '../ports.js';

/** `bookingsOutbox`: the bookings table's stream → EventBooked on the events queue. */
export const handler = composeChangeStream(bookingsOutbox, { publisher, clock });
