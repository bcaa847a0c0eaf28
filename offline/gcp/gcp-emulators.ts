import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { freePort } from '../shared/ports.js';
import { hasExited, stopProcessGroup } from '../shared/process-group.js';

/**
 * The Google Cloud emulators (Firestore, Pub/Sub) started from their jars, which the Google Cloud SDK
 * installs: ~1.7 s each instead of ~7.5 s through `gcloud emulators ... start`, and one java process
 * per emulator that we own. Each runs in a process group of its own and is stopped by group, so
 * nothing it might fork outlives it.
 */

/** The project id the emulators and clients agree on locally; any id works on the emulators. */
export const LOCAL_PROJECT_ID = 'myevents-local';

const STARTUP_TIMEOUT_MS = 60_000;
/** SIGTERM, then SIGKILL after this long: Ctrl-C must free the ports within seconds. */
const STOP_GRACE_MS = 3_000;
/** A free port is found before java binds it, so another process may take it in between: try a few. */
const PORT_ATTEMPTS = 3;

const INSTALL_HINT =
  '  with gcloud:        gcloud components install cloud-firestore-emulator pubsub-emulator\n' +
  "  Debian/Ubuntu (Google's apt repository): sudo apt-get install -y google-cloud-cli-firestore-emulator google-cloud-cli-pubsub-emulator\n" +
  '  or set CLOUDSDK_ROOT to the folder of an installed Google Cloud SDK.';

/** The Google Cloud SDK, or one of its emulators, is not installed where we looked. */
export class MissingEmulatorError extends Error {
  constructor(what: string) {
    super(`${what}\nThe local Google Cloud stack needs the Google Cloud SDK's Firestore and Pub/Sub emulators, and java 17+:\n${INSTALL_HINT}`);
    this.name = 'MissingEmulatorError';
  }
}

/** `java` is not on PATH. */
export class MissingJavaForEmulatorError extends Error {
  constructor() {
    super(
      'The Firestore and Pub/Sub emulators need Java 17 or newer, and `java` is not on PATH.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS:         brew install openjdk@17\n' +
        '  Windows:       winget install Microsoft.OpenJDK.17',
    );
    this.name = 'MissingJavaForEmulatorError';
  }
}

/** The first `gcloud` on PATH, symlinks resolved (Debian links /usr/bin/gcloud into the SDK's bin/). */
function gcloudOnPath(path: string | undefined): string | undefined {
  for (const folder of (path ?? '').split(delimiter).filter((entry) => entry.length > 0)) {
    const candidate = join(folder, 'gcloud');
    if (existsSync(candidate)) return realpathSync(candidate);
  }
  return undefined;
}

/**
 * The Google Cloud SDK's root folder: CLOUDSDK_ROOT when set, else the folder above the resolved
 * `gcloud`'s bin/, else what `gcloud info` reports (slow: it starts python). Throws
 * MissingEmulatorError, with install instructions, when none of them names an SDK.
 */
export function googleCloudSdkRoot(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['CLOUDSDK_ROOT'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const gcloud = gcloudOnPath(env['PATH']);
  if (gcloud === undefined) throw new MissingEmulatorError('The Google Cloud SDK (`gcloud`) is not on PATH.');
  const besideBin = dirname(dirname(gcloud));
  if (existsSync(join(besideBin, 'platform'))) return besideBin;
  const info = spawnSync(gcloud, ['info', '--format=value(installation.sdk_root)'], { encoding: 'utf8', env });
  const reported = info.status === 0 ? info.stdout.trim() : '';
  if (reported === '') throw new MissingEmulatorError(`\`${gcloud} info\` did not name the SDK's root folder.`);
  return reported;
}

/** The Firestore emulator's jar under an SDK root; throws MissingEmulatorError when it is not installed. */
export function firestoreEmulatorJar(sdkRoot: string): string {
  const jar = join(sdkRoot, 'platform', 'cloud-firestore-emulator', 'cloud-firestore-emulator.jar');
  if (!existsSync(jar)) throw new MissingEmulatorError(`The Firestore emulator is not installed (no ${jar}).`);
  return jar;
}

/** The Pub/Sub emulator's jar (its name carries the version) under an SDK root; throws MissingEmulatorError when absent. */
export function pubSubEmulatorJar(sdkRoot: string): string {
  const folder = join(sdkRoot, 'platform', 'pubsub-emulator', 'lib');
  const jar = existsSync(folder) ? readdirSync(folder).find((name) => /^cloud-pubsub-emulator-.*-all\.jar$/.test(name)) : undefined;
  if (jar === undefined) throw new MissingEmulatorError(`The Pub/Sub emulator is not installed (no cloud-pubsub-emulator-*-all.jar in ${folder}).`);
  return join(folder, jar);
}

function assertJava(env: NodeJS.ProcessEnv): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore', env });
  if (probe.error || probe.status !== 0) throw new MissingJavaForEmulatorError();
}

