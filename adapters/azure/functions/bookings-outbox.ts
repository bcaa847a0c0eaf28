import { bookingsOutbox } from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `bookingsOutbox`: the bookings container's change feed → EventBooked on the events queue. */
registerFunction(bookingsOutbox);
