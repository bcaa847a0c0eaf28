import azf from '@azure/functions';
import { eventsOutbox } from '../../../functions/streams/events-outbox.js';
import { systemClock } from '../../shared/system.js';
import { cosmosChangeFeedFunctionOptions } from '../cosmos-change-feed-adapter.js';
import { CONTAINERS } from '../cosmos/containers.js';
import { queuePublisher, SETTINGS } from '../environment.js';

/** `eventsOutbox`: the events container's change feed → LocationCreated/EventCreated on the bookings queue. */
azf.app.cosmosDB(
  'eventsOutbox',
  cosmosChangeFeedFunctionOptions({ containerName: CONTAINERS.events, leasePrefix: 'eventsOutbox-' }, eventsOutbox, { publisher: queuePublisher(SETTINGS.bookingsQueue), clock: systemClock }),
);
