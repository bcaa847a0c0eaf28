import azf from '@azure/functions';
import { bookingsOutbox } from '../../../functions/streams/bookings-outbox.js';
import { systemClock } from '../../shared/system.js';
import { cosmosChangeFeedFunctionOptions } from '../cosmos-change-feed-adapter.js';
import { CONTAINERS } from '../cosmos/containers.js';
import { queuePublisher, SETTINGS } from '../environment.js';

/** `bookingsOutbox`: the bookings container's change feed → EventBooked on the events queue. */
azf.app.cosmosDB(
  'bookingsOutbox',
  cosmosChangeFeedFunctionOptions({ containerName: CONTAINERS.bookings, leasePrefix: 'bookingsOutbox-' }, bookingsOutbox, { publisher: queuePublisher(SETTINGS.eventsQueue), clock: systemClock }),
);
