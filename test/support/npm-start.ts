import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { freePort } from '../../offline/shared/ports.js';
import { startEngine } from './engine-start.js';
import { groupAlive } from './process-group.js';

/** `npm start` (offline/aws/start.ts) as a user runs it, in its own process group, on free loopback ports. */
export interface StartedStack {
  baseUrl: string;
  process: ChildProcess;
  output(): string;
  /** Resolves with the exit code once the start process has exited. */
  exited: Promise<number | null>;
  /** Signals the whole process group (start, sls offline and its workers, java) and waits until all are gone. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

const tsx = createRequire(import.meta.url).resolve('tsx/cli');

/** `cwd`: another copy of the project (the hot reload test edits sources in a temporary copy). */
export const startStack = (dataDir: string, env: Record<string, string> = {}, cwd?: string): Promise<StartedStack> =>
  startEngine('npm start (DynamoDB Local with java, local SQS, sls offline)', () => startNpmStart(dataDir, env, cwd));

async function startNpmStart(dataDir: string, env: Record<string, string>, cwd: string | undefined): Promise<StartedStack> {
  const [httpPort, lambdaPort, dynamodbPort, sqsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const ports = ['--http-port', httpPort, '--lambda-port', lambdaPort, '--dynamodb-port', dynamodbPort, '--sqs-port', sqsPort].map(String);
  const child = spawn(process.execPath, [tsx, 'offline/aws/start.ts', '--data-dir', dataDir, ...ports], {
    detached: true, // its own process group: one signal reaches every process of the stack
    ...(cwd ? { cwd } : {}),
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const pid = child.pid!;
  const kill = async (signal: NodeJS.Signals): Promise<void> => {
    if (groupAlive(pid)) process.kill(-pid, signal);
    const deadline = Date.now() + 30_000;
    while (groupAlive(pid)) {
      if (Date.now() > deadline) process.kill(-pid, 'SIGKILL');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const deadline = Date.now() + 180_000;
  while (!output.includes('MyEvents is running')) {
    if (child.exitCode !== null || Date.now() > deadline) {
      await kill('SIGKILL');
      throw new Error(`npm start did not come up:\n${output.slice(-4000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { baseUrl: `http://127.0.0.1:${httpPort}`, process: child, output: () => output, exited, kill };
}

/** Polls until `check` returns a value other than undefined, or fails with what it last saw. */
export async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000, context: () => string = () => ''): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}${last ? ` (last error: ${String(last)})` : ''}\n${context().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
