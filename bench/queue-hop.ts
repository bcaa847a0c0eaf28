/**
 * `npm run bench:queue-hop`: how long a change takes to reach the function that reacts to it, on the stack
 * `npm start` runs and on the one `npm run start:gcp` runs (each on free ports, one after the other, fresh data):
 * - queue hop: an EventCreated message put straight on the bookings queue (SQS SendMessage, Pub/Sub publish),
 *   until the booking service answers for the event (bookingsConsumer has applied it);
 * - event → booking service: POST /events until GET /events/{id}/bookings answers (stream or Firestore trigger,
 *   then the queue hop);
 * - booking → seatsBooked: POST /events/{id}/bookings until GET /events/{id} counts the seats (the same, back);
 * - player → map: POST /players until GET /map shows the player (one stream or Firestore trigger).
 * The observer polls every 10 ms, so each figure includes up to 10 ms of polling and one HTTP round trip.
 * The first hop of each kind loads the functions' clients (a cold start) and is reported apart.
 * Prints the median and the maximum of HOPS warm hops of each kind (default 25), and start:gcp / npm start.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { namesFromEnv } from '../adapters/gcp/environment.js';
import { createPubSub, PubSubPublisher } from '../adapters/gcp/pubsub-publisher.js';
import { mintDevToken, trustDevKeyUnlessConfigured } from '../adapters/local/dev-auth.js';
import type { DomainEvent } from '../functions/domain/domain-events.js';
import { startLocalStack } from '../offline/aws/local-stack.js';
import { freePort } from '../offline/shared/ports.js';
import { LOCAL_PROJECT_ID } from '../offline/gcp/gcp-emulators.js';
import { startGcpStack } from '../offline/gcp/gcp-stack.js';

// At most 99: each round adds a player, and the map's page (limit=100) must show the newest.
// Read when the first SDK client is made: the "node 20 support ends" notice is in the README once.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
const hops = Math.min(99, Number(process.env['HOPS'] ?? 25));
const KINDS = ['queue hop', 'event → booking service', 'booking → seatsBooked', 'player → map'] as const;
type Kind = (typeof KINDS)[number];
interface Figures {
  cold: number;
  warm: number[];
}
/** A running stack: its front door, how to put a message on its bookings queue, how to stop it. */
interface BenchStack {
  url: string;
  enqueue(event: DomainEvent): Promise<void>;
  stop(): Promise<void>;
}

// The booking service's reads and every write need a caller: the stacks trust the development key.
await trustDevKeyUnlessConfigured();
const authorization = `Bearer ${await mintDevToken({ subject: 'bench', scopes: ['admin'] })}`;

