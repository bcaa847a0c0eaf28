import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { namesFromEnv } from '../adapters/gcp/environment.js';
import { createPubSub } from '../adapters/gcp/pubsub-publisher.js';
import { firestoreTriggerPatterns, pubSubTriggerTopics } from '../adapters/gcp/registrations.js';
import { QUEUE_MAX_DELIVERIES } from '../functions/catalogue.js';
import { matchRoute } from '../adapters/shared/router.js';
import type { Route } from '../functions/http/contract.js';
import { httpFunctions, type HttpFunctionName } from '../functions/routes.js';
import { buildGcp, GCP_FUNCTIONS, type GcpFunctionName } from '../scripts/build-gcp.js';
import { assertGcpEmulatorsInstalled, LOCAL_PROJECT_ID, startFirestoreEmulator, startPubSubEmulator } from './gcp-emulators.js';
import { stopProcessGroup } from './process-group.js';

/**
 * The Google Cloud build of the app on this machine, over the real emulators.
 * - the Firestore and Pub/Sub emulators (java, from the Google Cloud SDK);
 * - every function built by build:gcp (dist/gcp/<function>/) served by functions-framework, one
 *   process each, as Cloud Run functions runs them;
 * - topics with push subscriptions to the consumers (dead-letter topics after 5 attempts), as deployed;
 * - a relay that hands the Firestore emulator's trigger deliveries to the Firestore-triggered functions;
 * - a front door on http://localhost:3100 that sends each request to the HTTP function whose routes
 *   match its path (on Google Cloud each function has its own URL; a load balancer or API Gateway plays this part).
 */

/** The ports of one stack: fixed for npm run start:gcp, free ones in tests. */
export interface GcpStackPorts {
  frontDoor: number;
  relay: number;
  firestore: number;
  pubsub: number;
  functions: Record<GcpFunctionName, number>;
}

export const DEFAULT_PORTS: GcpStackPorts = {
  frontDoor: 3100,
  relay: 3190,
  firestore: 8080,
  pubsub: 8085,
  functions: {
    eventsApi: 3101,
    bookingsApi: 3102,
    playersApi: 3103,
    eventsOutbox: 3104,
    bookingsOutbox: 3105,
    placePlayers: 3106,
    bookingsConsumer: 3107,
    eventsConsumer: 3108,
  },
};
/** Pub/Sub deliveries per message before it goes to the dead-letter topic: the catalogue's (5 is also the least Pub/Sub allows). */
const MAX_DELIVERY_ATTEMPTS = QUEUE_MAX_DELIVERIES;

export interface GcpStack {
  /** `http://127.0.0.1:<front door>` */
  url: string;
  firestoreHost: string;
  pubsubHost: string;
  /** The dead-letter topic of each consumer's subscription, and the subscription that keeps its messages. */
  deadLetters: Record<'bookings' | 'events', { topic: string; subscription: string }>;
  stop(): Promise<void>;
}

export interface GcpStackOptions {
  ports?: GcpStackPorts;
  /** Build folder (default dist/gcp). */
  outDir?: string;
  log?: (line: string) => void;
  /** Where the functions' own output goes (default: this process's stdout and stderr; a number: that file descriptor). */
  functionOutput?: 'inherit' | 'ignore' | number;
}

/** Forwards one request to 127.0.0.1:`port` at `path`, streaming the answer back. */
function forward(incoming: IncomingMessage, outgoing: ServerResponse, port: number, path: string): void {
  const upstream = httpRequest({ host: '127.0.0.1', port, path, method: incoming.method, headers: incoming.headers }, (answer) => {
    outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
    answer.pipe(outgoing);
  });
  upstream.on('error', (error) => {
    outgoing.writeHead(502, { 'content-type': 'text/plain' });
    outgoing.end(`upstream function on port ${port} did not answer: ${error.message}`);
  });
  incoming.pipe(upstream);
}

/** How the relay retries a Firestore trigger delivery, as a trigger deployed with `--retry` is retried (the emulator never retries). */
export const TRIGGER_RETRY = { attempts: 8, firstBackoffMs: 250, maxBackoffMs: 4_000 } as const;

/**
 * Delivers one Firestore trigger event to its function until the function takes it (2xx), like a
 * trigger deployed with `--retry` on Google Cloud: a delivery the function failed (5xx) or could not
 * take (not listening, reset under load) is tried again with backoff. Answers the last status (0: no answer).
 */
