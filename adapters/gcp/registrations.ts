import { bookingsConsumer } from '../../functions/queues/bookings-consumer.js';
import { eventsConsumer } from '../../functions/queues/events-consumer.js';
import { bookingsApiRoutes, eventsApiRoutes, playersApiRoutes } from '../../functions/routes.js';
import { randomIds, systemClock } from '../shared/system.js';
import type { GcpPorts } from './environment.js';
import { FirestoreBookingRepository } from './firestore/booking-repository.js';
import { FirestoreEventRepository } from './firestore/event-repository.js';
import { FirestoreGameMapRepository } from './firestore/game-map-repository.js';
import { FirestoreLocationRepository } from './firestore/location-repository.js';
import { FirestorePlayerRepository } from './firestore/player-repository.js';
import { httpFunction } from './http-adapter.js';
import { pubSubHandler } from './pubsub-adapter.js';

/**
 * Every GCP function, built from the ports: the same wiring for the entry modules (one per deployed
 * function, adapters/gcp/functions/), `npm run start:gcp` and the tests. Names are the same on every platform.
 */
export const gcpHttpFunctions = {
  eventsApi: ({ firestore, collections }: GcpPorts) =>
    httpFunction(eventsApiRoutes, {
      locations: new FirestoreLocationRepository(firestore, collections.events),
      events: new FirestoreEventRepository(firestore, collections.events),
      ids: randomIds,
    }),
  bookingsApi: ({ firestore, collections }: GcpPorts) =>
    httpFunction(bookingsApiRoutes, { bookings: new FirestoreBookingRepository(firestore, collections.bookings), clock: systemClock, ids: randomIds }),
  playersApi: ({ firestore, collections }: GcpPorts) =>
    httpFunction(playersApiRoutes, {
      players: new FirestorePlayerRepository(firestore, collections.players),
      gameMap: new FirestoreGameMapRepository(firestore, collections.gameMap),
      ids: randomIds,
    }),
};

/** Pub/Sub-triggered functions: the booking service learns events; the events service counts bookings. */
export const gcpPubSubFunctions = {
  bookingsConsumer: ({ firestore, collections }: GcpPorts) => pubSubHandler(bookingsConsumer, { bookings: new FirestoreBookingRepository(firestore, collections.bookings) }),
  eventsConsumer: ({ firestore, collections }: GcpPorts) => pubSubHandler(eventsConsumer, { events: new FirestoreEventRepository(firestore, collections.events) }),
};
