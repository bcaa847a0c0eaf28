import { bookingsOutbox } from '../../../functions/catalogue.js';
import { composeChangeStream } from '../compose.js';
import { clock, publisher } from '../ports.js';

/** `bookingsOutbox`: the bookings container's change feed → EventBooked on the events queue. */
composeChangeStream(bookingsOutbox, { publisher, clock });
