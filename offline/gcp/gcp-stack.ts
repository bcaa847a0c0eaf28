import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { Agent, createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { Subscription } from '@google-cloud/pubsub';
import type { BuildContext } from 'esbuild';
import { namesFromEnv } from '../../adapters/gcp/environment.js';
import { createPubSub } from '../../adapters/gcp/pubsub-publisher.js';
import { firestoreTriggerPatterns, pubSubTriggerTopics } from '../../adapters/gcp/trigger-sources.js';
import { createFrontDoor, forwardRequest, functionHeaders, infrastructureAnswer, listenLocally, type DoorRequest, type ForwardedAnswer, type FrontDoorOptions } from '../../adapters/local/front-door.js';
import { corsPolicyFromEnv } from '../../adapters/shared/cors.js';
import { functionChecks, healthResponse, type HealthCheck } from '../../adapters/shared/health.js';
import { errorHttpResponse, type RawHttpResponse } from '../../adapters/shared/http-dispatch.js';
import { redactSecrets } from '../../adapters/shared/redact.js';
import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../functions/errors.js';
import { QUEUE_MAX_DELIVERIES } from '../../functions/catalogue.js';
import type { HttpFunctionName } from '../../functions/routes.js';
import { GCP_FUNCTIONS, type GcpFunctionName } from '../../scripts/build-gcp.js';
import { buildBundles, buildSpanExport, FUNCTION_HOST, startOrphanGuard } from './function-processes.js';
import { freePort } from '../shared/ports.js';
import { functionOfPath, isPerInvocationNoise } from '../shared/console-lines.js';
import { answers } from '../shared/engines-reachable.js';
import { assertGcpEmulatorsInstalled, LOCAL_PROJECT_ID, startFirestoreEmulator, startPubSubEmulator } from './gcp-emulators.js';
import { startHotReload, type ReloadableBundle } from '../shared/hot-reload.js';
import { pubSubQueueConsole } from './pubsub-console.js';
import { isSpanBatch } from '../shared/span-export.js';
import { deliveryCounter, markDeadLetter } from '../shared/span-receive.js';
import { SpanStore, type LocalSpan } from '../../adapters/local/span-store.js';
import { stopProcessGroup } from '../shared/process-group.js';

/**
 * The Google Cloud build of the app on this machine, over the real emulators.
 * - the Firestore and Pub/Sub emulators (java, from the Google Cloud SDK);
 * - every function built by build:gcp (dist/gcp/<function>/) served by functions-framework's server on
 *   127.0.0.1, one process each, as Cloud Run functions runs them (rebuilt and restarted on an edit with `watch`);
 * - topics with push subscriptions to the consumers (dead-letter topics after 5 attempts), as deployed;
 * - a relay that hands the Firestore emulator's trigger deliveries to the Firestore-triggered functions;
 * - the local front door every mode shares (adapters/local/front-door.ts) on http://localhost:3100 (GET /health,
 *   GET /openapi.json), which sends each request to the HTTP function whose routes match its path (on Google
 *   Cloud each function has its own URL; a load balancer or API Gateway plays this part).
 */

/**
 * The ports of one stack. The front door and the emulators are the ones people connect to (flags of
 * start:gcp); the relay and the functions are internal, on free loopback ports unless given.
 */
export interface GcpStackPorts {
  frontDoor: number;
  firestore: number;
  pubsub: number;
  relay?: number;
  functions?: Partial<Record<GcpFunctionName, number>>;
}

export const DEFAULT_PORTS: GcpStackPorts = { frontDoor: 3100, firestore: 8080, pubsub: 8085 };
/** Pub/Sub deliveries per message before it goes to the dead-letter topic: the catalogue's (5 is also the least Pub/Sub allows). */
const MAX_DELIVERY_ATTEMPTS = QUEUE_MAX_DELIVERIES;
/** A function server gets this long after SIGTERM before SIGKILL (it exits at once on SIGTERM). */
const FUNCTION_STOP_GRACE_MS = 2_000;

export interface GcpStack {
  /** `http://127.0.0.1:<front door>` */
  url: string;
  firestoreHost: string;
  pubsubHost: string;
  /** The dead-letter topic of each consumer's subscription, and the subscription that keeps its messages. */
  deadLetters: Record<'bookings' | 'events', { topic: string; subscription: string }>;
  /** Where each function listens now (a hot reload moves a function to a new port). */
  functionPorts(): Record<GcpFunctionName, number>;
  /** Calls `listener` once if an emulator or a function server dies on its own (not while stopping or reloading). */
  onFailure(listener: (message: string) => void): void;
  /** Stops everything (functions, relay, front door, emulators) and resolves once every process has exited. */
  stop(): Promise<void>;
}

export interface GcpStackOptions {
  ports?: GcpStackPorts;
  /** Build folder (default dist/gcp). */
  outDir?: string;
  log?: (line: string) => void;
  /**
   * Where the functions' own output goes (default: this process's stdout and stderr; a number: that file
   * descriptor; `readable`: this process's, without the per-request JSON lines that the access line says, as npm start).
   */
  functionOutput?: 'inherit' | 'ignore' | 'readable' | number;
  /** Called once per request the front door answered (start:gcp prints offline/shared/console-lines.ts's access line). */
  access?: FrontDoorOptions['access'];
  /** Rebuild and reload a function when a file it is built from changes (start:gcp; offline/shared/hot-reload.ts). */
  watch?: boolean;
  /** Called with every span of a trigger (change-stream or queue) hop as it reaches the console (start:gcp prints console-lines.ts's hopLine). */
  hop?(span: LocalSpan): void;
}

/**
 * functions-framework's own refusal of a body, in our error shape (same status), if `answer` is one. Its
 * body parsers run before our function and answer what they refuse with an HTML page (malformed
 * `application/json` 400, an unknown charset 415, too many form fields 413; functions-framework-nodejs
 * issue #686), so the one body no function of ours wrote would be the only non-JSON error locally. On
 * Cloud Run the status is the same and the page is functions-framework's. Our functions answer JSON always.
 */
export function frameworkRefusal(answer: ForwardedAnswer, request: DoorRequest): RawHttpResponse | undefined {
  if (answer.status < 400 || answer.status >= 500 || String(answer.headers['content-type'] ?? '').includes('json')) return undefined;
  const refusal =
    answer.status === 413 ? new PayloadTooLargeError('The body has more fields than functions-framework accepts')
    : answer.status === 415 ? new UnsupportedMediaTypeError(`The body's content type or charset is not supported (${String(request.headers['content-type'] ?? 'none')})`)
    : new MalformedJsonError('The body is not valid for its content type (functions-framework refused it)');
  return errorHttpResponse(refusal, request.requestId, corsPolicyFromEnv(), request.headers['origin']);
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

/** The HTTP function that serves `path` (any method: a wrong method is that function's 405). */
const httpFunctionFor = (path: string): HttpFunctionName => functionOfPath(path) ?? 'eventsApi'; // answers the 404 every function gives for a path it does not serve

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

const delay = (ms: number): Promise<void> => new Promise((done) => setTimeout(done, ms));

/**
 * Starts the whole stack and resolves once every part answers; the front door opens last. Every process
 * shares this process's group (Ctrl-C in a terminal reaches all), a guard kills them if this process is
 * killed, and `stop()` stops them all at once. On failure, stops what it started and rethrows.
 *
 * In order: emulators and bundles (function-processes.ts) side by side; one functions-framework
 * process per function; topics, dead-letter topics and push subscriptions; the relay and its Firestore
 * trigger registrations; with `watch`, the hot reload (restart on a new port, then retire the old one);
 * the front door. Relies on: the Google Cloud SDK's Firestore and Pub/Sub emulators (java;
 * gcp-emulators.ts); the Firestore emulator's Eventarc trigger endpoint
 * (`/emulator/v1/projects/<p>/eventarcTrigger`) and its deliveries to `--functions-emulator`
 * (`/functions/projects/<p>/triggers/<name>`), both undocumented, as the Firebase emulator suite uses
 * them; Pub/Sub push subscriptions with dead-letter policies (the emulator honours both).
 */
export async function startGcpStack(options: GcpStackOptions = {}): Promise<GcpStack> {
  const ports = options.ports ?? DEFAULT_PORTS;
  const outDir = options.outDir ?? 'dist/gcp';
  const log = options.log ?? ((line: string) => void process.stderr.write(`[start:gcp] ${line}\n`));
  assertGcpEmulatorsInstalled();
  const guard = startOrphanGuard();
  const stoppers: (() => Promise<void>)[] = [];
  let stopping = false;
  const stopAll = async (): Promise<void> => {
    stopping = true;
    // All at once: each part stops on its own, and Ctrl-C must free every port within seconds.
    await Promise.allSettled(stoppers.splice(0).map((stop) => stop()));
    guard.stop();
  };
  let failure: string | undefined;
  let failureListener: ((message: string) => void) | undefined;
  const unexpected = (message: string): void => {
    if (stopping || failure !== undefined) return;
    failure = message;
    failureListener?.(message);
  };
  const names = Object.keys(GCP_FUNCTIONS) as GcpFunctionName[];
  // The spans of the last 1,000 traces, sent by the function processes, for the local console (`/_local/`).
  const spans = new SpanStore();
  const numberDelivery = deliveryCounter();
  /** The server of each function now, and the ones a reload replaced (stopped a moment later). */
  const running = new Map<GcpFunctionName, { child: ChildProcess; port: number }>();
  const retiring = new Set<ChildProcess>();
  stoppers.push(async () => void (await Promise.all([...[...running.values()].map(({ child }) => child), ...retiring].map((child) => stopProcessGroup(child, FUNCTION_STOP_GRACE_MS)))));
  try {
    log(`building ${outDir} (npm run build:gcp)${options.watch ? ', then watching functions/ and adapters/' : ''}`);
    // The build (CPU) and the two JVMs' start (mostly waiting) overlap.
    const startEmulator = async <T extends { pid: number | undefined; stop(): Promise<void>; onExit(listener: (reason: string) => void): void }>(what: string, started: Promise<T>): Promise<T> => {
      const emulator = await started;
      guard.watch(emulator.pid);
      stoppers.push(() => emulator.stop().then(() => guard.forget(emulator.pid)));
      emulator.onExit((reason) => unexpected(`the ${what} ${reason}`));
      return emulator;
    };
    const relayPort = ports.relay ?? (await freePort());
    const [bundles, spanExport, firestore, pubsubEmulator] = await settledAll([
      buildBundles(outDir, options.watch ?? false).then((bundles) => (stoppers.push(() => bundles.dispose()), bundles)),
      buildSpanExport(),
      startEmulator('Firestore emulator', startFirestoreEmulator({ port: ports.firestore, functionsEmulator: `127.0.0.1:${relayPort}`, ownGroup: false })),
      startEmulator('Pub/Sub emulator', startPubSubEmulator({ port: ports.pubsub, ownGroup: false })),
    ] as const);
    log(`Firestore emulator on ${firestore.host}, Pub/Sub emulator on ${pubsubEmulator.host}`);
    const { collections, topics } = namesFromEnv();

    const env = {
      ...process.env,
      FIRESTORE_EMULATOR_HOST: firestore.host,
      PUBSUB_EMULATOR_HOST: pubsubEmulator.host,
      GOOGLE_CLOUD_PROJECT: LOCAL_PROJECT_ID,
      // As on Cloud Run functions: Express then never puts a stack trace in an error page.
      NODE_ENV: 'production',
    };
    const output = options.functionOutput ?? 'inherit';
    /** One function's server (offline/gcp/gcp-function-host.mjs: functions-framework's server on 127.0.0.1), once it accepts connections. */
    const startFunction = async (name: GcpFunctionName, port: number): Promise<ChildProcess> => {
      const stdio = output === 'readable' ? 'pipe' : output;
      // The IPC channel carries the function's spans to the local console (offline/shared/span-export.ts).
      // FUNCTION_TARGET as Cloud Run functions sets it: the spans' `faas.name` (adapters/shared/tracing.ts).
      const child = spawn(process.execPath, [FUNCTION_HOST, join(outDir, name), name, String(port)], {
        env: { ...env, FUNCTION_TARGET: name, MYEVENTS_SPAN_EXPORT: spanExport },
        stdio: ['ignore', stdio, stdio, 'ipc'],
      });
      child.channel?.unref();
      child.on('message', (message) => {
        if (!isSpanBatch(message)) return;
        for (const received of message.spans) {
          const span = markDeadLetter(numberDelivery(received));
          spans.add(span);
          if (span.kind !== 'http') options.hop?.(span);
        }
      });
      if (output === 'readable') {
        // The function's INFO line per request repeats the front door's access line; warnings and errors stay.
        createInterface({ input: child.stdout! }).on('line', (line) => isPerInvocationNoise(line) || console.log(line));
        createInterface({ input: child.stderr! }).on('line', (line) => isPerInvocationNoise(line) || console.error(line));
      }
      guard.watch(child.pid);
      child.once('exit', (code, signal) => {
        guard.forget(child.pid);
        if (running.get(name)?.child === child) unexpected(`${name} exited with ${signal ?? `code ${code}`}`);
      });
      try {
        await waitForFunction(name, port, child);
      } catch (error) {
        await stopProcessGroup(child, FUNCTION_STOP_GRACE_MS);
        throw error;
      }
      return child;
    };
    const functionPorts: Partial<Record<GcpFunctionName, number>> = {};
    for (const name of names) functionPorts[name] = ports.functions?.[name] ?? (await freePort());
    await settledAll(names.map(async (name) => running.set(name, { child: await startFunction(name, functionPorts[name]!), port: functionPorts[name]! })));
    const portOf = (name: GcpFunctionName): number => running.get(name)!.port;
    log(`functions-framework: ${names.map((name) => `${name} :${portOf(name)}`).join(', ')}`);

    // Topics and push subscriptions as deployed: each consumer's subscription retries, then dead-letters.
    const pubsub = createPubSub({ projectId: LOCAL_PROJECT_ID, apiEndpoint: pubsubEmulator.host });
    stoppers.push(() => Promise.race([pubsub.close(), delay(2_000)]));
    const pushEndpoint = (consumer: GcpFunctionName, topic: string): string => `http://127.0.0.1:${portOf(consumer)}/projects/${LOCAL_PROJECT_ID}/topics/${topic}`;
    const subscriptions = new Map<GcpFunctionName, { subscription: Subscription; topic: string }>();
    for (const [consumer, topic] of Object.entries(pubSubTriggerTopics(topics)) as [GcpFunctionName, string][]) {
      const [created] = await pubsub.createTopic(topic);
      const [deadLetter] = await pubsub.createTopic(`${topic}-dead-letter`);
      // A topic keeps messages only for its subscriptions: this one holds the dead letters for inspection.
      await deadLetter.createSubscription(`${topic}-dead-letter-inspect`);
      const [subscription] = await created.createSubscription(`${topic}-${consumer}`, {
        pushConfig: { pushEndpoint: pushEndpoint(consumer, topic) },
        deadLetterPolicy: { deadLetterTopic: deadLetter.name, maxDeliveryAttempts: MAX_DELIVERY_ATTEMPTS },
        retryPolicy: { minimumBackoff: { seconds: 1 }, maximumBackoff: { seconds: 10 } },
      });
      subscriptions.set(consumer, { subscription, topic });
    }

    // The relay: the Firestore emulator POSTs to /functions/projects/<p>/triggers/<trigger id>; our trigger ids are the function names.
    const relay = createServer((incoming, outgoing) => {
      const triggerId = /\/triggers\/([^/?]+)/.exec(incoming.url ?? '')?.[1] ?? '';
      if (!Object.hasOwn(GCP_FUNCTIONS, triggerId)) {
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
        // The port is looked up when delivering: a hot reload may have moved the function.
        void deliverWithRetry(portOf(triggerId as GcpFunctionName), delivery).then((status) => {
          if (!stopping && (status < 200 || status >= 300)) log(`${triggerId}: a Firestore trigger event was not taken after ${TRIGGER_RETRY.attempts} deliveries (last status ${status || 'none'})`);
        });
      });
    });
    await listenLocally(relay, relayPort);
    stoppers.push(() => closeServer(relay));
    for (const [name, pattern] of Object.entries(firestoreTriggerPatterns(collections))) {
      const response = await fetch(`http://${firestore.host}/emulator/v1/projects/${LOCAL_PROJECT_ID}/eventarcTrigger?eventarcTriggerId=${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ eventType: 'google.cloud.firestore.document.v1.written', database: '(default)', namespace: '(default)', document: { value: pattern, matchType: 'PATH_PATTERN' } }),
      });
      if (!response.ok) throw new Error(`registering the Firestore trigger ${name} failed: ${response.status} ${await response.text()}`);
    }

    // Hot reload: the rebuilt functions are started anew on new ports, take over, and the old servers stop.
    const broken = new Map<GcpFunctionName, string>();
    let reloading: Promise<void> = Promise.resolve();
    if (options.watch) {
      const rebuilt = new Set<GcpFunctionName>();
      let endBuild: (() => void) | undefined;
      let restarts: Promise<void> = Promise.resolve();
      const restart = async (name: GcpFunctionName): Promise<void> => {
        const port = await freePort();
        const child = await startFunction(name, port);
        const old = running.get(name);
        running.set(name, { child, port });
        const pushed = subscriptions.get(name);
        if (pushed) await pushed.subscription.modifyPushConfig({ pushEndpoint: pushEndpoint(name, pushed.topic) });
        if (old === undefined) return;
        // Requests already sent to the old server finish first.
        retiring.add(old.child);
        setTimeout(() => void stopProcessGroup(old.child, FUNCTION_STOP_GRACE_MS).then(() => retiring.delete(old.child)), 1_000).unref();
      };
      const gcpBundles = names.map((name): [string, ReloadableBundle] => {
        const { context, metafile } = bundles.contexts[name]!;
        const counted: BuildContext = { ...context, rebuild: async () => Object.assign(await context.rebuild(), rebuilt.add(name) && {}) };
        return [GCP_FUNCTIONS[name].entry, { context: counted, ...(metafile && { metafile }) }];
      });
      const reload = startHotReload({
        serviceDir: process.cwd(),
        build: { bundles: () => gcpBundles, functions: () => names.map((name) => ({ entry: GCP_FUNCTIONS[name].entry, functionName: name })) },
        log: { notice: log, error: log },
        brokenMeans: 'answer HTTP with 500, and their triggers run the last build that built',
        report: (report) => {
          if (report.building) {
            if (endBuild !== undefined) return;
            const built = new Promise<void>((done) => (endBuild = done));
            reloading = reloading.then(() => built);
            return;
          }
          broken.clear();
          for (const name of report.broken) broken.set(name as GcpFunctionName, report.message);
          const fresh = [...rebuilt].filter((name) => !broken.has(name));
          rebuilt.clear();
          const end = endBuild;
          endBuild = undefined;
          restarts = restarts
            .then(async () => {
              if (stopping || fresh.length === 0) return;
              const started = performance.now();
              await Promise.all(fresh.map(restart));
              log(`reload: ${fresh.join(', ')} restarted in ${Math.round(performance.now() - started)} ms`);
            })
            .catch((error: unknown) => log(`reload: ${error instanceof Error ? error.message : String(error)}`));
          void restarts.then(() => end?.());
        },
      });
      stoppers.push(async () => reload.stop());
    }

    // The front door opens last: it accepts connections only once everything behind it answers.
    const engines: HealthCheck[] = [
      ['Firestore emulator', () => answers(`http://${firestore.host}/`, 2_000)],
      ['Pub/Sub emulator', () => answers(`http://${pubsubEmulator.host}/`, 2_000)],
    ];
    const functionStatus = async (pathAndQuery: string): Promise<number> =>
      (await fetch(`http://127.0.0.1:${portOf(httpFunctionFor(pathAndQuery.split('?')[0] ?? '/'))}${pathAndQuery}`, { signal: AbortSignal.timeout(5_000) })).status;
    // The shared local front door (adapters/local/front-door.ts), as under npm start and in memory mode: it
    // answers the edge itself (415, 431, 408, 413, preflights, unknown paths, `//`), and a routed request goes
    // to the function's server, read whole, its answer's Express additions dropped (functionHeaders).
    const agent = new Agent({ keepAlive: true, maxSockets: 256 });
    stoppers.push(async () => agent.destroy());
    const frontDoor = createFrontDoor({
      health: (requestId) => healthResponse([...functionChecks(functionStatus), ...engines], requestId),
      ...(options.access && { access: options.access }),
      log,
      // Dead letters and redrive through the Pub/Sub emulator (pubsub-console.ts).
      console: { spans, ...pubSubQueueConsole(pubsubEmulator.host, LOCAL_PROJECT_ID, (queue) => topics[queue]) },
      answer: async (request) => {
        // A request that arrives during a reload waits for it (bounded, as under npm start): it gets the new code, or the build's error.
        await Promise.race([reloading, delay(30_000)]);
        const buildError = broken.get(request.fn);
        if (buildError !== undefined) {
          const message = `The local build of ${request.fn} failed: ${buildError}. Fix the file and save; it reloads (see the start:gcp console).`;
          return infrastructureAnswer(500, 'LOCAL_BUILD_FAILED', message, request.requestId);
        }
        let answer: ForwardedAnswer;
        try {
          answer = await forwardRequest(portOf(request.fn), request, agent);
        } catch (error) {
          log(`front door: ${request.method} ${redactSecrets(request.url)}: ${request.fn} unreachable (${error instanceof Error ? error.message : String(error)})`);
          return infrastructureAnswer(503, 'LOCAL_SERVER_UNAVAILABLE', 'The local server is not available', request.requestId, { 'retry-after': '2' });
        }
        return frameworkRefusal(answer, request) ?? { status: answer.status, headers: functionHeaders(answer.headers), body: answer.body.toString('utf8') };
      },
    });
    await listenLocally(frontDoor, ports.frontDoor);
    stoppers.push(() => closeServer(frontDoor));
    return {
      url: `http://127.0.0.1:${ports.frontDoor}`,
      firestoreHost: firestore.host,
      pubsubHost: pubsubEmulator.host,
      deadLetters: {
        bookings: { topic: `${topics.bookings}-dead-letter`, subscription: `${topics.bookings}-dead-letter-inspect` },
        events: { topic: `${topics.events}-dead-letter`, subscription: `${topics.events}-dead-letter-inspect` },
      },
      functionPorts: () => Object.fromEntries(names.map((name) => [name, portOf(name)])) as Record<GcpFunctionName, number>,
      onFailure: (listener) => {
        failureListener = listener;
        if (failure !== undefined) listener(failure);
      },
      stop: stopAll,
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Like Promise.all, but waits for every promise first: nothing is still starting when the caller cleans up after a failure. */
async function settledAll<T extends readonly unknown[]>(promises: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Closes a server and every connection it holds (an idle keep-alive connection would hold close() open). */
const closeServer = (server: Server): Promise<void> =>
  new Promise((closed) => {
    server.close(() => closed());
    server.closeAllConnections();
  });
