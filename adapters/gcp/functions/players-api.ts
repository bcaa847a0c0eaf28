import { http } from '@google-cloud/functions-framework';
import { portsFromEnv } from '../environment.js';
import { gcpHttpFunctions } from '../registrations.js';

/** `playersApi`: players and map routes on an HTTPS trigger. */
export const playersApi = gcpHttpFunctions.playersApi(portsFromEnv());
http('playersApi', playersApi);
