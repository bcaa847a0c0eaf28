import * as catalogue from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `bookingsConsumer`: the bookings topic → the booking service's view of events (Pub/Sub messagePublished; deploy with --retry and a dead-letter topic). */
export const bookingsConsumer = registerFunction(catalogue.bookingsConsumer);
