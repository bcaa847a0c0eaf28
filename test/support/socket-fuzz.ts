import * as fc from 'fast-check';
import { expect } from 'vitest';
import type { RawHttpRequest } from '../../adapters/shared/http-dispatch.js';
import { assessResponse, describeRequest, FUZZ_SEED, type FuzzRoute, requestsFor } from './fuzz-requests.js';
import { jsonRequest, seed, snapshot, type Send, type Seeded } from './hostile-world.js';
import { rawRequestBytes, requestBytes, sendRaw, type RawAnswer } from './raw-http.js';

/**
 * The hostile generators of test/fuzz, and the raw cases no generated request can express, sent
 * through a local mode's real socket (issue 18): every request gets an answer (no reset, no silent
 * close), never a 5xx, in our error shape; a rejected request changes nothing; the stack keeps serving.
 */

/** One generated request through the socket: it must be answered. */
export function socketSend(port: number): Send {
  return async (request) => {
    const answer = await sendRaw(port, rawRequestBytes(request));
    expect(answer.outcome, describeRequest(request)).toBe('answered');
    return answer;
  };
}

/**
 * Runs `runs` generated requests to `route` through `send`. After each rejected write, `probe` (what
 * the API shows) must be unchanged; after an accepted one, `settle` waits for its triggers before the
 * new baseline is taken. Returns how many were rejected.
 */
export async function fuzzRouteThroughSocket(options: {
  route: FuzzRoute;
  runs: number;
  send: Send;
  probe: Send;
  seeded: Seeded;
  /** Waits until the triggers of the accepted write `request` have delivered. */
  settle(request: RawHttpRequest): Promise<void>;
  /**
   * Compare the state after every rejected GET too (cheap in process). Over an engine-backed stack only
   * rejected writes are compared one by one, and the GETs together at the end of the route's run (with
   * no accepted write since the last baseline, any change there is a GET's).
   */
  checkEachRead?: boolean;
}): Promise<number> {
  const { route, runs, send, probe, seeded, settle, checkEachRead = true } = options;
  let baseline = await snapshot(probe, seeded);
  let rejected = 0;
  await fc.assert(
    fc.asyncProperty(requestsFor(route, seeded), async (request: RawHttpRequest) => {
      const response = await send(request);
      assessResponse(request, response);
      const read = request.method.toUpperCase() === 'GET';
      if (response.status >= 400) {
        rejected += 1;
        if (checkEachRead || !read) expect(await snapshot(probe, seeded), `state changed by a rejected ${describeRequest(request)}`).toEqual(baseline);
      } else if (!read) {
        await settle(request);
        baseline = await snapshot(probe, seeded);
      }
    }),
    // The failing check's own message in the report: the runner's JSON report drops an error's cause.
    { seed: FUZZ_SEED, numRuns: runs, includeErrorInReport: true },
  );
  expect(await snapshot(probe, seeded), `state changed by a read of ${route.method} ${route.path}`).toEqual(baseline);
  return rejected;
}

/** Waits until what the API shows stays the same for a second (the triggers of an accepted write delivered). */
export async function stableState(probe: Send, seeded: Seeded, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = JSON.stringify(await snapshot(probe, seeded));
  let stableSince = Date.now();
  while (Date.now() - stableSince < 1_000) {
    if (Date.now() > deadline) throw new Error('the state did not settle');
    await new Promise((wait) => setTimeout(wait, 250));
    const now = JSON.stringify(await snapshot(probe, seeded));
    if (now !== last) [last, stableSince] = [now, Date.now()];
  }
}

/**
 * `settle` over an engine-backed stack. Of the accepted writes, only a booking changes what the snapshot
 * shows through a trigger (seatsBooked on its event, a hop later): its baseline waits until the state is
 * stable. Every other write shows at once; its triggers change what the snapshot does not read (the
 * booking service's copy of an event, the map), so waiting a second for each would only cost time.
 */
export const settleOverEngines =
  (probe: Send, seeded: Seeded) =>
  async (request: RawHttpRequest): Promise<void> => {
    if (/\/bookings\/?$/.test(request.path)) await stableState(probe, seeded);
  };

/** What the API shows, read through `baseUrl` (fetch, keep-alive: the probe is not under test). */
export function fetchSend(baseUrl: string): Send {
  return async (request) => {
    const search = new URLSearchParams(request.query).toString();
    const answer = await fetch(`${baseUrl}${request.path}${search ? `?${search}` : ''}`, {
      method: request.method,
      headers: request.headers,
      ...(typeof request.body === 'string' && { body: request.body }),
    });
    return { status: answer.status, headers: Object.fromEntries(answer.headers), body: await answer.text() };
  };
}

