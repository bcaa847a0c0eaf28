import { http } from '@google-cloud/functions-framework';
import { portsFromEnv } from '../environment.js';
import { gcpHttpFunctions } from '../registrations.js';

/** `eventsApi`: locations and events routes on an HTTPS trigger. */
export const eventsApi = gcpHttpFunctions.eventsApi(portsFromEnv());
http('eventsApi', eventsApi);
