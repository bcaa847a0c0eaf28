import { cloudEvent } from '@google-cloud/functions-framework';
import { portsFromEnv } from '../environment.js';
import { gcpFirestoreFunctions } from '../registrations.js';

/** `eventsOutbox`: the events collection's writes → LocationCreated/EventCreated on the bookings topic (Firestore document.v1.written). */
export const eventsOutbox = gcpFirestoreFunctions.eventsOutbox(portsFromEnv());
cloudEvent('eventsOutbox', eventsOutbox);
