import { bookingsApi } from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `bookingsApi`: bookings routes. */
registerFunction(bookingsApi);
