import { expect } from 'vitest';
import { ADMIN_AUTHORIZATION, BAD_TOKENS, USER_AUTHORIZATION, USER_SUB, userToken } from '../support/tokens.js';
import type { PlatformName, ScenarioRequest } from './http-drivers.js';

/**
 * The HTTP scenarios, written once and platform-free, run in order (later ones read what earlier ones
 * created; streams and queues settle in between): every route, paging, every error status, an
 * idempotent booking retry, a CORS preflight, tokens refused (401) and callers refused (403), ownership.
 * Ids are sequential (id-1, id-2, ...) and the clock stands still.
 */
export interface Scenario {
  name: string;
  request: ScenarioRequest;
  /** Saves the answer's `id` under this name: later requests and expectations say `{name}` (ids depend on how many were drawn). */
  captureId?: string;
  expected: {
    status: number;
    /**
     * The parsed body (asymmetric matchers allowed), or a function of the captured ids; `error.requestId`
     * always equals `x-request-id`.
     */
    body?: unknown | ((captured: Record<string, string>) => unknown);
    /** Headers that must be present with these values (or matching these patterns). */
    headers?: Record<string, string | RegExp>;
  };
  /** Platforms that answer this request themselves, before our code runs: what they answer, and why. */
  platformAnswers?: Partial<Record<PlatformName, { status: number; why: string }>>;
}

const json = { 'content-type': 'application/json' };
/** Locations and events are written by an admin; bookings and players by callers, who own what they create. */
const asAdmin = { authorization: ADMIN_AUTHORIZATION };
const asUser = { authorization: USER_AUTHORIZATION };
const asAnotherUser = { authorization: `Bearer ${await userToken('another-user')}` };
/** API Gateway's JWT authorizer (serverless.yml) refuses these before the function runs, with its own body. */
const authorizerAnswers = (status: 401 | 403): Scenario['platformAnswers'] => ({
  'aws-http-api': {
    status,
    why: `the HTTP API's JWT authorizer on the method route refuses the token before the function runs, with its own ${status === 401 ? '{"message":"Unauthorized"}' : '{"message":"Forbidden"}'}; the function checks again, so sls offline and the REST API answer as the table says`,
  },
});

