import { newBookingSchema } from './domain/booking.js';
import { newEventSchema } from './domain/event.js';
import { newLocationSchema } from './domain/location.js';
import { newPlayerSchema } from './domain/player.js';
import type { Route } from './http/contract.js';
import { bookSeats, listBookings, type BookingsDeps } from './http/bookings.js';
import { createEvent, getEvent, getEventByName, listEvents, type EventsDeps } from './http/events.js';
import { createLocation, getLocation, listLocations } from './http/locations.js';
import { createPlayer, deletePlayer, getMap, getPlayer, type PlayersDeps } from './http/players.js';

/**
 * The route table, declared once. `access` says who may call each route (functions/http/contract.ts):
 * reads of the catalogue and the map are public, creating locations and events needs `admin`, bookings and
 * players need a caller, whose ownership the handlers check. Each key is a deployed HTTP function (same name on every platform);
 * serverless.yml routes and the Azure/GCP registrations are checked against this table by a test.
 */
export const eventsApiRoutes: Route<EventsDeps>[] = [
  { method: 'POST', path: '/locations', access: 'admin', handler: createLocation, summary: 'Create a location with its halls', requestBody: newLocationSchema },
  { method: 'GET', path: '/locations', access: 'public', handler: listLocations, summary: 'List locations, by id', paged: true },
  { method: 'GET', path: '/locations/{id}', access: 'public', handler: getLocation, summary: 'Get a location' },
  { method: 'POST', path: '/events', access: 'admin', handler: createEvent, summary: 'Create an event in a hall of a location (names are unique)', requestBody: newEventSchema },
  { method: 'GET', path: '/events', access: 'public', handler: listEvents, summary: 'List events, by start then id', paged: true },
  { method: 'GET', path: '/events/{id}', access: 'public', handler: getEvent, summary: 'Get an event' },
  { method: 'GET', path: '/events/id/{id}', access: 'public', handler: getEvent, summary: "Get an event (the book's search by id)" },
  { method: 'GET', path: '/events/name/{name}', access: 'public', handler: getEventByName, summary: 'Find an event by its name' },
];

export const bookingsApiRoutes: Route<BookingsDeps>[] = [
  { method: 'POST', path: '/events/{id}/bookings', access: 'caller', handler: bookSeats, summary: 'Book seats (Idempotency-Key header: a retry returns the first booking)', requestBody: newBookingSchema },
  { method: 'GET', path: '/events/{id}/bookings', access: 'caller', handler: listBookings, summary: "List an event's bookings, by creation time then id", paged: true },
];

export const playersApiRoutes: Route<PlayersDeps>[] = [
  { method: 'POST', path: '/players', access: 'caller', handler: createPlayer, summary: 'Add a player (placed on the map by the players stream)', requestBody: newPlayerSchema },
  { method: 'GET', path: '/players/{id}', access: 'public', handler: getPlayer, summary: 'Get a player and its map position' },
  { method: 'DELETE', path: '/players/{id}', access: 'caller', handler: deletePlayer, summary: 'Delete a player (taken off the map by the players stream)' },
  { method: 'GET', path: '/map', access: 'public', handler: getMap, summary: 'List the players on the map, by player id', paged: true },
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
