import { createServer, type Server } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../offline/shared/ports.js';
import { buildFailure, startEdgeProxy, type EdgeProxy } from '../../offline/shared/edge-proxy.js';

/** The edge in front of sls offline, against a stand-in upstream that answers like serverless-offline. */
let upstream: Server;
let edge: EdgeProxy;
let baseUrl: string;
const logged: string[] = [];
const accessed: string[] = [];

beforeAll(async () => {
  upstream = createServer((request, response) => {
    const answers: Record<string, [number, string]> = {
      '/events': [201, '{"id":"1"}'],
      '/events/our-error/bookings': [409, '{"error":{"code":"INSUFFICIENT_SEATS","message":"no seats","requestId":"r"}}'],
      '/events/timeout': [200, '{"errorMessage":"[504] - Lambda timeout.","errorType":"LambdaTimeoutError","stackTrace":[]}'],
      '/events/crash': [200, '{"errorMessage":"Cannot find module","errorType":"Error"}'],
      '/events/bad-gateway': [502, '{"message":"Internal server error"}'],
    };
    request.resume();
    if (request.url === '/events/long') {
      // As hapi answers a body over 1 KB to a client that accepts gzip.
      const long = JSON.stringify(Array.from({ length: 100 }, (_, seats) => ({ seats })));
      const gzipped = /gzip/.test(String(request.headers['accept-encoding']));
      response.writeHead(200, { 'content-type': 'application/json', ...(gzipped && { 'content-encoding': 'gzip' }) });
      return void response.end(gzipped ? gzipSync(long) : long);
    }
    const [status, body] = answers[request.url ?? ''] ?? [404, '{}'];
    // As hapi adds them to every answer: the edge drops them (no function sets them).
    response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': 'upstream-id', 'cache-control': 'no-cache', 'accept-ranges': 'bytes' });
    response.end(body);
  });
  const upstreamPort = await freePort();
  await new Promise<void>((done) => upstream.listen(upstreamPort, '127.0.0.1', () => done()));
  const port = await freePort();
  edge = await startEdgeProxy({ port, upstreamPort, log: (message) => logged.push(message), access: (line) => accessed.push(line) });
  baseUrl = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  await edge?.close();
  await new Promise((done) => upstream?.close(() => done(undefined)));
});

const get = async (path: string, init?: RequestInit) => {
  const response = await fetch(`${baseUrl}${path}`, init);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('local edge proxy', () => {
  it('passes our functions’ answers through, errors included', async () => {
    expect(await get('/events', { method: 'POST', body: '{}' })).toEqual({ status: 201, body: { id: '1' } });
    expect((await get('/events/our-error/bookings', { method: 'POST', body: '{}' })).status).toBe(409);
  });

  it('passes a long answer through whole although the client accepts gzip (the door asks for it uncompressed)', async () => {
    const body = (await (await fetch(`${baseUrl}/events/long`, { headers: { 'accept-encoding': 'gzip' } })).json()) as unknown[];
    expect(body).toHaveLength(100);
  });

  it("drops hapi's own cache-control and accept-ranges from a function's answer", async () => {
    const response = await fetch(`${baseUrl}/events`, { method: 'POST', body: '{}' });
    expect(response.headers.get('cache-control')).toBeNull();
    expect(response.headers.get('accept-ranges')).toBeNull();
    expect(response.headers.get('x-request-id')).toBe('upstream-id');
  });

  it('turns a Lambda timeout or crash answered as 200 into a 5xx with our JSON error body', async () => {
    const timedOut = await get('/events/timeout');
    expect(timedOut).toEqual({ status: 504, body: { error: { code: 'LOCAL_FUNCTION_ERROR', message: 'The function timed out', requestId: 'upstream-id', traceId: expect.stringMatching(/^[0-9a-f]{32}$/) } } });
    expect(await get('/events/crash')).toMatchObject({ status: 502, body: { error: { code: 'LOCAL_FUNCTION_ERROR' } } });
    expect(await get('/events/bad-gateway')).toMatchObject({ status: 502, body: { error: { code: 'LOCAL_FUNCTION_ERROR' } } });
    expect(logged.some((line) => line.includes('Lambda timeout'))).toBe(true);
  });

  it('answers a compressed body with 415 itself', async () => {
    const result = await get('/map', { method: 'PUT', headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-encoding': 'gzip' }, body: 'x' });
    expect(result).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
  });

  it("answers 503 with our JSON error body when sls offline does not answer, continuing the caller's trace", async () => {
    const port = await freePort();
    const orphan = await startEdgeProxy({ port, upstreamPort: await freePort(), log: () => undefined });
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    try {
      const response = await fetch(`http://127.0.0.1:${port}/map`, { headers: { traceparent: `00-${traceId}-00f067aa0ba902b7-01` } });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toBe('2');
      expect(response.headers.get('traceresponse')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      expect(await response.json()).toMatchObject({ error: { code: 'LOCAL_SERVER_UNAVAILABLE', traceId } });
    } finally {
      await orphan.close();
    }
  });

  it('answers /health with 503 naming an engine that does not answer, and the functions that do', async () => {
    // Prepare: a second edge whose "DynamoDB Local" is a port where nothing listens.
    const port = await freePort();
    const upstreamPort = (upstream.address() as { port: number }).port;
    const lonely = await startEdgeProxy({ port, upstreamPort, engines: { 'DynamoDB Local': `http://127.0.0.1:${await freePort()}` }, log: () => undefined });

    // Act
    const response = await fetch(`http://127.0.0.1:${port}/health`);
    await lonely.close();

    // Assess
    expect(response.status).toBe(503);
    expect(await response.json()).toEqual({ status: 'failing', checks: { eventsApi: 'ok', bookingsApi: 'ok', playersApi: 'ok', 'DynamoDB Local': 'not answering' } });
  });

  it('prints one access line per request the functions answered', async () => {
    accessed.length = 0;
    await fetch(`${baseUrl}/events?limit=1`);
    expect(accessed).toHaveLength(1);
    expect(accessed[0]).toMatch(/^GET \/events\?limit=1 → 404 in \d+ ms \(eventsApi\) \[trace [0-9a-f]{8}\]$/);
  });

  it('answers GET /locations/% (a parameter that is not URL encoding) 400 in our shape and keeps serving: it once ended npm start', async () => {
    const response = await fetch(`${baseUrl}/locations/%`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { code: 'VALIDATION_FAILED', requestId: response.headers.get('x-request-id') } });
    expect((await get('/events', { method: 'POST', body: '{}' })).status).toBe(201);
  });
});

describe('the edge while a function does not build (hot reload)', () => {
  const report = { kind: 'myevents:build', building: false, broken: ['eventsApi'], catchAll: 'eventsApi', message: 'functions/errors.ts:102:15: Unexpected ";"' } as const;

  it("answers for the broken function's paths, and for unknown paths when it is the catch-all", () => {
    expect(buildFailure('/events/e1', { ...report, broken: [...report.broken] })?.message).toBe(
      'The local build of eventsApi failed: functions/errors.ts:102:15: Unexpected ";". Fix the file and save; it reloads (see the npm start console).',
    );
    expect(buildFailure('/nowhere', { ...report, broken: [...report.broken] })?.functionKey).toBe('eventsApi');
  });

  it('leaves the paths of functions that build, and everything once the build is fixed', () => {
    expect(buildFailure('/map', { ...report, broken: [...report.broken] })).toBeUndefined();
    expect(buildFailure('/events', { ...report, broken: [] })).toBeUndefined();
    expect(buildFailure('/events', undefined)).toBeUndefined();
  });
});
