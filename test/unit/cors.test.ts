import { describe, expect, it } from 'vitest';
import { corsPolicyFromEnv, type CorsPolicy } from '../../adapters/shared/cors.js';
import { dispatchHttp } from '../../adapters/shared/http-dispatch.js';
import { silentLogger } from '../../adapters/shared/json-logger.js';
import { SECURITY_HEADERS } from '../../adapters/shared/security-headers.js';
import { eventsApiRoutes } from '../../functions/routes.js';
import { httpHarness } from '../support/http-harness.js';

const ANY_ORIGIN: CorsPolicy = { allowedOrigins: '*' };
const ONE_ORIGIN: CorsPolicy = { allowedOrigins: ['https://app.example.com'] };

async function send(method: string, path: string, headers: Record<string, string>, cors: CorsPolicy) {
  const { deps } = httpHarness();
  return dispatchHttp(eventsApiRoutes, deps.eventsApi, { method, path, query: {}, headers }, { requestId: 'req-1', logger: silentLogger, cors });
}

describe('CORS in the shared HTTP layer', () => {
  it('answers a preflight with 204, the methods of the path, the allowed headers and a max age, and no body', async () => {
    const response = await send('OPTIONS', '/events', { origin: 'https://anywhere.example', 'access-control-request-method': 'POST' }, ANY_ORIGIN);
    expect(response).toEqual({
      status: 204,
      headers: {
        'x-request-id': 'req-1',
        traceresponse: expect.stringMatching(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/),
        ...SECURITY_HEADERS,
        allow: 'POST, GET, OPTIONS',
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'POST, GET, OPTIONS',
        'access-control-allow-headers': 'content-type, idempotency-key, authorization',
        'access-control-max-age': '600',
      },
      body: '',
    });
  });

  it('answers OPTIONS on an unknown path with our 404', async () => {
    const response = await send('OPTIONS', '/nowhere', { origin: 'https://anywhere.example' }, ANY_ORIGIN);
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).error).toMatchObject({ code: 'ROUTE_NOT_FOUND', requestId: 'req-1' });
    expect(response.headers['access-control-allow-origin']).toBe('*');
  });

  it('lets a browser read every answer, errors included, and the Link header, but never with credentials', async () => {
    for (const [method, path] of [
      ['GET', '/events'],
      ['GET', '/events/missing'],
      ['PUT', '/events'],
    ]) {
      const response = await send(method!, path!, { origin: 'https://anywhere.example' }, ANY_ORIGIN);
      expect(response.headers).toMatchObject({ 'access-control-allow-origin': '*', 'access-control-expose-headers': 'link, x-request-id, idempotent-replayed' });
      expect(response.headers['access-control-allow-credentials']).toBeUndefined();
    }
  });

  it('adds no CORS header to a request without Origin (not from a browser)', async () => {
    const response = await send('GET', '/events', {}, ANY_ORIGIN);
    expect(Object.keys(response.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it('with a list of origins, echoes an allowed origin and refuses the others', async () => {
    const allowed = await send('GET', '/events', { origin: 'https://app.example.com' }, ONE_ORIGIN);
    expect(allowed.headers).toMatchObject({ 'access-control-allow-origin': 'https://app.example.com', vary: 'origin' });
    const other = await send('GET', '/events', { origin: 'https://evil.example' }, ONE_ORIGIN);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect(other.headers['vary']).toBe('origin');
    const preflight = await send('OPTIONS', '/events', { origin: 'https://evil.example' }, ONE_ORIGIN);
    expect(preflight.status).toBe(204);
    expect(Object.keys(preflight.headers).filter((name) => name.startsWith('access-control-'))).toEqual([]);
  });

  it.each([
    [undefined, '*'],
    ['', '*'],
    ['*', '*'],
    ['https://a.example, https://b.example', ['https://a.example', 'https://b.example']],
  ])('reads CORS_ALLOWED_ORIGINS=%j as %j', (setting, expected) => {
    expect(corsPolicyFromEnv({ CORS_ALLOWED_ORIGINS: setting }).allowedOrigins).toEqual(expected);
  });
});
