import { describe, expect, it } from 'vitest';
import type { Route } from '../../functions/http/contract.js';
import { NotFoundError } from '../../functions/errors.js';
import { dispatchHttp, MAX_BODY_BYTES, type RawHttpRequest } from '../../adapters/shared/http-dispatch.js';
import { jsonLogger, silentLogger } from '../../adapters/shared/json-logger.js';
import { httpHarness, validLocation } from '../support/http-harness.js';

const echoRoutes: Route<void>[] = [
  { method: 'POST', path: '/echo', access: 'public', handler: async (request) => ({ status: 200, body: request.body }) },
  { method: 'GET', path: '/boom', access: 'public', handler: async () => Promise.reject(new Error('database password is hunter2')) },
  { method: 'GET', path: '/missing', access: 'public', handler: async () => Promise.reject(new NotFoundError('Thing 7 not found')) },
];

const request = (overrides: Partial<RawHttpRequest>): RawHttpRequest => ({
  method: 'POST',
  path: '/echo',
  query: {},
  headers: { 'content-type': 'application/json' },
  ...overrides,
});

async function dispatch(raw: RawHttpRequest, logger = silentLogger) {
  const response = await dispatchHttp(echoRoutes, undefined, raw, { requestId: 'req-9', logger });
  return { ...response, json: response.body === '' ? undefined : JSON.parse(response.body), traceId: response.headers['traceresponse']?.slice(3, 35) };
}

describe('HTTP edge: routing, body checks and error mapping', () => {
  it('passes parsed JSON to the handler and answers with JSON and the request id', async () => {
    const response = await dispatch(request({ body: '{"a":[1,2]}' }));
    expect(response.status).toBe(200);
    expect(response.json).toEqual({ a: [1, 2] });
    expect(response.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'x-request-id': 'req-9' });
  });

  it('answers malformed JSON with 400 MALFORMED_JSON, not 500', async () => {
    const response = await dispatch(request({ body: '{"name": "x",' }));
    expect(response.status).toBe(400);
    expect(response.json.error).toMatchObject({ code: 'MALFORMED_JSON', requestId: 'req-9' });
  });

  it('answers a body over 1 MiB with 413', async () => {
    const response = await dispatch(request({ body: JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) }) }));
    expect(response.status).toBe(413);
    expect(response.json.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('accepts a body of exactly 1 MiB', async () => {
    const body = JSON.stringify({ pad: '' });
    const padded = JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES - body.length) });
    expect(Buffer.byteLength(padded)).toBe(MAX_BODY_BYTES);
    expect((await dispatch(request({ body: padded }))).status).toBe(200);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/jsonx'])('answers content-type %s with 415', async (contentType) => {
    const response = await dispatch(request({ headers: { 'content-type': contentType }, body: '{}' }));
    expect(response.status).toBe(415);
    expect(response.json.error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it.each(['application/json; charset=utf-8', 'application/cloudevents+json', 'APPLICATION/JSON'])('accepts content-type %s', async (contentType) => {
    expect((await dispatch(request({ headers: { 'content-type': contentType }, body: '{}' }))).status).toBe(200);
  });

  it('answers an unknown route with 404 ROUTE_NOT_FOUND', async () => {
    const response = await dispatch(request({ path: '/nowhere' }));
    expect(response.status).toBe(404);
    expect(response.json.error.code).toBe('ROUTE_NOT_FOUND');
  });

  it('answers a wrong method with 405 and an Allow header', async () => {
    const response = await dispatch(request({ method: 'DELETE', path: '/echo' }));
    expect(response.status).toBe(405);
    expect(response.headers['allow']).toBe('POST');
  });

  it('shows typed 4xx errors with their message', async () => {
    const response = await dispatch(request({ method: 'GET', path: '/missing', body: undefined }));
    expect(response.status).toBe(404);
    expect(response.json).toEqual({ error: { code: 'NOT_FOUND', message: 'Thing 7 not found', requestId: 'req-9', traceId: response.traceId } });
  });

  it('turns an unexpected error into a plain 500 with the request id, and logs the details', async () => {
    const lines: string[] = [];
    const response = await dispatch(request({ method: 'GET', path: '/boom', body: undefined }), jsonLogger({ requestId: 'req-9' }, (line) => lines.push(line)));
    expect(response.status).toBe(500);
    expect(response.json).toEqual({ error: { code: 'INTERNAL', message: 'Internal server error', requestId: 'req-9', traceId: response.traceId } });
    expect(response.body).not.toContain('hunter2');
    const errorLine = lines.map((line) => JSON.parse(line)).find((line) => line.level === 'ERROR');
    expect(errorLine).toMatchObject({ requestId: 'req-9', error: { message: 'database password is hunter2' } });
    // A real bug keeps its stack in the log: where it was thrown.
    expect(errorLine.error.stack).toContain('http-dispatch.test.ts');
  });

  it('captures no stack for typed errors (answers, not bugs: the capture was most of a 404), and restores the limit after', () => {
    const limit = Error.stackTraceLimit;
    const typed = new NotFoundError('Thing 7 not found');
    expect(typed.stack).toBe('NotFoundError: Thing 7 not found');
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('bug').stack?.split('\n').length).toBeGreaterThan(1);
  });

  it('logs one structured line per request with status and request id', async () => {
    const lines: string[] = [];
    await dispatch(request({ body: '{}' }), jsonLogger({ requestId: 'req-9' }, (line) => lines.push(line)));
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'HTTP request', requestId: 'req-9', method: 'POST', path: '/echo', status: 200 }),
    ]);
  });

  it('answers an empty POST body with 400 naming the missing body', async () => {
    const { call } = httpHarness();
    const response = await call('eventsApi', 'POST', '/locations', '');
    expect(response.status).toBe(400);
    expect(response.json.error.code).toBe('VALIDATION_FAILED');
  });

  it('answers a JSON array where an object is expected with 400', async () => {
    const { call } = httpHarness();
    const response = await call('eventsApi', 'POST', '/locations', [validLocation]);
    expect(response.status).toBe(400);
  });
});
