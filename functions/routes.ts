import type { Route } from './http/contract.js';
import { bookSeats, listBookings, type BookingsDeps } from './http/bookings.js';
import { createEvent, getEvent, getEventByName, listEvents, type EventsDeps } from './http/events.js';
import { createLocation, getLocation, listLocations } from './http/locations.js';
import { createPlayer, deletePlayer, getMap, getPlayer, type PlayersDeps } from './http/players.js';

/**
 * The route table, declared once. Each key is a deployed HTTP function (same name on every platform);
 * serverless.yml routes and the Azure/GCP registrations are checked against this table by a test.
 */
export const eventsApiRoutes: Route<EventsDeps>[] = [
  { method: 'POST', path: '/locations', handler: createLocation },
  { method: 'GET', path: '/locations', handler: listLocations },
  { method: 'GET', path: '/locations/{id}', handler: getLocation },
  { method: 'POST', path: '/events', handler: createEvent },
  { method: 'GET', path: '/events', handler: listEvents },
  { method: 'GET', path: '/events/{id}', handler: getEvent },
  { method: 'GET', path: '/events/id/{id}', handler: getEvent },
  { method: 'GET', path: '/events/name/{name}', handler: getEventByName },
];

export const bookingsApiRoutes: Route<BookingsDeps>[] = [
  { method: 'POST', path: '/events/{id}/bookings', handler: bookSeats },
  { method: 'GET', path: '/events/{id}/bookings', handler: listBookings },
];

export const playersApiRoutes: Route<PlayersDeps>[] = [
  { method: 'POST', path: '/players', handler: createPlayer },
  { method: 'GET', path: '/players/{id}', handler: getPlayer },
  { method: 'DELETE', path: '/players/{id}', handler: deletePlayer },
  { method: 'GET', path: '/map', handler: getMap },
];

export interface HttpFunctionDeps {
  eventsApi: EventsDeps;
  bookingsApi: BookingsDeps;
  playersApi: PlayersDeps;
}

export type HttpFunctionName = keyof HttpFunctionDeps;

export const httpFunctions: { [F in HttpFunctionName]: Route<HttpFunctionDeps[F]>[] } = {
  eventsApi: eventsApiRoutes,
  bookingsApi: bookingsApiRoutes,
  playersApi: playersApiRoutes,
};
