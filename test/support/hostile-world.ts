import type { Route } from '../../functions/http/contract.js';
import type { Clock, IdSource } from '../../functions/ports.js';
import { httpFunctions, type HttpFunctionDeps } from '../../functions/routes.js';
import {
  MemoryBookingRepository,
  MemoryEventRepository,
  MemoryGameMapRepository,
  MemoryLocationRepository,
  MemoryPlayerRepository,
} from '../../adapters/memory/repositories.js';
import { MemoryTable } from '../../adapters/memory/memory-table.js';
import { dispatchHttp, type RawHttpRequest, type RawHttpResponse } from '../../adapters/shared/http-dispatch.js';
import { silentLogger } from '../../adapters/shared/json-logger.js';
import { fixedClock, sequentialIds } from './doubles.js';
import { validEvent, validLocation } from './http-harness.js';
import { ADMIN_AUTHORIZATION } from './tokens.js';

/** Sends one raw request to the whole app (every function's routes) and answers the raw response. */
export type Send = (request: RawHttpRequest) => Promise<RawHttpResponse>;

/** Repositories of every HTTP function, on any engine. */
export type Repositories = Omit<HttpFunctionDeps['eventsApi'], 'ids'> & Omit<HttpFunctionDeps['bookingsApi'], 'ids' | 'clock'> & Omit<HttpFunctionDeps['playersApi'], 'ids'>;

export function memoryRepositories(): Repositories {
  const eventsTable = new MemoryTable();
  return {
    locations: new MemoryLocationRepository(eventsTable),
    events: new MemoryEventRepository(eventsTable),
    bookings: new MemoryBookingRepository(),
    players: new MemoryPlayerRepository(),
    gameMap: new MemoryGameMapRepository(),
  };
}

function bindRoutes<Deps>(routes: readonly Route<Deps>[], deps: Deps): Route<void>[] {
  return routes.map((route) => ({ ...route, handler: (request) => route.handler(request, deps) }));
}

/** The shared dispatch over every route, bound to `repositories` (one route table, as the local app has). */
export function dispatcherOver(repositories: Repositories, ids: IdSource = sequentialIds(), clock: Clock = fixedClock()): Send {
  const deps: HttpFunctionDeps = {
    eventsApi: { locations: repositories.locations, events: repositories.events, ids },
    bookingsApi: { bookings: repositories.bookings, clock, ids },
    playersApi: { players: repositories.players, gameMap: repositories.gameMap, ids },
  };
  const routes = [
    ...bindRoutes(httpFunctions.eventsApi, deps.eventsApi),
    ...bindRoutes(httpFunctions.bookingsApi, deps.bookingsApi),
    ...bindRoutes(httpFunctions.playersApi, deps.playersApi),
  ];
  return (request) => dispatchHttp(routes, undefined, request, { requestId: 'req-hostile', logger: silentLogger });
}

/** A JSON request with an admin's token (unless `headers` bring their own); `body` is serialised unless it is already text. */
export function jsonRequest(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): RawHttpRequest {
  const text = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const withToken = { authorization: ADMIN_AUTHORIZATION, ...headers };
  return { method, path, query: {}, headers: text === undefined ? withToken : { 'content-type': 'application/json', ...withToken }, body: text };
}

export interface Seeded {
  locationId: string;
  eventId: string;
  eventName: string;
  playerId: string;
}

/**
 * A location, an event the booking service knows, and a player, created through the API. `learn` makes
 * the booking service know the event: directly in its repository, or by letting the queues deliver.
 */
export async function seed(send: Send, learn: Repositories | (() => Promise<void>)): Promise<Seeded> {
  const location = JSON.parse((await send(jsonRequest('POST', '/locations', validLocation))).body) as { id: string };
  const eventResponse = await send(jsonRequest('POST', '/events', validEvent(location.id)));
  if (eventResponse.status !== 201) throw new Error(`seeding the event answered ${eventResponse.status}: ${eventResponse.body}`);
  const event = JSON.parse(eventResponse.body) as { id: string; name: string; capacity: number };
  if (typeof learn === 'function') await learn();
  else await learn.bookings.rememberEvent({ eventId: event.id, capacity: event.capacity, seatsBooked: 0 });
  const player = JSON.parse((await send(jsonRequest('POST', '/players', { name: 'Ada' }))).body) as { id: string };
  return { locationId: location.id, eventId: event.id, eventName: event.name, playerId: player.id };
}

/** What the API shows of the stored state (to an admin, who sees every booking): a rejected request must leave it unchanged. */
export async function snapshot(send: Send, seeded: Seeded): Promise<string[]> {
  const paths = ['/locations?limit=100', '/events?limit=100', `/events/${seeded.eventId}/bookings?limit=100`, `/players/${seeded.playerId}`];
  // Read together: over an engine-backed stack the snapshot follows every rejected write.
  return Promise.all(
    paths.map(async (path) => {
      const [pathOnly = path, search = ''] = path.split('?');
      const { body } = await send({ method: 'GET', path: pathOnly, query: Object.fromEntries(new URLSearchParams(search)), headers: { authorization: ADMIN_AUTHORIZATION } });
      // An error answer (the seeded player deleted: 404) names its request: a new id per read through a socket, not a change of state.
      return body.replace(/"requestId":"[^"]*"/g, '"requestId":"…"');
    }),
  );
}