export async function deliverWithRetry(
  port: number,
  request: { method: string; headers: Record<string, string>; body: Buffer },
  retry: { attempts: number; firstBackoffMs: number; maxBackoffMs: number } = TRIGGER_RETRY,
): Promise<number> {
  let status = 0;
  for (let attempt = 1; attempt <= retry.attempts; attempt += 1) {
    status = await fetch(`http://127.0.0.1:${port}/`, { method: request.method, headers: request.headers, body: request.body }).then(
      async (answer) => (await answer.arrayBuffer(), answer.status),
      () => 0,
    );
    if (status >= 200 && status < 300) return status;
    // A 4xx is the function refusing the event for good (functions-framework: not a CloudEvent): retrying cannot help.
    if (status >= 400 && status < 500) return status;
    if (attempt < retry.attempts) await new Promise((wait) => setTimeout(wait, Math.min(retry.maxBackoffMs, retry.firstBackoffMs * 2 ** (attempt - 1))));
  }
  return status;
}

/** The headers of an incoming request as fetch takes them (hop-by-hop and length headers left to fetch). */
const forwardedHeaders = (incoming: IncomingMessage): Record<string, string> =>
  Object.fromEntries(
    Object.entries(incoming.headers)
      .filter(([name]) => !['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive'].includes(name))
      .map(([name, value]) => [name, Array.isArray(value) ? value.join(', ') : String(value)]),
  );

/** The HTTP function whose route table has a pattern matching `path` (any method: a wrong method is that function's 405). */
function httpFunctionFor(path: string): HttpFunctionName {
  for (const name of Object.keys(httpFunctions) as HttpFunctionName[]) {
    try {
      matchRoute<unknown>(httpFunctions[name] as readonly Route<unknown>[], 'GET', path);
      return name;
    } catch (error) {
      if (error instanceof Error && error.name === 'MethodNotAllowedError') return name;
    }
  }
  return 'eventsApi'; // answers the 404 every function gives for a path it does not serve
}

const listen = (server: Server, port: number): Promise<void> =>
  new Promise((listening, failed) => {
    server.once('error', failed);
    server.listen(port, '127.0.0.1', () => listening());
  });

/** Resolves when a TCP connection to the port succeeds. */
const accepts = (port: number): Promise<boolean> =>
  new Promise((answered) => {
    const socket = connect({ host: '127.0.0.1', port }, () => {
      socket.end();
      answered(true);
    });
    socket.once('error', () => answered(false));
  });

/** Resolves once the function's server accepts connections (a TCP probe: an HTTP probe would be a malformed event to a CloudEvent function). */
async function waitForFunction(name: string, port: number, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with code ${child.exitCode}`);
    if (await accepts(port)) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${name} did not accept connections on port ${port} within 60 s`);
}

/**
 * Starts the whole stack and resolves once every part answers. On failure, stops what it started
 * and rethrows; `stop()` stops everything (functions, relay, front door, emulators).
 */
