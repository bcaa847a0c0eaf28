import { spawn, type ChildProcess } from 'node:child_process';

const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/**
 * Stops a child started with `detached: true` and everything it started: SIGTERM to its process
 * group, SIGKILL after `graceMs`; resolves once the child has exited.
 */
export async function stopProcessGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (child.pid === undefined || hasExited(child)) return;
  const pid = child.pid;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const signal = (name: NodeJS.Signals): void => {
    try {
      process.kill(-pid, name);
    } catch {
      // the group is already gone
    }
  };
  signal('SIGTERM');
  const forced = setTimeout(() => signal('SIGKILL'), graceMs);
  await exited;
  clearTimeout(forced);
}

/**
 * Runs `node <args>` in a process group of its own and resolves once its output contains `readyText`;
 * fails with the tail of its output (and stops the group) if it exits or stays silent for `timeoutMs`.
 */
export async function spawnNodeUntilReady(name: string, args: string[], readyText: string, timeoutMs = 20_000): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`${name} did not start within ${timeoutMs} ms:\n${output}`)), timeoutMs);
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4_000);
      if (output.includes(readyText)) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`${name} exited with ${code}:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stopProcessGroup(child);
    throw error;
  });
  return child;
}
