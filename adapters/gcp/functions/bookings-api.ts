import * as catalogue from '../../../functions/catalogue.js';
import { composeHttp } from '../compose.js';
import { bookings, clock, ids } from '../ports.js';

/** `bookingsApi`: bookings routes on an HTTPS trigger. */
export const bookingsApi = composeHttp(catalogue.bookingsApi, { bookings, clock, ids });
