import type { ChildProcess } from 'node:child_process';

/** Whether a child process has exited (by code or by signal). */
export const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/**
 * Stops a child and, when it was started with `detached: true`, everything it started (java's own
 * children): SIGTERM to its process group (to the child alone when it shares ours), SIGKILL after
 * `graceMs`; resolves once the child has exited.
 */
export async function stopProcessGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // No group of its own (it shares ours), or the group is already gone: the child alone.
      child.kill(signal);
    }
  };
  signalGroup('SIGTERM');
  const forced = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  await exited;
  clearTimeout(forced);
}
