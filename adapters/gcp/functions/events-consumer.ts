import * as catalogue from '../../../functions/catalogue.js';
import { composeQueue } from '../compose.js';
import { events } from '../ports.js';

/** `eventsConsumer`: the events topic → seatsBooked of each event (Pub/Sub messagePublished; deploy with --retry and a dead-letter topic). */
export const eventsConsumer = composeQueue(catalogue.eventsConsumer, { events });
