import { expect } from 'vitest';
import { BAD_TOKENS, USER_AUTHORIZATION } from './tokens.js';

/**
 * The HTTP edge every local mode (and AWS) must show alike: our 404 for an unknown path, our 405 with
 * `Allow` for another method, CORS on answers and preflights. Written once, run over real HTTP against
 * memory mode (test/integration) and `npm start` (test/e2e). A preflight under sls offline is answered
 * by its API Gateway emulation, as on AWS, so only the CORS headers are asserted there.
 */
export interface EdgeCase {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  check(response: Response, body: string): void;
}

const ORIGIN = { origin: 'https://front.example' };

function expectOurError(response: Response, body: string, status: number, code: string): void {
  expect(response.status).toBe(status);
  const error = (JSON.parse(body) as { error: { code: string; requestId: string } }).error;
  expect(error.code).toBe(code);
  expect(error.requestId).toBe(response.headers.get('x-request-id'));
}

export const edgeCases: EdgeCase[] = [
  { name: 'an unknown path is our 404', method: 'GET', path: '/nowhere', check: (response, body) => expectOurError(response, body, 404, 'ROUTE_NOT_FOUND') },
  {
    name: 'another method on a known path is our 405 with Allow',
    method: 'PUT',
    path: '/events',
    check: (response, body) => {
      expectOurError(response, body, 405, 'METHOD_NOT_ALLOWED');
      expect(response.headers.get('allow')).toBe('POST, GET');
    },
  },
  {
    name: 'a method of another function on its path is our 405 with Allow',
    method: 'DELETE',
    path: '/map',
    check: (response, body) => {
      expectOurError(response, body, 405, 'METHOD_NOT_ALLOWED');
      expect(response.headers.get('allow')).toBe('GET');
    },
  },
  {
    name: 'a CORS preflight is a 204 naming the methods and headers a browser may use',
    method: 'OPTIONS',
    path: '/events',
    headers: { ...ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    check: (response, body) => {
      expect(response.status).toBe(204);
      expect(body).toBe('');
      expect(response.headers.get('access-control-allow-origin')).toMatch(/^(\*|https:\/\/front\.example)$/);
      expect(response.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(response.headers.get('access-control-allow-headers')).toMatch(/content-type/);
      expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    },
  },
  {
    name: 'an answer to a browser lets it read the body and the Link header',
    method: 'GET',
    path: '/events?limit=1',
    headers: ORIGIN,
    check: (response) => {
      expect(response.status).toBe(200);
      expect(response.headers.get('access-control-allow-origin')).toMatch(/^(\*|https:\/\/front\.example)$/);
      expect(response.headers.get('access-control-expose-headers')).toMatch(/link/);
    },
  },
  {
    name: 'a write without a token is our 401 with a Bearer challenge, security headers and no-store',
    method: 'POST',
    path: '/locations',
    check: (response, body) => {
      expectOurError(response, body, 401, 'UNAUTHENTICATED');
      expect(response.headers.get('www-authenticate')).toBe('Bearer realm="myevents"');
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('cache-control')).toBe('no-store');
    },
  },
  {
    name: 'an expired token is our 401 with error="invalid_token"',
    method: 'POST',
    path: '/events',
    headers: { authorization: `Bearer ${BAD_TOKENS['expired']}` },
    check: (response, body) => {
      expectOurError(response, body, 401, 'UNAUTHENTICATED');
      expect(response.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
    },
  },
  {
    name: 'a valid token without the admin scope is our 403 on an admin route',
    method: 'POST',
    path: '/locations',
    headers: { authorization: USER_AUTHORIZATION },
    check: (response, body) => expectOurError(response, body, 403, 'FORBIDDEN'),
  },
  {
    name: 'GET /openapi.json is the OpenAPI 3.1 description of the route table',
    method: 'GET',
    path: '/openapi.json',
    check: (response, body) => {
      expect(response.status).toBe(200);
      const document = JSON.parse(body) as { openapi: string; paths: Record<string, unknown> };
      expect(document.openapi).toBe('3.1.0');
      expect(Object.keys(document.paths)).toContain('/events/{id}/bookings');
    },
  },
  {
    name: 'GET /health says that every function answers (and, under npm start, the engines)',
    method: 'GET',
    path: '/health',
    check: (response, body) => {
      expect(response.status).toBe(200);
      const health = JSON.parse(body) as { status: string; checks: Record<string, string> };
      expect(health.status).toBe('ok');
      expect(health.checks).toMatchObject({ eventsApi: 'ok', bookingsApi: 'ok', playersApi: 'ok' });
    },
  },
];

/** Sends an edge case to `baseUrl` and runs its checks. */
export async function checkEdgeCase(baseUrl: string, edgeCase: EdgeCase): Promise<void> {
  const response = await fetch(`${baseUrl}${edgeCase.path}`, { method: edgeCase.method, headers: edgeCase.headers ?? {} });
  edgeCase.check(response, await response.text());
}
