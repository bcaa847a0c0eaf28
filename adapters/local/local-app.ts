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

export interface LocalAppOptions {
  clock?: Clock;
  ids?: IdSource;
  logger: Logger;
  /** Attempts per queue message or stream record before it is dead-lettered (SQS maxReceiveCount). */
  maxAttempts?: number;
}

type LocalMessage = Omit<QueueMessage, 'attempt'>;

export interface LocalApp {
  /** Handles one HTTP request with every route of every function. */
  handle(request: RawHttpRequest, requestId: string): Promise<RawHttpResponse>;
  /** Waits until every stream and queue has nothing left to deliver (deliveries can enqueue more). */
  settle(): Promise<void>;
  /** Messages and stream records that failed every attempt: the local dead-letter queues. */
  deadLetters(): DeadLetter<LocalMessage | ChangeRecord>[];
  /** Each HTTP function's ports, so a platform's own HTTP adapter can serve this same world (test/conformance). */
  readonly httpDeps: HttpFunctionDeps;
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
  const queue = (name: string, consume: (message: QueueMessage) => Promise<void>) => {
    const delivery = new SerialDelivery<LocalMessage>(name, (message, attempt) => consume({ ...message, attempt }), logger, maxAttempts);
    const publisher: Publisher = {
      publish: async (event: DomainEvent) => {
        messageCount += 1;
        delivery.enqueue({ id: `${name}-${messageCount}`, body: JSON.stringify(event) });
      },
    };
    return { delivery, publisher };
  };
  const bookingsQueue = queue('bookingsQueue', (message) => bookingsConsumer(message, { bookings }));
  const eventsQueue = queue('eventsQueue', (message) => eventsConsumer(message, { events }));

  const stream = (name: string, table: MemoryTable, handle: (record: ChangeRecord) => Promise<void>) => {
    const delivery = new SerialDelivery<ChangeRecord>(name, handle, logger, maxAttempts);
    table.onChange((change) => delivery.enqueue(change));
    return delivery;
  };
  const deliveries: DeliveryStatus<LocalMessage | ChangeRecord>[] = [
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
      return dispatchHttp(routes, undefined, request, { requestId, logger });
    },
    async settle(): Promise<void> {
      while (deliveries.some((delivery) => !delivery.idle)) {
        for (const delivery of deliveries) await delivery.drain();
      }
    },
    deadLetters: () => deliveries.flatMap((delivery) => delivery.deadLetters),
    httpDeps,
  };
}

