import type { Firestore } from '@google-cloud/firestore';
import type { PubSub } from '@google-cloud/pubsub';
import { createFirestore, type CollectionNames } from './firestore/client.js';
import { createPubSub } from './pubsub-publisher.js';

/** The topics the outboxes publish to: LocationCreated/EventCreated to the booking service, EventBooked to the events service. */
export interface TopicNames {
  bookings: string;
  events: string;
}

/** What every GCP function is built from: the clients, and the names of the collections and topics of this deployment. */
export interface GcpPorts {
  firestore: Firestore;
  pubsub: PubSub;
  collections: CollectionNames;
  topics: TopicNames;
}

const setting = (env: NodeJS.ProcessEnv, name: string, fallback: string): string => {
  const value = env[name];
  return value === undefined || value === '' ? fallback : value;
};

/**
 * The deployment's names, from the environment (`gcloud functions deploy --set-env-vars`), with
 * defaults that match infra/gcp/firestore.indexes.json, whose composite indexes name the collections.
 */
export function namesFromEnv(env: NodeJS.ProcessEnv = process.env): { collections: CollectionNames; topics: TopicNames } {
  return {
    collections: {
      events: setting(env, 'EVENTS_COLLECTION', 'events'),
      bookings: setting(env, 'BOOKINGS_COLLECTION', 'bookings'),
      players: setting(env, 'PLAYERS_COLLECTION', 'players'),
      gameMap: setting(env, 'GAME_MAP_COLLECTION', 'game-map'),
    },
    topics: { bookings: setting(env, 'BOOKINGS_TOPIC', 'bookings'), events: setting(env, 'EVENTS_TOPIC', 'events') },
  };
}

/**
 * The ports of a deployed function: clients configured by the environment (the project from the
 * runtime, or GOOGLE_CLOUD_PROJECT; the emulators from FIRESTORE_EMULATOR_HOST and PUBSUB_EMULATOR_HOST).
 * Both clients connect lazily, on first use.
 */
export function portsFromEnv(env: NodeJS.ProcessEnv = process.env): GcpPorts {
  return { firestore: createFirestore(), pubsub: createPubSub(), ...namesFromEnv(env) };
}
