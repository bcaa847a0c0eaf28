import { eventsConsumer } from '../../../functions/catalogue.js';
import { registerFunction } from '../compose.js';

/** `eventsConsumer`: the events queue → seatsBooked of each event. */
registerFunction(eventsConsumer);
