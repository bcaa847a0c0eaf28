import * as catalogue from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `bookingsOutbox`: the bookings collection's writes → EventBooked on the events topic (Firestore document.v1.written). */
export const bookingsOutbox = registerFunction(catalogue.bookingsOutbox);
