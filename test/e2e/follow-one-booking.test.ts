import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPubSub } from '../../adapters/gcp/pubsub-publisher.js';
import { LOCAL_PROJECT_ID } from '../../offline/gcp/gcp-emulators.js';
import { eventually, startStack, type StartedStack } from '../support/npm-start.js';
import { startGcpCommand, type StartedGcp } from '../support/start-gcp.js';
import { ADMIN_AUTHORIZATION, USER_AUTHORIZATION } from '../support/tokens.js';

/**
 * Issue 22's done-when through the commands users run (`npm start`, `npm run start:gcp`; memory mode's is
 * test/integration/local-console.test.ts): a request sent with `traceparent: 00-<T>-<S>-01` that creates an
 * event, books seats or creates a player yields, within 2 s, `GET /_local/traces/<T>` holding the span of
 * every function the change passed through, each with its kind, its timing and the parent (or link) that
 * ties it to the previous hop; a poison message's trace shows its failed deliveries and its dead letter.
 * One stack start per mode: each is slow (java engines) on a shared machine.
 */

interface Span {
  spanId: string;
  parentSpanId?: string;
  links?: { traceId: string; spanId: string }[];
  name: string;
  function: string;
  kind: 'http' | 'change-stream' | 'queue';
  start: string;
  durationMs: number;
  status: 'ok' | 'error';
  attributes: Record<string, unknown>;
}

/** The "within 2 s": how long after the request's answer the whole chain must be in its trace. */
const WITHIN_MS = 2_000;
const SENDER_SPAN = '00f067aa0ba902b7';
const newTraceId = (): string => randomBytes(16).toString('hex');
const traceparent = (traceId: string): string => `00-${traceId}-${SENDER_SPAN}-01`;

async function traceOf(base: string, traceId: string): Promise<Span[] | undefined> {
  const answer = await fetch(`${base}/_local/traces/${traceId}`);
  if (answer.status === 404) return undefined;
  expect(answer.status).toBe(200);
  const body = (await answer.json()) as { traceId: string; spans: Span[] };
  expect(body.traceId).toBe(traceId);
  return body.spans;
}

/** Whether `span` continues one of `previous`: its parent, or (a message) a link to it. */
const tiedTo = (span: Span, previous: Span[]): boolean => previous.some((hop) => span.parentSpanId === hop.spanId || (span.links ?? []).some((link) => link.spanId === hop.spanId));

/**
 * Polls the trace until each function of `chain` has a span tied to a span of the function before it (the
 * first one to the sender's span), and returns those spans by function. Fails after WITHIN_MS.
 */
async function followChain(base: string, traceId: string, chain: [string, Span['kind']][], output: () => string): Promise<Record<string, Span[]>> {
  return eventually(
    `the trace ${traceId} to hold ${chain.map(([fn]) => fn).join(' → ')}`,
    async () => {
      const spans = (await traceOf(base, traceId)) ?? [];
      const byFunction: Record<string, Span[]> = {};
      let previous: Span[] = [{ spanId: SENDER_SPAN } as Span];
      for (const [fn, kind] of chain) {
        const hops = spans.filter((span) => span.function === fn && span.kind === kind && tiedTo(span, previous));
        if (hops.length === 0) return undefined;
        byFunction[fn] = hops;
        previous = hops;
      }
      return byFunction;
    },
    WITHIN_MS,
    () => output(),
  );
}

/** Every hop has its timing: an ISO start and a duration. */
function expectTimed(spans: Record<string, Span[]>): void {
  for (const span of Object.values(spans).flat()) {
    expect(Number.isNaN(Date.parse(span.start)), span.name).toBe(false);
    expect(span.durationMs, span.name).toBeGreaterThanOrEqual(0);
    expect(span.status, span.name).toBe('ok');
  }
}

const post = (base: string, path: string, body: unknown, authorization: string, traceId?: string): Promise<Response> =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization, ...(traceId && { traceparent: traceparent(traceId) }) },
    body: JSON.stringify(body),
  });

