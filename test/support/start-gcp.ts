import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { freePort } from '../../offline/shared/ports.js';
import { startEngine } from './engine-start.js';
import { groupAlive } from './process-group.js';

/** `npm run start:gcp` (offline/gcp/start-gcp.ts) as a user runs it, in its own process group, on free loopback ports. */
export interface StartedGcp {
  baseUrl: string;
  process: ChildProcess;
  output(): string;
  /** True while the start process runs (it exits, code 1, when any part of the stack dies). */
  running(): boolean;
  /** SIGTERM to the whole group (SIGKILL after 30 s), then its build folder removed. */
  stop(): Promise<void>;
}

const tsx = createRequire(import.meta.url).resolve('tsx/cli');

export const startGcpCommand = (): Promise<StartedGcp> =>
  startEngine('npm run start:gcp (Firestore and Pub/Sub emulators of the Google Cloud SDK, java)', async () => {
    const ports = ['--http-port', await freePort(), '--firestore-port', await freePort(), '--pubsub-port', await freePort()].map(String);
    // Its own build folder: other test files build dist/gcp-* side by side.
    const outDir = `dist/gcp-start-${randomUUID().slice(0, 8)}`;
    const child = spawn(process.execPath, [tsx, 'offline/gcp/start-gcp.ts', ...ports, '--out-dir', outDir], { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2_000_000)));
    child.stderr!.on('data', (chunk: Buffer) => (output = (output + chunk.toString()).slice(-2_000_000)));
    const pid = child.pid!;
    const stop = async (): Promise<void> => {
      if (groupAlive(pid)) process.kill(-pid, 'SIGTERM');
      const deadline = Date.now() + 30_000;
      while (groupAlive(pid)) {
        if (Date.now() > deadline) process.kill(-pid, 'SIGKILL');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      rmSync(outDir, { recursive: true, force: true });
    };
    const deadline = Date.now() + 240_000;
    while (!output.includes('is running at')) {
      if (child.exitCode !== null || Date.now() > deadline) {
        await stop();
        throw new Error(`start:gcp did not come up:\n${output.slice(-4000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return {
      baseUrl: `http://127.0.0.1:${ports[1]}`,
      process: child,
      output: () => output,
      running: () => child.exitCode === null && child.signalCode === null,
      stop,
    };
  });