export async function startGcpStack(options: GcpStackOptions = {}): Promise<GcpStack> {
  const ports = options.ports ?? DEFAULT_PORTS;
  const FUNCTION_PORTS = ports.functions;
  const log = options.log ?? ((line: string) => void process.stderr.write(`[start:gcp] ${line}\n`));
  const stoppers: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stoppers.reverse()) await stop().catch(() => undefined);
  };
  assertGcpEmulatorsInstalled();
  try {
    log('building dist/gcp (npm run build:gcp)');
    const folders = await buildGcp(options.outDir);
    const { collections, topics } = namesFromEnv();

    const firestore = await startFirestoreEmulator({ port: ports.firestore, functionsEmulator: `127.0.0.1:${ports.relay}` });
    stoppers.push(() => firestore.stop());
    const pubsubEmulator = await startPubSubEmulator({ port: ports.pubsub });
    stoppers.push(() => pubsubEmulator.stop());
    log(`Firestore emulator on ${firestore.host}, Pub/Sub emulator on ${pubsubEmulator.host}`);

    const env = {
      ...process.env,
      FIRESTORE_EMULATOR_HOST: firestore.host,
      PUBSUB_EMULATOR_HOST: pubsubEmulator.host,
      GOOGLE_CLOUD_PROJECT: LOCAL_PROJECT_ID,
      // As on Cloud Run functions: Express then never puts a stack trace in an error page.
      NODE_ENV: 'production',
    };
    // The `functions-framework` command (bin), next to the package's main module: its exports map hides the path itself.
    const main = join(dirname(createRequire(import.meta.url).resolve('@google-cloud/functions-framework')), 'main.js');
    for (const [name, { signatureType }] of Object.entries(GCP_FUNCTIONS) as [GcpFunctionName, (typeof GCP_FUNCTIONS)[GcpFunctionName]][]) {
      const port = FUNCTION_PORTS[name];
      const child = spawn(process.execPath, [main, `--target=${name}`, `--signature-type=${signatureType}`, `--source=${folders[name]}`, `--port=${port}`], {
        env,
        stdio: ['ignore', options.functionOutput ?? 'inherit', options.functionOutput ?? 'inherit'],
        detached: true,
      });
      stoppers.push(() => stopProcessGroup(child));
      await waitForFunction(name, port, child);
    }
    log(`functions-framework: ${Object.entries(FUNCTION_PORTS).map(([name, port]) => `${name} :${port}`).join(', ')}`);

    // Topics and push subscriptions as deployed: each consumer's subscription retries, then dead-letters.
    const pubsub = createPubSub({ projectId: LOCAL_PROJECT_ID, apiEndpoint: pubsubEmulator.host });
    stoppers.push(() => pubsub.close());
    for (const [consumer, topic] of Object.entries(pubSubTriggerTopics(topics)) as [keyof typeof FUNCTION_PORTS, string][]) {
      const [created] = await pubsub.createTopic(topic);
      const [deadLetter] = await pubsub.createTopic(`${topic}-dead-letter`);
      // A topic keeps messages only for its subscriptions: this one holds the dead letters for inspection.
      await deadLetter.createSubscription(`${topic}-dead-letter-inspect`);
      await created.createSubscription(`${topic}-${consumer}`, {
        pushConfig: { pushEndpoint: `http://127.0.0.1:${FUNCTION_PORTS[consumer]}/projects/${LOCAL_PROJECT_ID}/topics/${topic}` },
        deadLetterPolicy: { deadLetterTopic: deadLetter.name, maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS },
        retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 10 } },
      });
    }

    // The relay: the Firestore emulator POSTs to /functions/projects/<p>/triggers/<trigger id>; our trigger ids are the function names.
    const relay = createServer((incoming, outgoing) => {
      const triggerId = /\/triggers\/([^/?]+)/.exec(incoming.url ?? '')?.[1] ?? '';
      const port = (FUNCTION_PORTS as Record<string, number>)[triggerId];
      if (port === undefined) {
        outgoing.writeHead(404).end();
        return;
      }
      // Taken at once, delivered with retries: the emulator delivers each event once and never again, so a
      // function that was busy or failed (as happens under load) would lose the change for good.
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () => {
        outgoing.writeHead(204).end();
        const delivery = { method: incoming.method ?? 'POST', headers: forwardedHeaders(incoming), body: Buffer.concat(chunks) };
        void deliverWithRetry(port, delivery).then((status) => {
          if (status < 200 || status >= 300) log(`${triggerId}: a Firestore trigger event was not taken after ${TRIGGER_RETRY.attempts} deliveries (last status ${status || 'none'})`);
        });
      });
    });
    await listen(relay, ports.relay);
    stoppers.push(() => new Promise((closed) => relay.close(() => closed())));
    for (const [name, pattern] of Object.entries(firestoreTriggerPatterns(collections))) {
      const response = await fetch(`http://${firestore.host}/emulator/v1/projects/${LOCAL_PROJECT_ID}/eventarcTrigger?eventarcTriggerId=${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ eventType: 'google.cloud.firestore.document.v1.written', database: '(default)', namespace: '(default)', document: { value: pattern, matchType: 'PATH_PATTERN' } }),
      });
      if (!response.ok) throw new Error(`registering the Firestore trigger ${name} failed: ${response.status} ${await response.text()}`);
    }

    // Repeated headers joined, not dropped: a second Authorization must reach the function (refused there, 400).
    const frontDoor = createServer({ joinDuplicateHeaders: true }, (incoming, outgoing) => {
      const path = (incoming.url ?? '/').split('?')[0] ?? '/';
      forward(incoming, outgoing, FUNCTION_PORTS[httpFunctionFor(path)], incoming.url ?? '/');
    });
    await listen(frontDoor, ports.frontDoor);
    stoppers.push(() => new Promise((closed) => frontDoor.close(() => closed())));
    return {
      url: `http://127.0.0.1:${ports.frontDoor}`,
      firestoreHost: firestore.host,
      pubsubHost: pubsubEmulator.host,
      deadLetters: {
        bookings: { topic: `${topics.bookings}-dead-letter`, subscription: `${topics.bookings}-dead-letter-inspect` },
        events: { topic: `${topics.events}-dead-letter`, subscription: `${topics.events}-dead-letter-inspect` },
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}