/** An EventBooked for an event that does not exist: every delivery to eventsConsumer fails. */
const poisonBody = (id: string): string =>
  JSON.stringify({ id: `EventBooked/${id}`, type: 'EventBooked', source: 'myevents.bookings', time: new Date().toISOString(), data: { bookingId: id, eventId: `missing-${id}`, seats: 1, createdAt: new Date().toISOString() } });

interface QueueView {
  name: string;
  function: string;
  depth: number;
  deadLetters: { index: number; id: string; traceId?: string }[];
}

/**
 * The test of one mode: its base URL, its output, how to put a poison message with trace `traceId` on
 * the events queue or topic, and the name of that queue on `/_local/queues`.
 */
function followOneBooking(mode: string, stack: () => { base: string; output(): string; sendPoison(traceId: string): Promise<void>; eventsQueue: string }): void {
  describe(`${mode}: follow one booking on /_local`, () => {
    let eventId = '';

    it('creating an event: eventsApi → eventsOutbox → bookingsConsumer, one trace', async () => {
      const { base, output } = stack();
      const location = await post(base, '/locations', { name: `Trace Arena ${Date.now()}`, address: 'Main St 1', country: 'DE', openTime: 8, closeTime: 23, halls: [{ name: 'A', location: 'ground floor', capacity: 5 }] }, ADMIN_AUTHORIZATION);
      expect(location.status).toBe(201);
      const traceId = newTraceId();
      const event = await post(base, '/events', { name: `Traced ${Date.now()}`, duration: 60, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T20:00:00Z', locationId: ((await location.json()) as { id: string }).id, hall: 'A' }, ADMIN_AUTHORIZATION, traceId);
      expect(event.status).toBe(201);
      expect(event.headers.get('traceresponse')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
      eventId = ((await event.json()) as { id: string }).id;
      const spans = await followChain(base, traceId, [['eventsApi', 'http'], ['eventsOutbox', 'change-stream'], ['bookingsConsumer', 'queue']], output);
      expect(spans['eventsApi']![0]!.parentSpanId).toBe(SENDER_SPAN);
      expect(spans['eventsApi']![0]!.attributes).toMatchObject({ 'http.request.method': 'POST', 'http.response.status_code': 201 });
      expectTimed(spans);
      // The summary lists it, with its root request.
      const recent = (await (await fetch(`${base}/_local/traces?limit=50`)).json()) as { traceId: string; root: string }[];
      expect(recent.find((trace) => trace.traceId === traceId)).toMatchObject({ root: 'POST /events' });
    });

    it('booking seats: bookingsApi → bookingsOutbox → eventsConsumer, one trace', async () => {
      const { base, output } = stack();
      // The booking service learns the event first (the previous test's chain).
      await eventually('the booking service to know the event', async () => ((await fetch(`${base}/events/${eventId}/bookings`, { headers: { authorization: USER_AUTHORIZATION } })).status === 200 ? true : undefined), 30_000, output);
      const traceId = newTraceId();
      const booking = await post(base, `/events/${eventId}/bookings`, { seats: 2 }, USER_AUTHORIZATION, traceId);
      expect(booking.status).toBe(201);
      const spans = await followChain(base, traceId, [['bookingsApi', 'http'], ['bookingsOutbox', 'change-stream'], ['eventsConsumer', 'queue']], output);
      // A message's consumer is its producer's child and linked to it (OpenTelemetry's messaging conventions).
      const consumed = spans['eventsConsumer']![0]!;
      expect(consumed.links).toEqual([{ traceId, spanId: consumed.parentSpanId }]);
      expectTimed(spans);
    });

    it('creating a player: playersApi → placePlayers, one trace', async () => {
      const { base, output } = stack();
      const traceId = newTraceId();
      const player = await post(base, '/players', { name: 'Traced Mario' }, USER_AUTHORIZATION, traceId);
      expect(player.status).toBe(201);
      expectTimed(await followChain(base, traceId, [['playersApi', 'http'], ['placePlayers', 'change-stream']], output));
    });

    it("a poison message's trace shows its failed deliveries and its dead letter", async () => {
      const { base, output, sendPoison } = stack();
      const traceId = newTraceId();
      await sendPoison(traceId);
      // Five deliveries with the queue's backoff (Pub/Sub's: 1 s, doubling): not a 2 s matter.
      const deliveries = await eventually(
        'five failed deliveries of the poison message',
        async () => {
          const spans = ((await traceOf(base, traceId)) ?? []).filter((span) => span.function === 'eventsConsumer');
          return spans.length >= 5 ? spans : undefined;
        },
        90_000,
        output,
      );
      expect(deliveries.map((span) => [span.kind, span.status, span.parentSpanId, span.attributes['myevents.delivery.attempt'], span.attributes['myevents.dead_lettered'] ?? false])).toEqual(
        [1, 2, 3, 4, 5].map((attempt) => ['queue', 'error', SENDER_SPAN, attempt, attempt === 5]),
      );

      // The dead letter is on the console's queues, with its trace; redriven, it is delivered again (and fails again: its event still does not exist).
      const queues = async (): Promise<QueueView> => ((await (await fetch(`${base}/_local/queues`)).json()) as QueueView[]).find((queue) => queue.name === stack().eventsQueue)!;
      const letter = await eventually('the dead letter on /_local/queues', async () => (await queues()).deadLetters.find((dead) => dead.traceId === traceId), 30_000, output);
      expect((await queues()).function).toBe('eventsConsumer');
      expect((await fetch(`${base}/_local/queues/${stack().eventsQueue}/dead-letters/${letter.index}/redrive`, { method: 'POST' })).status).toBe(202);
      await eventually('a sixth delivery after the redrive', async () => (((await traceOf(base, traceId)) ?? []).filter((span) => span.function === 'eventsConsumer').length >= 6 ? true : undefined), 30_000, output);
      expect((await fetch(`${base}/_local/queues/${stack().eventsQueue}/dead-letters/99/redrive`, { method: 'POST' })).status).toBe(404);
    }, 180_000);

    it('answers an unknown trace 404, and serves the page', async () => {
      const { base } = stack();
      expect((await fetch(`${base}/_local/traces/${newTraceId()}`)).status).toBe(404);
      const page = await fetch(`${base}/_local/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
    });
  });
}

let npmStart: StartedStack | undefined;
let dataDir = '';
let gcp: StartedGcp | undefined;

describe('npm start', () => {
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'myevents-follow-'));
    // Redelivery after 1 s instead of the template's 30: five deliveries of the poison message within seconds.
    npmStart = await startStack(dataDir, { OFFLINE_SQS_VISIBILITY_TIMEOUT: '1' });
  }, 240_000);
  afterAll(async () => {
    await npmStart?.kill('SIGINT');
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  followOneBooking('npm start', () => ({
    base: npmStart!.baseUrl,
    eventsQueue: 'myevents-local-events',
    output: () => npmStart!.output(),
    sendPoison: async (traceId) => {
      process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true'; // the README says it once
      const endpoint = /SQS (http:\/\/127\.0\.0\.1:\d+)/.exec(npmStart!.output())![1]!;
      const sqs = new SQSClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
      const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'myevents-local-events' }));
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: poisonBody(traceId), MessageAttributes: { traceparent: { DataType: 'String', StringValue: traceparent(traceId) } } }));
      sqs.destroy();
    },
  }));
});

describe('npm run start:gcp', () => {
  beforeAll(async () => {
    gcp = await startGcpCommand();
  }, 300_000);
  afterAll(async () => {
    await gcp?.stop();
  }, 60_000);

  followOneBooking('start:gcp', () => ({
    base: gcp!.baseUrl,
    eventsQueue: 'events',
    output: () => gcp!.output(),
    sendPoison: async (traceId) => {
      const apiEndpoint = /Pub\/Sub (127\.0\.0\.1:\d+)/.exec(gcp!.output())![1]!;
      const pubsub = createPubSub({ projectId: LOCAL_PROJECT_ID, apiEndpoint });
      await pubsub.topic('events').publishMessage({ data: Buffer.from(poisonBody(traceId)), attributes: { type: 'EventBooked', traceparent: traceparent(traceId) } });
      await pubsub.close();
    },
  }));
});
