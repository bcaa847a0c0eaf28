import { bookingsConsumer } from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `bookingsConsumer`: the bookings queue → the booking service's view of events. */
registerFunction(bookingsConsumer);
