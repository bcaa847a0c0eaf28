import type { Route } from './http/contract.js';
import type { BookingRepository, Clock, EventRepository, GameMapRepository, IdSource, LocationRepository, PlayerRepository, Publisher } from './ports.js';
import type { MessageHandler } from './queues/contract.js';
import { bookingsConsumer as consumeBookingsQueue } from './queues/bookings-consumer.js';
import { eventsConsumer as consumeEventsQueue } from './queues/events-consumer.js';
import { QUEUE_MAX_DELIVERIES, STREAM_MAX_RETRIES } from './limits.js';
import { bookingsApiRoutes, eventsApiRoutes, playersApiRoutes } from './routes.js';
import type { ChangeHandler } from './streams/contract.js';
import { bookingsOutbox as publishBookingChanges } from './streams/bookings-outbox.js';
import { eventsOutbox as publishEventChanges } from './streams/events-outbox.js';
import { placePlayers as placeChangedPlayers } from './streams/place-players.js';

/**
 * Every deployed function, declared once and platform-free: its name (the same on every platform),
 * what triggers it, from where, the ports it is built from, and what happens when it fails. Each
 * platform's composition root (adapters/<platform>/compose.ts) wires a function from its entry here:
 * the trigger adapter of its kind, its ports as that platform builds them, its source. The GCP build
 * and deploy lists, the Azure registrations and memory mode's app are read from this catalogue;
 * serverless.yml (its packaged template) is the user's own file, checked against it by a test.
 * README, "Adding a function", says what a new function needs.
 */

/** The domain-event queues (SQS queues, Storage queues, Pub/Sub topics), named by who reads them. */
export type QueueName = 'bookings' | 'events';

/** The stores whose change streams trigger functions (DynamoDB tables, Cosmos DB containers, Firestore collections). */
export type StoreName = 'events' | 'bookings' | 'players';

// The limits live in a module that imports nothing, so deployed code reads them without bundling every handler.
export { IDEMPOTENCY_KEY_LIFETIME_SECONDS, QUEUE_MAX_DELIVERIES, STREAM_MAX_RETRIES } from './limits.js';

/** Every port a function can be built from, by the name its handler's dependencies use. */
export interface Ports {
  locations: LocationRepository;
  events: EventRepository;
  bookings: BookingRepository;
  players: PlayerRepository;
  gameMap: GameMapRepository;
  /** Publishes to the function's `publishesTo` queue. */
  publisher: Publisher;
  clock: Clock;
  ids: IdSource;
}

export type PortName = keyof Ports;

/** The dependencies a function with these ports is handed. */
export type PortsOf<P extends readonly PortName[]> = Pick<Ports, P[number]>;

interface FunctionBase<Name extends string, P extends readonly PortName[]> {
  name: Name;
  /** What the platform builds and hands to the handler; the compiler checks it covers the handler's dependencies. */
  ports: P;
}

export interface HttpFunctionSpec<Name extends string = string, P extends readonly PortName[] = readonly PortName[]> extends FunctionBase<Name, P> {
  trigger: 'http';
  routes: readonly Route<PortsOf<P>>[];
  /** What it serves, in a few words: its tag in the API description (/openapi.json). */
  description: string;
  /** One cheap read the function answers below 500 when it works: the local modes' GET /health calls it. */
  probe: string;
}

export interface QueueFunctionSpec<Name extends string = string, P extends readonly PortName[] = readonly PortName[]> extends FunctionBase<Name, P> {
  trigger: 'queue';
  queue: QueueName;
  handler: MessageHandler<PortsOf<P>>;
  /** A message that fails this many deliveries goes to the queue's dead letter; the others of its batch are unaffected. */
  maxDeliveries: typeof QUEUE_MAX_DELIVERIES;
}

export interface ChangeStreamFunctionSpec<Name extends string = string, P extends readonly PortName[] = readonly PortName[]> extends FunctionBase<Name, P> {
  trigger: 'change-stream';
  store: StoreName;
  handler: ChangeHandler<PortsOf<P>>;
  /** The queue the function publishes domain events to, if any (the outboxes): what its `publisher` port publishes to. */
  publishesTo?: QueueName;
  /** A failed batch is retried from the failed change, in order, this many times. */
  maxRetries: typeof STREAM_MAX_RETRIES;
}

