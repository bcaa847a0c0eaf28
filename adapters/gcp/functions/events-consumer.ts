import * as catalogue from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `eventsConsumer`: the events topic → seatsBooked of each event (Pub/Sub messagePublished; deploy with --retry and a dead-letter topic). */
export const eventsConsumer = registerFunction(catalogue.eventsConsumer);
