import { cloudEvent } from '@google-cloud/functions-framework';
import { portsFromEnv } from '../environment.js';
import { gcpPubSubFunctions } from '../registrations.js';

/** `eventsConsumer`: the events topic → seatsBooked of each event (Pub/Sub messagePublished; deploy with --retry and a dead-letter topic). */
export const eventsConsumer = gcpPubSubFunctions.eventsConsumer(portsFromEnv());
cloudEvent('eventsConsumer', eventsConsumer);
