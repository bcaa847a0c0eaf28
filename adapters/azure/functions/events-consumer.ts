import { eventsConsumer } from '../../../functions/catalogue.js';
import { composeQueue } from '../compose.js';
import { events } from '../ports.js';

/** `eventsConsumer`: the events queue → seatsBooked of each event. */
composeQueue(eventsConsumer, { events });
