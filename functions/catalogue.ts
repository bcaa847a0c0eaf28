import type { Route } from './http/contract.js';
import type { MessageHandler } from './queues/contract.js';
import { bookingsConsumer } from './queues/bookings-consumer.js';
import { eventsConsumer } from './queues/events-consumer.js';
import { QUEUE_MAX_DELIVERIES, STREAM_MAX_RETRIES } from './limits.js';
import { httpFunctions, type HttpFunctionName } from './routes.js';
import type { ChangeHandler } from './streams/contract.js';
import { bookingsOutbox } from './streams/bookings-outbox.js';
import { eventsOutbox } from './streams/events-outbox.js';
import { placePlayers } from './streams/place-players.js';

/**
 * Every deployed function, declared once and platform-free: its name (the same on every platform),
 * what triggers it, from where, and what happens when it fails. serverless.yml (its packaged
 * template), the Azure registrations and the GCP build and deploy lists are each checked against
 * this catalogue by a test, so a function added on one platform and forgotten on another fails.
 */

/** The domain-event queues (SQS queues, Storage queues, Pub/Sub topics), named by who reads them. */
export type QueueName = 'bookings' | 'events';

/** The stores whose change streams trigger functions (DynamoDB tables, Cosmos DB containers, Firestore collections). */
export type StoreName = 'events' | 'bookings' | 'players';

// The limits live in a module that imports nothing, so deployed code reads them without bundling every handler.
export { IDEMPOTENCY_KEY_LIFETIME_SECONDS, QUEUE_MAX_DELIVERIES, STREAM_MAX_RETRIES } from './limits.js';

export interface HttpFunctionSpec {
  trigger: 'http';
  routes: readonly Route<never>[];
}

export interface QueueFunctionSpec {
  trigger: 'queue';
  queue: QueueName;
  handler: MessageHandler<never>;
  /** A message that fails this many deliveries goes to the queue's dead letter; the others of its batch are unaffected. */
  maxDeliveries: typeof QUEUE_MAX_DELIVERIES;
}

export interface ChangeStreamFunctionSpec {
  trigger: 'change-stream';
  store: StoreName;
  handler: ChangeHandler<never>;
  /** The queue the function publishes domain events to, if any (the outboxes). */
  publishesTo?: QueueName;
  /** A failed batch is retried from the failed change, in order, this many times. */
  maxRetries: typeof STREAM_MAX_RETRIES;
}

export type FunctionSpec = HttpFunctionSpec | QueueFunctionSpec | ChangeStreamFunctionSpec;

const http = (name: HttpFunctionName): HttpFunctionSpec => ({ trigger: 'http', routes: httpFunctions[name] as readonly Route<never>[] });

export const functionCatalogue = {
  eventsApi: http('eventsApi'),
  bookingsApi: http('bookingsApi'),
  playersApi: http('playersApi'),
  eventsOutbox: { trigger: 'change-stream', store: 'events', handler: eventsOutbox, publishesTo: 'bookings', maxRetries: STREAM_MAX_RETRIES },
  bookingsOutbox: { trigger: 'change-stream', store: 'bookings', handler: bookingsOutbox, publishesTo: 'events', maxRetries: STREAM_MAX_RETRIES },
  placePlayers: { trigger: 'change-stream', store: 'players', handler: placePlayers, maxRetries: STREAM_MAX_RETRIES },
  bookingsConsumer: { trigger: 'queue', queue: 'bookings', handler: bookingsConsumer, maxDeliveries: QUEUE_MAX_DELIVERIES },
  eventsConsumer: { trigger: 'queue', queue: 'events', handler: eventsConsumer, maxDeliveries: QUEUE_MAX_DELIVERIES },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof functionCatalogue;

export const functionNames = Object.keys(functionCatalogue) as FunctionName[];

/** The names of the functions with the given trigger, in catalogue order. */
export function functionsTriggeredBy(trigger: FunctionSpec['trigger']): FunctionName[] {
  return functionNames.filter((name) => functionCatalogue[name].trigger === trigger);
}
