import * as catalogue from '../../../functions/catalogue.js';
import { composeQueue } from '../compose.js';
import { bookings } from '../ports.js';

/** `bookingsConsumer`: the bookings topic → the booking service's view of events (Pub/Sub messagePublished; deploy with --retry and a dead-letter topic). */
export const bookingsConsumer = composeQueue(catalogue.bookingsConsumer, { bookings });