/** Seeds the world through `send`; `learned` waits until the triggers have delivered it. */
export async function seedThroughSocket(send: Send, learned: (seeded: Seeded) => Promise<void>): Promise<Seeded> {
  const seeded = await seed(send, async () => undefined);
  await learned(seeded);
  return seeded;
}

export interface RawCase {
  name: string;
  send(port: number): Promise<RawAnswer>;
  /** The status and error code it must be answered with; undefined: the client gave up, no answer is owed. */
  expected?: { status: number; code?: string };
  /** Whether the exchange may end without an answer (only when the client itself stopped sending). */
  mayClose?: boolean;
}

const tooLargeBody = JSON.stringify({ name: 'x'.repeat(1024 * 1024) });
const slowBody = JSON.stringify({ name: 'Slow Sam' });

/** The raw-socket cases of issue 18, each an explicit regression test in every mode. */
export const rawCases: RawCase[] = [
  { name: 'GET /locations/% (a parameter that is not URL encoding; it once ended npm start)', send: (port) => sendRaw(port, requestBytes('GET', '/locations/%', {})), expected: { status: 400, code: 'VALIDATION_FAILED' } },
  { name: 'GET /%zz (invalid percent-encoding of an unknown path)', send: (port) => sendRaw(port, requestBytes('GET', '/%zz', {})), expected: { status: 404, code: 'ROUTE_NOT_FOUND' } },
  { name: 'a NUL in the request line', send: (port) => sendRaw(port, requestBytes('GET', '/events\u0000', {})), expected: { status: 400, code: 'MALFORMED_REQUEST' } },
  { name: 'a NUL in a header value', send: (port) => sendRaw(port, requestBytes('GET', '/events', { 'x-odd': 'a\u0000b' })), expected: { status: 400, code: 'MALFORMED_REQUEST' } },
  { name: 'an 8 KB request line', send: (port) => sendRaw(port, requestBytes('GET', `/events/${'x'.repeat(8 * 1024)}`, {})), expected: { status: 404, code: 'NOT_FOUND' } },
  {
    name: '1 MB of headers',
    send: (port) => sendRaw(port, requestBytes('GET', '/events', Object.fromEntries(Array.from({ length: 256 }, (_, index) => [`x-filler-${index}`, 'y'.repeat(4096)])))),
    expected: { status: 431, code: 'HEADERS_TOO_LARGE' },
  },
  {
    name: 'a body sent slowly (10 bytes every 20 ms)',
    send: (port) => sendRaw(port, rawRequestBytes(jsonRequest('POST', '/players', slowBody)), { chunkBytes: 10, delayMs: 20 }),
    expected: { status: 201 },
  },
  {
    name: 'a truncated body (content-length 200, 20 bytes sent, then the client closes its side)',
    send: (port) =>
      sendRaw(port, Buffer.concat([requestBytes('POST', '/locations', { 'content-type': 'application/json', 'content-length': '200' }), Buffer.from('{"name":"Truncated",')]), {
        endAfterSend: true,
      }),
    mayClose: true,
  },
  {
    name: 'a body over the 1 MiB limit, answered 413 that the client reads (no reset)',
    send: (port) => sendRaw(port, rawRequestBytes(jsonRequest('POST', '/locations', tooLargeBody))),
    expected: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  },
  {
    name: 'a body over the limit sent slowly, in 64 KB pieces',
    send: (port) => sendRaw(port, rawRequestBytes(jsonRequest('POST', '/events', tooLargeBody)), { chunkBytes: 64 * 1024, delayMs: 5 }),
    expected: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  },
];

/** Checks one raw case's answer. */
export function assessRawCase(rawCase: RawCase, answer: RawAnswer): void {
  if (rawCase.mayClose && answer.outcome !== 'answered') return;
  expect(answer.outcome, rawCase.name).toBe('answered');
  expect(answer.status, rawCase.name).toBeLessThan(500);
  if (rawCase.expected) expect(answer.status, `${rawCase.name}: ${answer.body.slice(0, 300)}`).toBe(rawCase.expected.status);
  if (answer.status >= 400) {
    const body = JSON.parse(answer.body) as { error: { code: string; requestId: string } };
    if (rawCase.expected?.code) expect(body.error.code, rawCase.name).toBe(rawCase.expected.code);
    expect(body.error.requestId, rawCase.name).toBe(answer.headers['x-request-id']);
  }
}
