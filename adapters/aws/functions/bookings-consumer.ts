import { bookingsConsumer } from '../../../functions/catalogue.js';
import { composeQueue } from '../compose.js';
import { bookings } from '../ports.js';

/** `bookingsConsumer`: the bookings queue → the booking service's view of events. */
export const handler = composeQueue(bookingsConsumer, { bookings });
