import type { RawHttpRequest } from '../../adapters/shared/http-dispatch.js';
import { jsonRequest, type Seeded } from './hostile-world.js';
import { validEvent } from './http-harness.js';
import { ADMIN_AUTHORIZATION } from './tokens.js';

export interface HostileCase {
  name: string;
  request: (seeded: Seeded) => RawHttpRequest;
  status: number;
  code: string;
  /** The field the error's details must name. */
  field?: string;
}

const x = (length: number): string => 'x'.repeat(length);
/** A body as an emulator hands it over: the parsed JSON value itself, not text (serverless-offline does this for `false` and `0`). */
const rawBody = (method: string, path: string, value: unknown): RawHttpRequest =>
  ({ method, path, query: {}, headers: { 'content-type': 'application/json', authorization: ADMIN_AUTHORIZATION }, body: value as string });
const eventNamed = (seeded: Seeded, name: string) => jsonRequest('POST', '/events', { ...validEvent(seeded.locationId), name });

/**
 * The hidden inputs of issue 12, each once a 500 on DynamoDB (key too long) or through sls offline
 * (non-string body), or a name that could be created but never found again.
 */
export const hostileCases: HostileCase[] = [
  { name: 'GET /events/<1,025 × x>', request: () => jsonRequest('GET', `/events/${x(1025)}`), status: 404, code: 'NOT_FOUND' },
  { name: 'GET /events/id/<1,025 × x>', request: () => jsonRequest('GET', `/events/id/${x(1025)}`), status: 404, code: 'NOT_FOUND' },
  { name: 'GET /locations/<1,025 × x>', request: () => jsonRequest('GET', `/locations/${x(1025)}`), status: 404, code: 'NOT_FOUND' },
  { name: 'GET /events/name/<1,025 × x>', request: () => jsonRequest('GET', `/events/name/${x(1025)}`), status: 404, code: 'NOT_FOUND' },
  { name: 'GET /events/name/<2,100 × é>', request: () => jsonRequest('GET', `/events/name/${encodeURIComponent('é'.repeat(2100))}`), status: 404, code: 'NOT_FOUND' },
  { name: 'GET /events/<2,100 × x>/bookings', request: () => jsonRequest('GET', `/events/${x(2100)}/bookings`), status: 404, code: 'NOT_FOUND' },
  { name: 'POST /events/<2,100 × x>/bookings', request: () => jsonRequest('POST', `/events/${x(2100)}/bookings`, { seats: 1 }), status: 404, code: 'NOT_FOUND' },
  { name: 'GET /players/<2,100 × x>', request: () => jsonRequest('GET', `/players/${x(2100)}`), status: 404, code: 'NOT_FOUND' },
  { name: 'DELETE /players/<2,100 × x>', request: () => jsonRequest('DELETE', `/players/${x(2100)}`), status: 404, code: 'NOT_FOUND' },
  { name: 'GET /events/<id with encoded NUL>', request: () => jsonRequest('GET', '/events/a%00b'), status: 404, code: 'NOT_FOUND' },
  {
    name: 'POST /events with a 2,000-character locationId',
    request: (seeded) => jsonRequest('POST', '/events', { ...validEvent(seeded.locationId), locationId: x(2000) }),
    status: 400,
    code: 'VALIDATION_FAILED',
    field: 'locationId',
  },
  { name: 'POST /events with the body false (not text)', request: () => rawBody('POST', '/events', false), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'POST /events with the body 0 (not text)', request: () => rawBody('POST', '/events', 0), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'POST /players with the body false (not text)', request: () => rawBody('POST', '/players', false), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'POST /events/{id}/bookings with the body 0 (not text)', request: (seeded) => rawBody('POST', `/events/${seeded.eventId}/bookings`, 0), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'POST /events named "."', request: (seeded) => eventNamed(seeded, '.'), status: 400, code: 'VALIDATION_FAILED', field: 'name' },
  { name: 'POST /events named ".."', request: (seeded) => eventNamed(seeded, '..'), status: 400, code: 'VALIDATION_FAILED', field: 'name' },
  { name: 'POST /events named with a lone surrogate', request: (seeded) => eventNamed(seeded, 'Aida \uD800'), status: 400, code: 'VALIDATION_FAILED', field: 'name' },
  { name: 'POST /events named " Aida " (surrounding spaces)', request: (seeded) => eventNamed(seeded, ' Aida '), status: 400, code: 'VALIDATION_FAILED', field: 'name' },
  { name: 'POST /events named "AC/DC"', request: (seeded) => eventNamed(seeded, 'AC/DC'), status: 400, code: 'VALIDATION_FAILED', field: 'name' },
  { name: 'POST /events named with a NUL', request: (seeded) => eventNamed(seeded, 'Ai\u0000da'), status: 400, code: 'VALIDATION_FAILED', field: 'name' },
  { name: 'GET /events/name/.. (not the list of events)', request: () => jsonRequest('GET', '/events/name/..'), status: 404, code: 'NOT_FOUND' },
  { name: 'GET /events/name/%2E', request: () => jsonRequest('GET', '/events/name/%2E'), status: 404, code: 'NOT_FOUND' },
  { name: 'GET /events/name/%20Opera%20Aida%20', request: () => jsonRequest('GET', '/events/name/%20Opera%20Aida%20'), status: 404, code: 'NOT_FOUND' },
];
