import { randomUUID } from 'node:crypto';
import { FirestoreBookingRepository } from '../../adapters/gcp/firestore/booking-repository.js';
import { FirestoreEventRepository } from '../../adapters/gcp/firestore/event-repository.js';
import { FirestoreGameMapRepository } from '../../adapters/gcp/firestore/game-map-repository.js';
import { FirestoreLocationRepository } from '../../adapters/gcp/firestore/location-repository.js';
import { FirestorePlayerRepository } from '../../adapters/gcp/firestore/player-repository.js';
import { startFirestore, uniqueCollections } from '../support/firestore-emulator.js';
import { describeHostileInputOn } from '../support/hostile-engine.js';

// The Firestore emulator refuses document ids as Firestore does (over 1,500 bytes, `.`, `..`, `/`).
describeHostileInputOn('the Firestore emulator', async () => {
  const local = await startFirestore();
  const collections = uniqueCollections(`hostile-${randomUUID().slice(0, 8)}`);
  return {
    repositories: {
      locations: new FirestoreLocationRepository(local.firestore, collections.events),
      events: new FirestoreEventRepository(local.firestore, collections.events),
      bookings: new FirestoreBookingRepository(local.firestore, collections.bookings),
      players: new FirestorePlayerRepository(local.firestore, collections.players),
      gameMap: new FirestoreGameMapRepository(local.firestore, collections.gameMap),
    },
    stop: () => local.stop(),
  };
}, 30);
