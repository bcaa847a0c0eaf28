import { bookingsConsumer } from '../../functions/queues/bookings-consumer.js';
import { bookingsOutbox } from '../../functions/streams/bookings-outbox.js';
import { eventsOutbox } from '../../functions/streams/events-outbox.js';
import { placePlayers } from '../../functions/streams/place-players.js';
import { eventsConsumer } from '../../functions/queues/events-consumer.js';
import { bookingsApiRoutes, eventsApiRoutes, playersApiRoutes } from '../../functions/routes.js';
import { randomIds, systemClock } from '../shared/system.js';
import type { GcpPorts, TopicNames } from './environment.js';
import { FirestoreBookingRepository } from './firestore/booking-repository.js';
import { FirestoreEventRepository } from './firestore/event-repository.js';
import { FirestoreGameMapRepository } from './firestore/game-map-repository.js';
import { FirestoreLocationRepository } from './firestore/location-repository.js';
import { FirestorePlayerRepository } from './firestore/player-repository.js';
import { firestoreHandler } from './firestore-event-adapter.js';
import { httpFunction } from './http-adapter.js';
import { pubSubHandler } from './pubsub-adapter.js';
import { PubSubPublisher } from './pubsub-publisher.js';

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

/**
 * Firestore-triggered functions (document.v1.written on one collection each, as a table's stream on
 * AWS): the outboxes publish what the HTTP functions wrote; placePlayers keeps the map.
 */
export const gcpFirestoreFunctions = {
  eventsOutbox: ({ pubsub, topics }: GcpPorts) => firestoreHandler(eventsOutbox, { publisher: new PubSubPublisher(pubsub.topic(topics.bookings)), clock: systemClock }),
  bookingsOutbox: ({ pubsub, topics }: GcpPorts) => firestoreHandler(bookingsOutbox, { publisher: new PubSubPublisher(pubsub.topic(topics.events)), clock: systemClock }),
  placePlayers: ({ firestore, collections }: GcpPorts) => firestoreHandler(placePlayers, { gameMap: new FirestoreGameMapRepository(firestore, collections.gameMap) }),
};

/** The document path pattern each Firestore-triggered function listens to, in the deployment's collections. */
export const firestoreTriggerPatterns = (collections: GcpPorts['collections']): Record<keyof typeof gcpFirestoreFunctions, string> => ({
  eventsOutbox: `${collections.events}/{documentId}`,
  bookingsOutbox: `${collections.bookings}/{documentId}`,
  placePlayers: `${collections.players}/{documentId}`,
});

/** The topic each Pub/Sub-triggered function consumes, in the deployment's topics. */
export const pubSubTriggerTopics = (topics: TopicNames): Record<keyof typeof gcpPubSubFunctions, string> => ({
  bookingsConsumer: topics.bookings,
  eventsConsumer: topics.events,
});