const LOCATION = { name: 'Olympiastadion', address: 'Olympischer Platz 3', country: 'DE', openTime: 8, closeTime: 23, halls: [{ name: 'Main', location: 'ground floor', capacity: 3 }] };
const EVENT = { name: 'Opera Aida', duration: 180, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: 'id-1', hall: 'Main' };
/** A JSON POST, by an admin unless the caller is given; `content-type` and `authorization` may be replaced or dropped. */
const post = (url: string, body: unknown, headers: Record<string, string | undefined> = {}): ScenarioRequest => ({
  method: 'POST',
  url,
  headers: definedHeaders({ ...json, ...asAdmin, ...headers }),
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
const definedHeaders = (headers: Record<string, string | undefined>): Record<string, string> =>
  Object.fromEntries(Object.entries(headers).filter((entry): entry is [string, string] => entry[1] !== undefined));
const get = (url: string, headers: Record<string, string> = {}): ScenarioRequest => ({ method: 'GET', url, headers });
const del = (url: string, headers: Record<string, string>): ScenarioRequest => ({ method: 'DELETE', url, headers });
const error = (code: string, details?: { field: string; message?: unknown }[]) => ({
  error: {
    code,
    message: expect.any(String),
    requestId: expect.any(String),
    ...(details === undefined ? {} : { details: details.map((detail) => ({ message: expect.any(String), ...detail })) }),
  },
});
const aida = { id: 'id-2', ...EVENT, capacity: 3, seatsBooked: 0 };
const tosca = { id: 'id-3', ...EVENT, name: 'Opera Tosca', startDate: '2026-12-02T19:00:00Z', endDate: '2026-12-02T22:00:00Z', capacity: 3, seatsBooked: 0 };
const booking = (captured: Record<string, string>) => ({ id: captured['booking'], eventId: 'id-2', seats: 2, createdAt: '2026-05-01T10:00:00.000Z', owner: USER_SUB });
const otherBooking = (captured: Record<string, string>) => ({ id: captured['otherBooking'], eventId: 'id-2', seats: 1, createdAt: '2026-05-01T10:00:00.000Z', owner: 'another-user' });

export const SCENARIOS: Scenario[] = [
  { name: 'create a location', request: post('/locations', LOCATION), expected: { status: 201, body: { id: 'id-1', ...LOCATION } } },
  { name: 'get the location', request: get('/locations/id-1'), expected: { status: 200, body: { id: 'id-1', ...LOCATION } } },
  { name: 'list locations', request: get('/locations'), expected: { status: 200, body: [{ id: 'id-1', ...LOCATION }] } },
  { name: 'unknown location → 404', request: get('/locations/nope'), expected: { status: 404, body: error('NOT_FOUND') } },
  {
    name: 'a write without a token → 401 with a Bearer challenge',
    request: post('/locations', LOCATION, { authorization: undefined }),
    expected: { status: 401, body: error('UNAUTHENTICATED'), headers: { 'www-authenticate': /^Bearer /, 'cache-control': 'no-store' } },
    platformAnswers: authorizerAnswers(401),
  },
  {
    name: 'an expired token → 401 invalid_token',
    request: post('/locations', LOCATION, { authorization: `Bearer ${BAD_TOKENS['expired'] ?? ''}` }),
    expected: { status: 401, body: error('UNAUTHENTICATED'), headers: { 'www-authenticate': /error="invalid_token"/ } },
    platformAnswers: authorizerAnswers(401),
  },
  {
    name: 'a valid token without the admin scope → 403 insufficient_scope',
    request: post('/locations', LOCATION, asUser),
    expected: { status: 403, body: error('FORBIDDEN'), headers: { 'www-authenticate': /error="insufficient_scope"/ } },
    platformAnswers: authorizerAnswers(403),
  },
  { name: 'create an event', request: post('/events', EVENT), expected: { status: 201, body: aida } },
  {
    name: 'create a second event',
    request: post('/events', { ...EVENT, name: 'Opera Tosca', startDate: tosca.startDate, endDate: tosca.endDate }),
    expected: { status: 201, body: tosca },
  },
  { name: 'event name taken → 409', request: post('/events', EVENT), expected: { status: 409, body: error('EVENT_NAME_TAKEN', [{ field: 'name' }]) } },
  { name: 'unknown location → 422', request: post('/events', { ...EVENT, name: 'Nabucco', locationId: 'nope' }), expected: { status: 422, body: error('UNKNOWN_LOCATION', [{ field: 'locationId' }]) } },
  { name: 'unknown hall → 422', request: post('/events', { ...EVENT, name: 'Nabucco', hall: 'Attic' }), expected: { status: 422, body: error('UNKNOWN_HALL', [{ field: 'hall' }]) } },
  {
    name: 'first page of events, with a Link to the next',
    request: get('/events?limit=1'),
    expected: { status: 200, body: [aida], headers: { link: /^<\/events\?limit=1&cursor=[\w-]+>; rel="next"$/ } },
  },
  { name: 'a bad limit → 400 naming it', request: get('/events?limit=0'), expected: { status: 400, body: error('VALIDATION_FAILED', [{ field: 'limit' }]) } },
  { name: 'a bad cursor → 400 naming it', request: get('/events?limit=1&cursor=not-a-cursor'), expected: { status: 400, body: error('INVALID_CURSOR', [{ field: 'cursor' }]) } },
  { name: 'get an event', request: get('/events/id-2'), expected: { status: 200, body: aida } },
  { name: "get an event by the book's /events/id/", request: get('/events/id/id-3'), expected: { status: 200, body: tosca } },
  { name: 'find an event by its URL-encoded name', request: get('/events/name/Opera%20Aida'), expected: { status: 200, body: aida } },
  { name: 'unknown event → 404', request: get('/events/nope'), expected: { status: 404, body: error('NOT_FOUND') } },
  {
    name: 'schema violation → 400 naming the field',
    request: post('/locations', { ...LOCATION, halls: [{ ...LOCATION.halls[0], capacity: 0 }] }),
    expected: { status: 400, body: error('VALIDATION_FAILED', [{ field: 'halls.0.capacity' }]) },
  },
  { name: 'malformed JSON without a content-type → 400', request: post('/locations', '{"name": ', { 'content-type': undefined }), expected: { status: 400, body: error('MALFORMED_JSON') } },
  {
    name: 'malformed JSON declared as application/json → 400',
    request: post('/locations', '{"name": '),
    expected: { status: 400, body: error('MALFORMED_JSON') },
    platformAnswers: {
      gcp: { status: 400, why: "functions-framework parses application/json bodies before the function runs and answers a parse error itself, without our error body (functions-framework-nodejs issue #686)" },
    },
  },
  { name: 'a declared non-JSON content-type → 415', request: post('/locations', 'hello', { 'content-type': 'text/plain' }), expected: { status: 415, body: error('UNSUPPORTED_MEDIA_TYPE') } },
  { name: 'a body over 1 MiB → 413', request: post('/locations', { pad: 'x'.repeat(1024 * 1024) }), expected: { status: 413, body: error('PAYLOAD_TOO_LARGE') } },
  { name: 'another method on a known path → 405 with Allow', request: del('/events', asAdmin), expected: { status: 405, body: error('METHOD_NOT_ALLOWED'), headers: { allow: 'POST, GET' } } },
  {
    name: 'an unknown path → 404',
    request: get('/nope'),
    expected: { status: 404, body: error('ROUTE_NOT_FOUND') },
    platformAnswers: {
      azure: { status: 404, why: "the Functions host routes by each function's route template (adapters/azure/http-trigger.ts routeTemplateOf) and answers a path no template matches with its own 404, before any function runs" },
    },
  },
  {
    name: 'a CORS preflight → 204 with the allowed methods and headers',
    request: { method: 'OPTIONS', url: '/events', headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' } },
    expected: {
      status: 204,
      headers: {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'POST, GET, OPTIONS',
        'access-control-allow-headers': 'content-type, idempotency-key, authorization',
        'access-control-max-age': '600',
      },
    },
    platformAnswers: {
      'aws-http-api': { status: 204, why: 'an HTTP API with a CORS configuration (serverless.yml provider.httpApi.cors, the same policy, checked in the packaged template) answers preflights itself' },
    },
  },
  {
    name: 'book seats with an Idempotency-Key (the booking service learned the event from the queue)',
    request: post('/events/id-2/bookings', { seats: 2 }, { ...asUser, 'idempotency-key': 'k-1' }),
    captureId: 'booking',
    expected: { status: 201, body: booking },
  },
  {
    name: 'the same request again → the first booking, replayed',
    request: post('/events/id-2/bookings', { seats: 2 }, { ...asUser, 'idempotency-key': 'k-1' }),
    expected: { status: 201, body: booking, headers: { 'idempotent-replayed': 'true' } },
  },
  {
    name: 'the same key for another booking → 422',
    request: post('/events/id-2/bookings', { seats: 1 }, { ...asUser, 'idempotency-key': 'k-1' }),
    expected: { status: 422, body: error('IDEMPOTENCY_KEY_REUSED', [{ field: 'idempotency-key' }]) },
  },
  { name: 'the event counts its booked seats (stream → queue → consumer)', request: get('/events/id-2'), expected: { status: 200, body: { ...aida, seatsBooked: 2 } } },
  { name: 'beyond capacity → 409 sold out', request: post('/events/id-2/bookings', { seats: 2 }, asUser), expected: { status: 409, body: error('INSUFFICIENT_SEATS', [{ field: 'seats' }]) } },
  { name: 'another caller books the last seat', request: post('/events/id-2/bookings', { seats: 1 }, asAnotherUser), captureId: 'otherBooking', expected: { status: 201, body: otherBooking } },
  { name: 'an event the booking service does not know → 404', request: post('/events/nope/bookings', { seats: 1 }, asUser), expected: { status: 404, body: error('NOT_FOUND') } },
  {
    name: "a caller lists an event's bookings: their own only",
    request: get('/events/id-2/bookings?limit=10', asUser),
    expected: { status: 200, body: (captured: Record<string, string>) => [booking(captured)], headers: { 'cache-control': 'no-store' } },
  },
  { name: "an admin lists an event's bookings: all of them", request: get('/events/id-2/bookings?limit=10', asAdmin), expected: { status: 200, body: (captured: Record<string, string>) => [booking(captured), otherBooking(captured)] } },
  { name: "listing bookings without a token → 401", request: get('/events/id-2/bookings'), expected: { status: 401, body: error('UNAUTHENTICATED') }, platformAnswers: authorizerAnswers(401) },
  { name: 'create a player', request: post('/players', { name: 'Mario' }, asUser), captureId: 'player', expected: { status: 201, body: ({ player }: Record<string, string>) => ({ id: player, name: 'Mario', position: null }) } },
  {
    name: 'the player, placed at the start by the players stream',
    request: get('/players/{player}'),
    expected: { status: 200, body: ({ player }: Record<string, string>) => ({ id: player, name: 'Mario', position: { x: 0, y: 0 } }) },
  },
  { name: 'the map', request: get('/map'), expected: { status: 200, body: ({ player }: Record<string, string>) => [{ id: player, name: 'Mario', position: { x: 0, y: 0 } }] } },
  { name: "another caller deletes the player → 403, it is not theirs", request: del('/players/{player}', asAnotherUser), expected: { status: 403, body: error('FORBIDDEN') } },
  { name: 'its owner deletes the player', request: del('/players/{player}', asUser), expected: { status: 204 } },
  { name: 'delete it again → 404', request: del('/players/{player}', asUser), expected: { status: 404, body: error('NOT_FOUND') } },
  { name: 'the map, emptied by the players stream', request: get('/map'), expected: { status: 200, body: [] } },
];
