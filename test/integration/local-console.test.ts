import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalHttpServer } from '../../adapters/local/http-server.js';
import { createLocalApp, type LocalApp } from '../../adapters/local/local-app.js';
import type { LocalSpan, TraceSummary } from '../../adapters/local/span-store.js';
import { recordSpansInto, SpanStore } from '../../adapters/local/span-store.js';
import { silentLogger } from '../../adapters/shared/json-logger.js';
import { validEvent, validLocation } from '../support/http-harness.js';
import { ADMIN_AUTHORIZATION, USER_AUTHORIZATION } from '../support/tokens.js';

/** Sequential ids, so that a message can name an event before it exists (the redrive case). */
function sequentialIds() {
  let next = 0;
  return { newId: () => `id-${(next += 1)}` };
}

const traceparent = (traceId: string, spanId = '00f067aa0ba902b7') => `00-${traceId}-${spanId}-01`;
const T_EVENT = '0af7651916cd43dd8448eb211c80319c';
const T_BOOKING = '4bf92f3577b34da6a3ce929d0e0e4736';
const T_POISON = 'a1b2c3d4e5f60718293a4b5c6d7e8f90';

/** Memory mode's front door with its local console, over a real socket, spans recorded through the OpenTelemetry SDK. */
describe('local console in memory mode: traces as data, queues and dead letters', () => {
  let server: Server;
  let app: LocalApp;
  let base: string;
  let stopRecording: () => void;

  beforeAll(async () => {
    const spans = new SpanStore();
    stopRecording = recordSpansInto(spans);
    app = createLocalApp({ logger: silentLogger, maxAttempts: 3, ids: sequentialIds() });
    server = createLocalHttpServer(app, { spans });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    stopRecording();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
  };
  const traceOf = async (traceId: string) => (await send('GET', `/_local/traces/${traceId}`)).json as { traceId: string; spans: LocalSpan[] };
  const byFunction = (spans: LocalSpan[], fn: string) => spans.filter((span) => span.function === fn);

  it('follows a booking: bookingsApi → bookingsOutbox → eventsConsumer, one trace, each hop tied to the one before', async () => {
    const location = await send('POST', '/locations', validLocation, { authorization: ADMIN_AUTHORIZATION });
    const event = await send('POST', '/events', validEvent(location.json.id, 'Side'), { authorization: ADMIN_AUTHORIZATION, traceparent: traceparent(T_EVENT) });
    expect(event.headers.get('traceresponse')).toMatch(new RegExp(`^00-${T_EVENT}-[0-9a-f]{16}-01$`));
    await app.settle();
    const booked = await send('POST', `/events/${event.json.id}/bookings`, { seats: 2 }, { authorization: USER_AUTHORIZATION, traceparent: traceparent(T_BOOKING) });
    expect(booked.status).toBe(201);
    await app.settle();

    const { spans } = await traceOf(T_BOOKING);
    const [api] = byFunction(spans, 'bookingsApi');
    const [consumer] = byFunction(spans, 'eventsConsumer');
    // The booking's write is several items (the booking, its keys): each change a hop; one of them published.
    const outbox = byFunction(spans, 'bookingsOutbox').find((span) => span.spanId === consumer?.parentSpanId);
    expect(api).toMatchObject({ kind: 'http', name: 'POST /events/{id}/bookings', parentSpanId: '00f067aa0ba902b7', status: 'ok' });
    expect(booked.headers.get('traceresponse')).toBe(traceparent(T_BOOKING, api!.spanId));
    expect(outbox).toMatchObject({ kind: 'change-stream', parentSpanId: api!.spanId, status: 'ok' });
    expect(consumer).toMatchObject({ kind: 'queue', parentSpanId: outbox!.spanId, links: [{ traceId: T_BOOKING, spanId: outbox!.spanId }], status: 'ok' });
    for (const span of [api!, outbox!, consumer!]) {
      expect(span.durationMs).toBeGreaterThanOrEqual(0);
      expect(Date.parse(span.start)).not.toBeNaN();
    }
    expect(Date.parse(consumer!.start)).toBeGreaterThanOrEqual(Date.parse(api!.start));

    // The event's own trace: eventsApi → eventsOutbox → bookingsConsumer (the booking service learns the event).
    const eventTrace = await traceOf(T_EVENT);
    expect(eventTrace.spans.map((span) => span.function)).toEqual(expect.arrayContaining(['eventsApi', 'eventsOutbox', 'bookingsConsumer']));

    const recent = (await send('GET', '/_local/traces?limit=20')).json as TraceSummary[];
    expect(recent[0]).toMatchObject({ traceId: T_BOOKING, root: `POST /events/${event.json.id}/bookings`, status: 201, failed: false });
    expect(recent[0]!.hops).toBeGreaterThanOrEqual(3);
    expect(recent.map((trace) => trace.traceId)).toContain(T_EVENT);
    expect((await send('GET', '/_local/traces?limit=1')).json).toHaveLength(1);
  });

  it('starts a trace of its own for a request without traceparent, and 404s an unknown trace', async () => {
    const read = await send('GET', '/events');
    const traceId = read.headers.get('traceresponse')!.slice(3, 35);
    expect((await traceOf(traceId)).spans.map((span) => span.function)).toEqual(['eventsApi']);
    expect((await send('GET', `/_local/traces/${'f'.repeat(32)}`)).status).toBe(404);
    expect((await send('GET', '/_local/traces?limit=0')).status).toBe(400);
  });

  it("shows a poison message's failed deliveries and its dead letter, which a redrive delivers again", async () => {
    // EventBooked for an event that does not exist yet: every delivery fails, then it is dead-lettered.
    const body = JSON.stringify({ id: 'booking-x', type: 'EventBooked', source: 'myevents.bookings', time: '2026-05-01T10:00:00.000Z', data: { bookingId: 'booking-x', eventId: 'id-5', seats: 1, createdAt: '2026-05-01T10:00:00.000Z' } });
    app.send('eventsQueue', body, traceparent(T_POISON));
    await app.settle();
    const poisoned = byFunction((await traceOf(T_POISON)).spans, 'eventsConsumer');
    expect(poisoned.map((span) => [span.status, span.attributes['myevents.delivery.attempt'], span.attributes['myevents.dead_lettered'] ?? false])).toEqual([
      ['error', 1, false],
      ['error', 2, false],
      ['error', 3, true],
    ]);
    const queues = (await send('GET', '/_local/queues')).json as { name: string; depth: number; deadLetters: { index: number; traceId?: string }[] }[];
    const eventsQueue = queues.find((queue) => queue.name === 'eventsQueue')!;
    expect(eventsQueue.deadLetters).toEqual([expect.objectContaining({ index: 0, traceId: T_POISON, attempts: 3 })]);

    // Make the event exist (ids are sequential here), then redrive: the message is consumed.
    const location = await send('POST', '/locations', validLocation, { authorization: ADMIN_AUTHORIZATION });
    const event = await send('POST', '/events', { ...validEvent(location.json.id, 'Side'), name: 'Redriven' }, { authorization: ADMIN_AUTHORIZATION });
    expect(event.json.id).toBe('id-5');
    expect((await send('POST', '/_local/queues/eventsQueue/dead-letters/0/redrive')).status).toBe(202);
    expect((await send('POST', '/_local/queues/eventsQueue/dead-letters/0/redrive')).status).toBe(404);
    await app.settle();
    expect((await send('GET', '/events/id-5')).json.seatsBooked).toBe(1);
    const after = byFunction((await traceOf(T_POISON)).spans, 'eventsConsumer');
    expect(after.at(-1)).toMatchObject({ status: 'ok' });
    expect(((await send('GET', '/_local/queues')).json as { name: string; deadLetters: unknown[] }[]).find((queue) => queue.name === 'eventsQueue')!.deadLetters).toEqual([]);
  });

  it('serves the page, its script and style, and the catalogue', async () => {
    const page = await fetch(`${base}/_local/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('<script src="/_local/console.js"');
    expect((await fetch(`${base}/_local/console.js`)).status).toBe(200);
    expect((await fetch(`${base}/_local/console.css`)).status).toBe(200);
    const functions = (await send('GET', '/_local/functions')).json as { name: string; trigger: string }[];
    expect(functions.map((fn) => `${fn.name}:${fn.trigger}`)).toEqual([
      'eventsApi:http',
      'bookingsApi:http',
      'playersApi:http',
      'eventsOutbox:change-stream',
      'bookingsOutbox:change-stream',
      'placePlayers:change-stream',
      'bookingsConsumer:queue',
      'eventsConsumer:queue',
    ]);
  });
});
