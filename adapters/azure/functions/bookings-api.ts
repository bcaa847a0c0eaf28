import { bookingsApi } from '../../../functions/catalogue.js';
import { composeHttp } from '../compose.js';
import { bookings, clock, ids } from '../ports.js';

/** `bookingsApi`: bookings routes. */
composeHttp(bookingsApi, { bookings, clock, ids });
