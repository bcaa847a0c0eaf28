import { bookingSchema, idempotencyKeySchema, newBookingSchema } from './domain/booking.js';
import { eventSchema, newEventSchema } from './domain/event.js';
import { locationSchema, newLocationSchema } from './domain/location.js';
import { newPlayerSchema, placedPlayerSchema, playerViewSchema } from './domain/player.js';
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
  { method: 'POST', path: '/locations', access: 'admin', handler: createLocation, summary: 'Create a location with its halls', requestBody: newLocationSchema, responseBody: locationSchema },
  { method: 'GET', path: '/locations', access: 'public', handler: listLocations, summary: 'List locations, by id', paged: true, responseBody: locationSchema },
  { method: 'GET', path: '/locations/{id}', access: 'public', handler: getLocation, summary: 'Get a location', responseBody: locationSchema, refusals: { 404: 'No such location' } },
  { method: 'POST', path: '/events', access: 'admin', handler: createEvent, summary: 'Create an event in a hall of a location (names are unique)', requestBody: newEventSchema, responseBody: eventSchema, refusals: { 409: 'The name is taken (EVENT_NAME_TAKEN)', 422: 'No such location or hall (UNKNOWN_LOCATION, UNKNOWN_HALL)' } },
  { method: 'GET', path: '/events', access: 'public', handler: listEvents, summary: 'List events, by start then id', paged: true, responseBody: eventSchema },
  { method: 'GET', path: '/events/{id}', access: 'public', handler: getEvent, summary: 'Get an event', responseBody: eventSchema, refusals: { 404: 'No such event' } },
  { method: 'GET', path: '/events/id/{id}', access: 'public', handler: getEvent, summary: "Get an event (the book's search by id)", responseBody: eventSchema, refusals: { 404: 'No such event' } },
  { method: 'GET', path: '/events/name/{name}', access: 'public', handler: getEventByName, summary: 'Find an event by its name', responseBody: eventSchema, refusals: { 404: 'No event of that name' } },
];

export const bookingsApiRoutes: Route<BookingsDeps>[] = [
  {
    method: 'POST',
    path: '/events/{id}/bookings',
    access: 'caller',
    handler: bookSeats,
    summary: 'Book seats (Idempotency-Key header: a retry returns the first booking)',
    requestBody: newBookingSchema,
    responseBody: bookingSchema,
    requestHeaders: [{ name: 'Idempotency-Key', description: 'An opaque client token: a retry with the same key and request answers the first booking again (201, `Idempotent-Replayed: true`)', schema: idempotencyKeySchema }],
    refusals: { 404: 'The booking service does not know the event (yet)', 409: 'Not enough seats left (INSUFFICIENT_SEATS)', 422: 'The Idempotency-Key was used for a different booking (IDEMPOTENCY_KEY_REUSED)' },
  },
  { method: 'GET', path: '/events/{id}/bookings', access: 'caller', handler: listBookings, summary: "List an event's bookings, by creation time then id", paged: true, responseBody: bookingSchema, refusals: { 404: 'The booking service does not know the event (yet)' } },
];

export const playersApiRoutes: Route<PlayersDeps>[] = [
  { method: 'POST', path: '/players', access: 'caller', handler: createPlayer, summary: 'Add a player (placed on the map by the players stream)', requestBody: newPlayerSchema, responseBody: playerViewSchema },
  { method: 'GET', path: '/players/{id}', access: 'public', handler: getPlayer, summary: 'Get a player and its map position', responseBody: playerViewSchema, refusals: { 404: 'No such player' } },
  { method: 'DELETE', path: '/players/{id}', access: 'caller', handler: deletePlayer, summary: 'Delete a player (taken off the map by the players stream)', refusals: { 403: "Another caller's player", 404: 'No such player' } },
  { method: 'GET', path: '/map', access: 'public', handler: getMap, summary: 'List the players on the map, by player id', paged: true, responseBody: placedPlayerSchema },
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
