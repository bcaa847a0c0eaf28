import type { DomainEvent } from '../../functions/domain/domain-events.js';
import type { Route } from '../../functions/http/contract.js';
import {
  bookingsConsumer,
  bookingsOutbox,
  eventsConsumer,
  eventsOutbox,
  httpFunctions,
  placePlayers,
  type ChangeRecord,
  type HttpFunctionDeps,
  type QueueMessage,
} from '../../functions/index.js';
import type { Clock, IdSource, Logger, Publisher } from '../../functions/ports.js';
import {
  MemoryBookingRepository,
  MemoryEventRepository,
  MemoryGameMapRepository,
  MemoryLocationRepository,
  MemoryPlayerRepository,
} from '../memory/repositories.js';
import { MemoryTable } from '../memory/memory-table.js';
import { dispatchHttp, type RawHttpRequest, type RawHttpResponse } from '../shared/http-dispatch.js';
import { functionChecks, healthResponse, isHealthRequest } from '../shared/health.js';
import { silentLogger } from '../shared/json-logger.js';
import { isOpenApiRequest, openApiResponse } from '../shared/openapi-response.js';
import { randomIds, systemClock } from '../shared/system.js';
import { SerialDelivery, type DeadLetter, type DeliveryStatus } from './serial-delivery.js';
import { parseTraceparent } from '../shared/trace-context.js';
import { functionServing, normalisedTarget } from './front-door.js';
import { currentTraceparent, HOP_ATTRIBUTES, inHop, type HopKind } from '../shared/tracing.js';
import type { FunctionName } from '../../functions/catalogue.js';
import type { QueueView } from './local-console.js';

export interface LocalAppOptions {
  clock?: Clock;
  ids?: IdSource;
  logger: Logger;
  /** Attempts per queue message or stream record before it is dead-lettered (SQS maxReceiveCount). */
  maxAttempts?: number;
}

/** A queued message: its body, and the `traceparent` of the hop that published it (as SQS message attributes carry it). */
type LocalMessage = Omit<QueueMessage, 'attempt'> & { traceparent?: string };
/** A change, with the `traceparent` of the hop that wrote it (stored with the item, memory-table.ts). */
type LocalChange = { record: ChangeRecord; traceparent?: string };

export interface LocalApp {
  /** Handles one HTTP request with every route of every function. */
  handle(request: RawHttpRequest, requestId: string): Promise<RawHttpResponse>;
  /** Waits until every stream and queue has nothing left to deliver (deliveries can enqueue more). */
  settle(): Promise<void>;
  /** Messages and stream records that failed every attempt: the local dead-letter queues. */
  deadLetters(): DeadLetter<LocalMessage | ChangeRecord>[];
  /** Every queue and change stream: its function, depth and dead letters (the local console's queues). */
  queues(): QueueView[];
  /** Sends a dead letter back to its queue or stream (the local console's redrive button). */
  redrive(name: string, index: number): boolean;
  /** Puts a raw message on a queue, as `aws sqs send-message` would (a poison message, by hand). */
  send(queue: 'bookingsQueue' | 'eventsQueue', body: string, traceparent?: string): void;
  /** Each HTTP function's ports, so a platform's own HTTP adapter can serve this same world (test/conformance). */
  readonly httpDeps: HttpFunctionDeps;
}

/**
 * Delivers one item as one hop of its function: a child of the hop that wrote or published it (and, for a
 * message, linked to it, as OpenTelemetry's messaging conventions ask), retries and the dead-lettering
 * attempt each a hop of their own.
 */
function tracedDelivery<T>(fn: FunctionName, kind: HopKind, name: string, traceparentOf: (item: T) => string | undefined, deliver: (item: T, attempt: number) => Promise<void>) {
  return (item: T, attempt: number, last: boolean): Promise<void> => {
    const producer = parseTraceparent(traceparentOf(item));
    return inHop({ name, kind, fn, ...(producer && { parent: producer, ...(kind === 'queue' && { links: [producer] }) }), attributes: { [HOP_ATTRIBUTES.attempt]: attempt } }, async (hop) => {
      try {
        await deliver(item, attempt);
      } catch (error) {
        if (last) hop.setAttribute(HOP_ATTRIBUTES.deadLettered, true);
        throw error;
      }
    });
  };
}

/** Binds a function's routes to its dependencies so all functions can share one route table locally. */
function bindRoutes<Deps>(routes: readonly Route<Deps>[], deps: Deps): Route<void>[] {
  return routes.map((route) => ({ ...route, handler: (request) => route.handler(request, deps) }));
}

/**
 * The whole app in one process over in-memory ports: every HTTP function, the change streams of the
 * three tables (each delivered in order) and the two queues, wired as serverless.yml wires them on AWS.
 */
