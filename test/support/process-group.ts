import type { ChildProcess } from 'node:child_process';

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
