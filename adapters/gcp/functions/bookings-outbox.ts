import { cloudEvent } from '@google-cloud/functions-framework';
import { portsFromEnv } from '../environment.js';
import { gcpFirestoreFunctions } from '../registrations.js';

/** `bookingsOutbox`: the bookings collection's writes → EventBooked on the events topic (Firestore document.v1.written). */
export const bookingsOutbox = gcpFirestoreFunctions.bookingsOutbox(portsFromEnv());
cloudEvent('bookingsOutbox', bookingsOutbox);