async function startNpmStartStack(): Promise<BenchStack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'myevents-bench-'));
  const [httpPort, lambdaPort, dynamodbPort, sqsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const stack = await startLocalStack({ httpPort, lambdaPort, dynamodbPort, sqsPort, dataDir, output: 'capture' });
  const sqs = new SQSClient({ endpoint: stack.sqsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'myevents-local-bookings' }));
  return {
    url: stack.baseUrl,
    enqueue: async (event) => void (await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(event) }))),
    stop: async () => {
      sqs.destroy();
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

async function startGcpBenchStack(): Promise<BenchStack> {
  const outDir = `dist/gcp-bench-${randomUUID().slice(0, 8)}`;
  const ports = { frontDoor: await freePort(), firestore: await freePort(), pubsub: await freePort() };
  const stack = await startGcpStack({ ports, outDir, log: () => undefined, functionOutput: 'ignore' });
  const pubsub = createPubSub({ projectId: LOCAL_PROJECT_ID, apiEndpoint: stack.pubsubHost });
  const publisher = new PubSubPublisher(pubsub.topic(namesFromEnv().topics.bookings));
  return {
    url: stack.url,
    enqueue: (event) => publisher.publish(event),
    stop: async () => {
      await pubsub.close();
      await stack.stop();
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

/** Milliseconds from the start of `act` until `arrived` holds (polled every 10 ms, 30 s at most). */
async function hop<T>(act: () => Promise<T>, arrived: (value: T) => Promise<boolean>): Promise<number> {
  const started = performance.now();
  const value = await act();
  const deadline = Date.now() + 30_000;
  while (!(await arrived(value))) {
    if (Date.now() > deadline) throw new Error('a hop did not arrive within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return performance.now() - started;
}

async function measure(stack: BenchStack): Promise<Record<Kind, Figures>> {
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${stack.url}${path}`, {
      method,
      headers: { authorization, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, text, json: (text.startsWith('{') || text.startsWith('[') ? JSON.parse(text) : undefined) as Record<string, unknown> | undefined };
  };
  const created = async (path: string, body: unknown): Promise<string> => {
    const answer = await call('POST', path, body);
    if (answer.status !== 201) throw new Error(`POST ${path} answered ${answer.status}: ${answer.text}`);
    return String(answer.json!['id']);
  };
  const locationId = await created('/locations', { name: 'Bench hall', address: 'Main St 1', country: 'DE', openTime: 0, closeTime: 24, halls: [{ name: 'A', location: 'ground floor', capacity: 10 }] });
  const booked = async (eventId: string) => (await call('GET', `/events/${eventId}/bookings`)).status === 200;
  const figures = Object.fromEntries(KINDS.map((kind) => [kind, { cold: Number.NaN, warm: [] as number[] }])) as Record<Kind, Figures>;
  const record = (kind: Kind, round: number, ms: number): void => void (round === 0 ? (figures[kind].cold = ms) : figures[kind].warm.push(ms));
  for (let round = 0; round <= hops; round += 1) {
    const eventId = randomUUID();
    const data = { id: eventId, name: `Bench ${round}`, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T20:00:00Z', locationId: 'bench', hall: 'A', capacity: 10 };
    const envelope = { id: `EventCreated/${eventId}`, type: 'EventCreated', source: '/myevents/bench', time: new Date().toISOString(), data } as unknown as DomainEvent;
    record('queue hop', round, await hop(() => stack.enqueue(envelope), () => booked(eventId)));

    let event = '';
    const eventBody = { name: `Bench ${round}`, duration: 60, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T20:00:00Z', locationId, hall: 'A' };
    record('event → booking service', round, await hop(async () => (event = await created('/events', eventBody)), () => booked(event)));
    record('booking → seatsBooked', round, await hop(() => created(`/events/${event}/bookings`, { seats: 2 }), async () => (await call('GET', `/events/${event}`)).json?.['seatsBooked'] === 2));

    let player = '';
    record('player → map', round, await hop(async () => (player = await created('/players', { name: `Bench ${round}` })), async () => (await call('GET', '/map?limit=100')).text.includes(player)));
  }
  return figures;
}

const median = (samples: number[]): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const ms = (value: number): string => `${Math.round(value)} ms`;

const results: Partial<Record<'npm start' | 'start:gcp', Record<Kind, Figures>>> = {};
for (const [name, start] of [
  ['npm start', startNpmStartStack],
  ['start:gcp', startGcpBenchStack],
] as const) {
  const stack = await start();
  try {
    results[name] = await measure(stack);
  } finally {
    await stack.stop();
  }
}

const local = results['npm start']!;
const gcp = results['start:gcp']!;
// The line earlier runs printed (BENCHMARKS.md compares it across runs).
console.log(`queue hop (SendMessage -> bookingsConsumer applied), ${local['queue hop'].warm.length} warm hops: median ${ms(median(local['queue hop'].warm))}, max ${ms(Math.max(...local['queue hop'].warm))}, min ${ms(Math.min(...local['queue hop'].warm))}`);
console.log(`\n${hops} warm hops of each kind (the cold first one apart); start:gcp / npm start compares the medians\n`);
console.log('| hop | npm start: median, max (cold) | start:gcp: median, max (cold) | start:gcp / npm start |');
console.log('|---|---|---|---|');
for (const kind of KINDS) {
  const cell = ({ warm, cold }: Figures): string => `${ms(median(warm))}, ${ms(Math.max(...warm))} (${ms(cold)})`;
  console.log(`| ${kind} | ${cell(local[kind])} | ${cell(gcp[kind])} | ${(median(gcp[kind].warm) / median(local[kind].warm)).toFixed(2)} |`);
}