/**
 * Fails fast, with install instructions, when the SDK, either emulator or java is missing: before
 * anything is built or started.
 */
export function assertGcpEmulatorsInstalled(env: NodeJS.ProcessEnv = process.env): void {
  const root = googleCloudSdkRoot(env);
  firestoreEmulatorJar(root);
  pubSubEmulatorJar(root);
  assertJava(env);
}

/** A running emulator. */
export interface Emulator {
  /** `127.0.0.1:<port>`: the value of FIRESTORE_EMULATOR_HOST / PUBSUB_EMULATOR_HOST. */
  host: string;
  port: number;
  /** java's process id. */
  pid: number | undefined;
  /** Calls `listener` if java exits before stop() is called (a crash, a kill from outside). */
  onExit(listener: (reason: string) => void): void;
  /** Stops the emulator's process group and resolves once java has exited. */
  stop(): Promise<void>;
}

export interface FirestoreEmulator extends Emulator {
  /** Deletes every document of the project's default database. */
  reset(projectId?: string): Promise<void>;
}

export interface PubSubEmulator extends Emulator {
  /** Deletes every topic and subscription. */
  reset(): Promise<void>;
}

/** Polls `GET /` (both emulators answer "Ok") until it answers; fails early, with java's output, if java exits. */
async function waitUntilAnswering(child: ChildProcess, url: string, what: string, output: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited(child)) throw new Error(`${what} exited with code ${child.exitCode ?? child.signalCode}:\n${output()}`);
    // Both emulators answer exactly "Ok": anything else on the port is another server (the port check of
    // start:gcp runs first, but a server may bind it in between), never to be taken for the emulator.
    const body = await fetch(url, { signal: AbortSignal.timeout(2_000) }).then(
      async (response) => (response.ok ? (await response.text()).trim() : undefined),
      () => undefined,
    );
    if (body === 'Ok') {
      // A foreign server answering "Ok" while our java failed to bind: java is gone a moment later.
      await new Promise((done) => setTimeout(done, 50));
      if (!hasExited(child)) return;
    }
    if (body !== undefined && body !== 'Ok') throw new Error(`${what} could not start: another server answers on ${url} (${body.slice(0, 80)})`);
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${what} did not answer within ${STARTUP_TIMEOUT_MS / 1000} s:\n${output()}`);
}

async function startJava(
  what: string,
  args: (port: number) => string[],
  fixedPort: number | undefined,
  ownGroup: boolean,
): Promise<{ child: ChildProcess; port: number }> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= (fixedPort === undefined ? PORT_ATTEMPTS : 1); attempt += 1) {
    const port = fixedPort ?? (await freePort());
    // detached: a process group of its own, so stopProcessGroup reaches everything java starts. start:gcp
    // keeps it in its own group instead, where Ctrl-C reaches it and the group is the whole stack.
    const child = spawn('java', args(port), { detached: ownGroup, stdio: ['ignore', 'pipe', 'pipe'] });
    // Keep the tail of java's output for error messages; reading it also keeps the pipes from filling up.
    let output = '';
    const keep = (chunk: Buffer): void => void (output = (output + chunk.toString()).slice(-4_000));
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.on('error', (error) => keep(Buffer.from(String(error))));
    // If this process ends without stopping the emulator (a test run interrupted, a crash), the
    // detached java would outlive it: kill its group on the way out (synchronous, as 'exit' requires).
    const killOnExit = (): void => {
      if (child.pid !== undefined && !hasExited(child)) {
        try {
          process.kill(ownGroup ? -child.pid : child.pid, 'SIGKILL');
        } catch {
          // Already gone.
        }
      }
    };
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
    try {
      await waitUntilAnswering(child, `http://127.0.0.1:${port}/`, what, () => output);
      return { child, port };
    } catch (error) {
      lastError = error;
      await stopProcessGroup(child);
    }
  }
  throw lastError;
}

