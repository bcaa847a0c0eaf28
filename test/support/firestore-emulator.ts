import type { Firestore } from '@google-cloud/firestore';
import { createFirestore, type CollectionNames } from '../../adapters/gcp/firestore/client.js';
import { LOCAL_PROJECT_ID, startFirestoreEmulator, type FirestoreEmulator } from '../../offline/gcp/gcp-emulators.js';
import { startEngine } from './engine-start.js';

export interface FirestoreUnderTest {
  emulator: FirestoreEmulator;
  firestore: Firestore;
  stop(): Promise<void>;
}

/** The Firestore emulator on a free loopback port and a client pointed at it (no credentials: the emulator needs none). */
export async function startFirestore(): Promise<FirestoreUnderTest> {
  const emulator = await startEngine('Firestore emulator (Google Cloud SDK, java)', () => startFirestoreEmulator());
  const firestore = createFirestore({ projectId: LOCAL_PROJECT_ID, host: emulator.host, ssl: false });
  // The first call opens the gRPC channel (a second or two on a busy machine): done here, not in the first test.
  await firestore.collection('warm-up').doc('warm-up').get();
  return {
    emulator,
    firestore,
    stop: async () => {
      try {
        await firestore.terminate();
      } finally {
        await emulator.stop();
      }
    },
  };
}

/** Collection names unique to one test file, so files never see each other's documents. */
export function uniqueCollections(prefix: string): CollectionNames {
  return { events: `${prefix}-events`, bookings: `${prefix}-bookings`, players: `${prefix}-players`, gameMap: `${prefix}-game-map` };
}