export function createLocalApp(options: LocalAppOptions): LocalApp {
  const { logger, clock = systemClock, ids = randomIds, maxAttempts = 5 } = options;
  const eventsTable = new MemoryTable();
  const bookingsTable = new MemoryTable();
  const playersTable = new MemoryTable();
  const locations = new MemoryLocationRepository(eventsTable);
  const events = new MemoryEventRepository(eventsTable);
  const bookings = new MemoryBookingRepository(bookingsTable);
  const players = new MemoryPlayerRepository(playersTable);
  const gameMap = new MemoryGameMapRepository();

  let messageCount = 0;
  const queue = (name: string, fn: FunctionName, consume: (message: QueueMessage) => Promise<void>) => {
    const deliver = tracedDelivery<LocalMessage>(fn, 'queue', `process ${name}`, (message) => message.traceparent, ({ id, body }, attempt) => consume({ id, body, attempt }));
    const delivery = new SerialDelivery<LocalMessage>(name, deliver, logger, maxAttempts);
    const publisher: Publisher = {
      publish: async (event: DomainEvent) => send(JSON.stringify(event), currentTraceparent()),
    };
    const send = (body: string, traceparent?: string): void => {
      messageCount += 1;
      delivery.enqueue({ id: `${name}-${messageCount}`, body, ...(traceparent && { traceparent }) });
    };
    return { delivery, publisher, send };
  };
  const bookingsQueue = queue('bookingsQueue', 'bookingsConsumer', (message) => bookingsConsumer(message, { bookings }));
  const eventsQueue = queue('eventsQueue', 'eventsConsumer', (message) => eventsConsumer(message, { events }));

  const stream = (name: FunctionName, table: MemoryTable, handle: (record: ChangeRecord) => Promise<void>) => {
    const deliver = tracedDelivery<LocalChange>(name, 'change-stream', `${name} change`, (change) => change.traceparent, ({ record }) => handle(record));
    const delivery = new SerialDelivery<LocalChange>(name, deliver, logger, maxAttempts);
    table.onChange((record, traceparent) => delivery.enqueue(traceparent === undefined ? { record } : { record, traceparent }));
    return delivery;
  };
  const consumers: Record<string, FunctionName> = { bookingsQueue: 'bookingsConsumer', eventsQueue: 'eventsConsumer' };
  const deliveries: DeliveryStatus<LocalMessage | LocalChange>[] = [
    stream('eventsOutbox', eventsTable, (record) => eventsOutbox(record, { publisher: bookingsQueue.publisher, clock })),
    stream('bookingsOutbox', bookingsTable, (record) => bookingsOutbox(record, { publisher: eventsQueue.publisher, clock })),
    stream('placePlayers', playersTable, (record) => placePlayers(record, { gameMap })),
    bookingsQueue.delivery,
    eventsQueue.delivery,
  ];

  const httpDeps: HttpFunctionDeps = {
    eventsApi: { locations, events, ids },
    bookingsApi: { bookings, clock, ids },
    playersApi: { players, gameMap, ids },
  };
  const routes: Route<void>[] = [
    ...bindRoutes(httpFunctions.eventsApi, httpDeps.eventsApi),
    ...bindRoutes(httpFunctions.bookingsApi, httpDeps.bookingsApi),
    ...bindRoutes(httpFunctions.playersApi, httpDeps.playersApi),
  ];

  return {
    handle(request: RawHttpRequest, requestId: string): Promise<RawHttpResponse> {
      if (isOpenApiRequest(request)) return Promise.resolve(openApiResponse(requestId));
      if (isHealthRequest(request)) {
        // In process, the engines are the in-memory stores: what can fail is a function, so each is called.
        const call = async (pathAndQuery: string) => {
          const url = new URL(pathAndQuery, 'http://localhost');
          const probe = { method: 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: {} };
          return (await dispatchHttp(routes, undefined, probe, { requestId, logger: silentLogger })).status;
        };
        return healthResponse(functionChecks(call), requestId);
      }
      const fn = functionServing(normalisedTarget(request.path)?.path ?? request.path);
      return dispatchHttp(routes, undefined, request, { requestId, logger, ...(fn && { fn }) });
    },
    async settle(): Promise<void> {
      while (deliveries.some((delivery) => !delivery.idle)) {
        for (const delivery of deliveries) await delivery.drain();
      }
    },
    // Dead letters as the app's callers knew them before trace context: the message, or the change record.
    deadLetters: () => deliveries.flatMap((delivery) => delivery.deadLetters.map((letter) => ({ ...letter, item: 'record' in letter.item ? letter.item.record : { id: letter.item.id, body: letter.item.body } }))),
    queues: () =>
      deliveries.map((delivery) => {
        const consumer = consumers[delivery.name];
        return {
          name: delivery.name,
          function: consumer ?? delivery.name,
          kind: consumer === undefined ? 'change-stream' : 'queue',
          depth: delivery.depth,
          deadLetters: delivery.deadLetters.map((letter, index) => {
            const item = letter.item;
            const traceId = parseTraceparent(item.traceparent)?.traceId;
            const id = 'record' in item ? item.record.id : item.id;
            return { index, id, attempts: letter.attempts, error: String(letter.error['message'] ?? letter.error['name'] ?? 'failed'), ...(traceId && { traceId }) };
          }),
        };
      }),
    send: (queueName, body, traceparent) => (queueName === 'bookingsQueue' ? bookingsQueue : eventsQueue).send(body, traceparent),
    redrive: (name, index) => deliveries.find((delivery) => delivery.name === name)?.redrive(index) ?? false,
    httpDeps,
  };
}

