import * as catalogue from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `bookingsApi`: bookings routes on an HTTPS trigger. */
export const bookingsApi = registerFunction(catalogue.bookingsApi);
