import { createInterface } from 'node:readline';
import { spawn, type ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { createSqsServer } from 'local-aws-sqs';
import { killAndWait, startDynamoDbLocal } from './dynamodb-local.js';
import { freePort } from '../shared/ports.js';
import { offlineConsole } from '../shared/console-lines.js';
import { startEdgeProxy, type EdgeProxy } from '../shared/edge-proxy.js';
import { isBuildReport, type BuildReport } from '../shared/hot-reload.js';
import { isSpanBatch } from '../shared/span-export.js';
import { markDeadLetter } from '../shared/span-receive.js';
import { SpanStore } from '../../adapters/local/span-store.js';
import { SQSClient } from '@aws-sdk/client-sqs';
import { sqsQueueConsole } from './sqs-console.js';

export { MissingJavaError } from './dynamodb-local.js';
export { freePort } from '../shared/ports.js';

const serverlessBin = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');

export interface LocalStackOptions {
  httpPort: number;
  lambdaPort: number;
  dynamodbPort: number;
  sqsPort: number;
  /** Where DynamoDB Local keeps its data and the stream pollers their checkpoints. */
  dataDir: string;
  /** Print the children's output (npm start) or keep it for diagnostics (tests). */
  output: 'inherit' | 'capture';
  /** npm start --verbose: also serverless-offline's own lines per invocation (console-lines.ts). */
  verbose?: boolean;
  /** Extra environment for sls offline (tests: OFFLINE_SQS_VISIBILITY_TIMEOUT). */
  env?: Record<string, string>;
}

export interface LocalStack {
  baseUrl: string;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  /** What sls offline printed (output 'capture' only). */
  output(): string;
  /** Stops sls offline, the SQS server and DynamoDB Local, and waits for each. */
  stop(): Promise<void>;
  /**
   * Calls `listener` once if sls offline or DynamoDB Local dies on its own. Whoever started the stack
   * then stops the rest: a stack with HTTP but no database (or no triggers) would only answer wrongly.
   */
  onFailure(listener: (message: string) => void): void;
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const failure = failed();
    if (failure) throw new Error(`${what} failed to start: ${failure}`);
    if (await check().catch(() => false)) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
}

/**
 * Starts DynamoDB Local (java), an SQS-compatible server (local-aws-sqs, in this process),
 * `sls offline start --stage local` and the edge proxy in front of it, and resolves once HTTP answers. Tables and queues are created
 * from serverless.yml by the offline-streams plugin.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const dataDir = resolve(options.dataDir);
  const dynamodb = await startDynamoDbLocal({ port: options.dynamodbPort, dataDir: resolve(dataDir, 'dynamodb') });
  const sqsEndpoint = `http://127.0.0.1:${options.sqsPort}`;
  let sqsServer: Server | undefined;
  let offline: ChildProcess | undefined;
  let edge: EdgeProxy | undefined;
  let captured = '';
  let stopping = false;
  // The spans of the last 1,000 traces, sent by sls offline's process (offline/shared/span-export.ts), for the local console.
  const spans = new SpanStore();
  // The latest build report of sls offline's hot reload: broken functions answer 500 at the edge, and
  // requests wait while a rebuild runs (bounded: a lost report must not hang the edge).
  let build: BuildReport | undefined;
  let buildDone: (() => void) | undefined;
  let buildFinished: Promise<void> = Promise.resolve();
  const settledBuild = async (): Promise<BuildReport | undefined> => {
    if (build?.building) await Promise.race([buildFinished, new Promise((done) => setTimeout(done, 30_000).unref())]);
    return build;
  };

  const consoleSqs = new SQSClient({ endpoint: sqsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  const stop = async (): Promise<void> => {
    stopping = true;
    await edge?.close();
    consoleSqs.destroy();
    // serverless-offline shuts its Lambda workers down on SIGINT, as on Ctrl-C.
    if (offline) await killAndWait(offline, 'SIGINT', 10_000);
    await new Promise<void>((done) => (sqsServer ? sqsServer.close(() => done()) : done()));
    await dynamodb.stop();
  };

  try {
    sqsServer = await createSqsServer({ port: options.sqsPort, hostname: '127.0.0.1' });
    // sls offline listens behind our edge proxy (see edge-proxy.ts), on a port of its own.
    const offlineHttpPort = await freePort();
    // node itself, not npx: a signal to npx would not reach the framework it started.
    offline = spawn(
      process.execPath,
      [serverlessBin, 'offline', 'start', '--stage', 'local', '--httpPort', String(offlineHttpPort), '--lambdaPort', String(options.lambdaPort)],
      {
        // The IPC channel carries the hot reload's build reports (offline/shared/hot-reload.ts).
        stdio: ['pipe', 'pipe', 'pipe', 'ipc'],
        env: {
          ...process.env,
          AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
          AWS_ENDPOINT_URL_SQS: sqsEndpoint,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_REGION: 'us-east-1',
          LOCAL_SQS_URL: sqsEndpoint,
          LOCAL_DATA_DIR: dataDir,
          // Every Lambda worker would repeat the SDK's "node 20 support ends" notice; README says it once.
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          // Lets sls offline stop DynamoDB Local and itself if this process dies (offline/aws/parent-watchdog.ts).
          LOCAL_STACK_DYNAMODB_PID: String(dynamodb.pid ?? ''),
          ...options.env,
        },
      },
    );
    offline.on('message', (message) => {
      if (isSpanBatch(message)) return void message.spans.forEach((span) => spans.add(markDeadLetter(span)));
      if (!isBuildReport(message)) return;
      if (message.building && !build?.building) buildFinished = new Promise((done) => (buildDone = done));
      build = message;
      if (!message.building) buildDone?.();
    });
    // The tail only: npm start may run for days.
    const keep = (chunk: Buffer): void => void (captured = (captured + chunk.toString()).slice(-1_000_000));
    offline.stdout?.on('data', keep);
    offline.stderr?.on('data', keep);
    const shown = offlineConsole({ verbose: options.verbose ?? false });
    if (options.output === 'inherit') {
      // One line per request is the edge proxy's (console-lines.ts); serverless-offline reports invocations
      // on stderr and the functions log on stdout: both are filtered.
      createInterface({ input: offline.stdout! }).on('line', (line) => shown.show(line, console.log));
      createInterface({ input: offline.stderr! }).on('line', (line) => shown.show(line, console.error));
    }
    const baseUrl = `http://127.0.0.1:${options.httpPort}`;
    try {
      // Asked of sls offline itself, not through the edge, which would log every refused attempt.
      await waitFor('sls offline', async () => (await fetch(`http://127.0.0.1:${offlineHttpPort}/map`)).status < 500, 180_000, () =>
        offline?.exitCode !== null ? `exited with code ${offline?.exitCode}\n${captured.slice(-4000)}` : undefined,
      );
    } catch (error) {
      if (options.output === 'inherit') shown.startFailed();
      throw error;
    }
    // Only now does the HTTP port open (issue 18): a client that waits for it, or polls it, gets a
    // function's answer and never a 503, and nothing is printed per refused attempt. The banner
    // (offline/aws/start.ts) is printed before any connection is served: from the listen callback to
    // the banner only promise continuations run, and node accepts connections only between I/O events.
    edge = await startEdgeProxy({
      port: options.httpPort,
      upstreamPort: offlineHttpPort,
      engines: { 'DynamoDB Local': dynamodb.endpoint, SQS: sqsEndpoint },
      log: (message) => (options.output === 'inherit' ? console.error(message) : (captured += `${message}\n`)),
      access: (line) => (options.output === 'inherit' ? console.log(line) : (captured += `${line}\n`)),
      build: settledBuild,
      // The queues' depth and dead letters, asked of the SQS server above (names as serverless.yml's `local` stage gives them).
      console: { spans, ...sqsQueueConsole(consoleSqs, (queue) => `myevents-local-${queue}`) },
    });
    shown.started();
    const running = offline;
    const onFailure = (listener: (message: string) => void): void => {
      let reported = false;
      const report = (message: string): void => {
        if (stopping || reported) return;
        reported = true;
        listener(message);
      };
      running.once('exit', (code, signal) => report(`sls offline exited with ${signal ?? `code ${code}`}`));
      dynamodb.onUnexpectedExit((reason) => report(`DynamoDB Local ${reason}`));
    };
    return { baseUrl, dynamodbEndpoint: dynamodb.endpoint, sqsEndpoint, output: () => captured, stop, onFailure };
  } catch (error) {
    await stop();
    throw error;
  }
}
