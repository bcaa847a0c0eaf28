import { cloudEvent } from '@google-cloud/functions-framework';
import { portsFromEnv } from '../environment.js';
import { gcpPubSubFunctions } from '../registrations.js';

/** `bookingsConsumer`: the bookings topic → the booking service's view of events (Pub/Sub messagePublished; deploy with --retry and a dead-letter topic). */
export const bookingsConsumer = gcpPubSubFunctions.bookingsConsumer(portsFromEnv());
cloudEvent('bookingsConsumer', bookingsConsumer);
