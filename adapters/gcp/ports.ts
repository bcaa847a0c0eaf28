import type { FunctionSpec } from '../../functions/catalogue.js';
import { publishedQueue, type Assert, type PortFactories } from '../shared/compose.js';
import { randomIds, systemClock } from '../shared/system.js';
import { portsFromEnv, type GcpPorts } from './environment.js';
import { FirestoreBookingRepository } from './firestore/booking-repository.js';
import { FirestoreEventRepository } from './firestore/event-repository.js';
import { FirestoreGameMapRepository } from './firestore/game-map-repository.js';
import { FirestoreLocationRepository } from './firestore/location-repository.js';
import { FirestorePlayerRepository } from './firestore/player-repository.js';
import { PubSubPublisher } from './pubsub-publisher.js';
import type * as thisModule from './ports.js';

/**
 * Every port on Google Cloud: the repositories on the deployment's Firestore collections, publishers
 * to its Pub/Sub topics (names from the environment, adapters/gcp/environment.ts). One export per
 * port, as on AWS.
 */

let clients: GcpPorts | undefined;
/** The Firestore and Pub/Sub clients of this function's process, created on first use (they connect lazily). */
const gcp = (): GcpPorts => (clients ??= portsFromEnv());

export const locations = (): FirestoreLocationRepository => new FirestoreLocationRepository(gcp().firestore, gcp().collections.events);
export const events = (): FirestoreEventRepository => new FirestoreEventRepository(gcp().firestore, gcp().collections.events);
export const bookings = (): FirestoreBookingRepository => new FirestoreBookingRepository(gcp().firestore, gcp().collections.bookings);
export const players = (): FirestorePlayerRepository => new FirestorePlayerRepository(gcp().firestore, gcp().collections.players);
export const gameMap = (): FirestoreGameMapRepository => new FirestoreGameMapRepository(gcp().firestore, gcp().collections.gameMap);
export const publisher = (spec: FunctionSpec): PubSubPublisher => new PubSubPublisher(gcp().pubsub.topic(gcp().topics[publishedQueue(spec)]));
export const clock = () => systemClock;
export const ids = () => randomIds;

/** Every port has a Google Cloud factory: a port added to the catalogue without one fails to compile here. */
export type GcpPortsComplete = Assert<typeof thisModule extends PortFactories ? true : false>;