/** Calls `listener` once `child` exits, unless stopProcessGroup stops it (stopping is not failing). */
function whenExited(child: ChildProcess, listener: (reason: string) => void): void {
  child.once('exit', (code, signal) => {
    if (!stopped.has(child)) listener(`exited with ${signal ?? `code ${code}`}`);
  });
}
const stopped = new WeakSet<ChildProcess>();
const stopJava = (child: ChildProcess): Promise<void> => (stopped.add(child), stopProcessGroup(child, STOP_GRACE_MS));

async function expectOk(response: Promise<Response>, what: string): Promise<void> {
  const answer = await response;
  if (!answer.ok) throw new Error(`${what} answered ${answer.status}: ${await answer.text()}`);
}

export interface FirestoreEmulatorOptions {
  /** Fixed port (npm run start:gcp); without one, a free loopback port is picked (tests). */
  port?: number;
  /** `127.0.0.1:<port>` of the server that receives Firestore trigger CloudEvents (the relay of start:gcp). */
  functionsEmulator?: string;
  env?: NodeJS.ProcessEnv;
  /** A process group of its own (default), or the caller's (start:gcp: Ctrl-C reaches every process of the stack). */
  ownGroup?: boolean;
}

/** Starts the Firestore emulator on loopback and resolves once it answers. Data lives in memory. */
export async function startFirestoreEmulator(options: FirestoreEmulatorOptions = {}): Promise<FirestoreEmulator> {
  const functionsEmulator = options.functionsEmulator === undefined ? [] : [`--functions_emulator=${options.functionsEmulator}`];
  const main = 'com.google.cloud.datastore.emulator.firestore.CloudFirestore';
  const emulator = await startEmulator('The Firestore emulator', options, firestoreEmulatorJar, (jar, port) => ['-cp', jar, main, 'start', '--host=127.0.0.1', `--port=${port}`, ...functionsEmulator]);
  return {
    ...emulator,
    reset: (projectId = LOCAL_PROJECT_ID) =>
      expectOk(fetch(`http://${emulator.host}/emulator/v1/projects/${projectId}/databases/(default)/documents`, { method: 'DELETE' }), 'Firestore emulator reset'),
  };
}

export interface PubSubEmulatorOptions {
  port?: number;
  env?: NodeJS.ProcessEnv;
  ownGroup?: boolean;
}

/** Starts the Pub/Sub emulator on loopback and resolves once it answers. Topics and messages live in memory. */
export async function startPubSubEmulator(options: PubSubEmulatorOptions = {}): Promise<PubSubEmulator> {
  const emulator = await startEmulator('The Pub/Sub emulator', options, pubSubEmulatorJar, (jar, port) => ['-jar', jar, '--host=127.0.0.1', `--port=${port}`]);
  return { ...emulator, reset: () => expectOk(fetch(`http://${emulator.host}/reset`, { method: 'POST' }), 'Pub/Sub emulator reset') };
}

/** One emulator's java, on loopback, once it answers: the part both emulators share. */
async function startEmulator(
  what: string,
  options: { port?: number; env?: NodeJS.ProcessEnv; ownGroup?: boolean },
  jarOf: (sdkRoot: string) => string,
  javaArgs: (jar: string, port: number) => string[],
): Promise<Emulator> {
  const env = options.env ?? process.env;
  const jar = jarOf(googleCloudSdkRoot(env));
  assertJava(env);
  const { child, port } = await startJava(what, (port) => javaArgs(jar, port), options.port, options.ownGroup ?? true);
  return {
    host: `127.0.0.1:${port}`,
    port,
    pid: child.pid,
    onExit: (listener) => whenExited(child, listener),
    stop: () => stopJava(child),
  };
}
