import { http } from '@google-cloud/functions-framework';
import { portsFromEnv } from '../environment.js';
import { gcpHttpFunctions } from '../registrations.js';

/** `bookingsApi`: bookings routes on an HTTPS trigger. */
export const bookingsApi = gcpHttpFunctions.bookingsApi(portsFromEnv());
http('bookingsApi', bookingsApi);