export type FunctionSpec = HttpFunctionSpec | QueueFunctionSpec | ChangeStreamFunctionSpec;

/*
 * One exported constant per function, so a per-function bundle (Lambda, Cloud Functions) keeps only
 * its own function: esbuild drops unused exports and the modules only they import (package.json
 * `sideEffects` names the only modules of ours with side effects), and `__PURE__` tells it these calls
 * have none. A lookup in `functionCatalogue` keeps all eight.
 */
const http = <const Name extends string, const P extends readonly PortName[]>(
  name: Name,
  ports: P,
  routes: readonly Route<NoInfer<PortsOf<P>>>[],
  { description, probe }: { description: string; probe: string },
): HttpFunctionSpec<Name, P> => ({ name, trigger: 'http', ports, routes, description, probe });

const queue = <const Name extends string, const P extends readonly PortName[]>(name: Name, ports: P, queue: QueueName, handler: MessageHandler<NoInfer<PortsOf<P>>>): QueueFunctionSpec<Name, P> => ({
  name,
  trigger: 'queue',
  ports,
  queue,
  handler,
  maxDeliveries: QUEUE_MAX_DELIVERIES,
});

const changeStream = <const Name extends string, const P extends readonly PortName[]>(
  name: Name,
  ports: P,
  store: StoreName,
  handler: ChangeHandler<NoInfer<PortsOf<P>>>,
  publishesTo?: QueueName,
): ChangeStreamFunctionSpec<Name, P> => ({ name, trigger: 'change-stream', ports, store, handler, ...(publishesTo === undefined ? {} : { publishesTo }), maxRetries: STREAM_MAX_RETRIES });

export const eventsApi = /* @__PURE__ */ http('eventsApi', ['locations', 'events', 'ids'], eventsApiRoutes, { description: 'Locations and events (the events service)', probe: '/events?limit=1' });
// Its probe names no event: its own 404 is the healthy answer.
export const bookingsApi = /* @__PURE__ */ http('bookingsApi', ['bookings', 'clock', 'ids'], bookingsApiRoutes, { description: 'Bookings of an event (the booking service)', probe: '/events/health-probe/bookings?limit=1' });
export const playersApi = /* @__PURE__ */ http('playersApi', ['players', 'gameMap', 'ids'], playersApiRoutes, { description: 'Players and the game map', probe: '/map?limit=1' });
export const eventsOutbox = /* @__PURE__ */ changeStream('eventsOutbox', ['publisher', 'clock'], 'events', publishEventChanges, 'bookings');
export const bookingsOutbox = /* @__PURE__ */ changeStream('bookingsOutbox', ['publisher', 'clock'], 'bookings', publishBookingChanges, 'events');
export const placePlayers = /* @__PURE__ */ changeStream('placePlayers', ['gameMap'], 'players', placeChangedPlayers);
export const bookingsConsumer = /* @__PURE__ */ queue('bookingsConsumer', ['bookings'], 'bookings', consumeBookingsQueue);
export const eventsConsumer = /* @__PURE__ */ queue('eventsConsumer', ['events'], 'events', consumeEventsQueue);

export const functionCatalogue = { eventsApi, bookingsApi, playersApi, eventsOutbox, bookingsOutbox, placePlayers, bookingsConsumer, eventsConsumer } as const;

export type FunctionName = keyof typeof functionCatalogue;

type Assert<T extends true> = T;
/** Each entry's name is its key: a function registered under one name and catalogued under another fails to compile. */
export type CatalogueNamesAreKeys = Assert<typeof functionCatalogue extends { [N in FunctionName]: { name: N } } ? true : false>;

export const functionNames = /* @__PURE__ */ Object.keys(functionCatalogue) as FunctionName[];

/** The names of the functions with the given trigger, in catalogue order. */
export function functionsTriggeredBy(trigger: FunctionSpec['trigger']): FunctionName[] {
  return functionNames.filter((name) => functionCatalogue[name].trigger === trigger);
}
