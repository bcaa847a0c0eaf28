import type { ChildProcess } from 'node:child_process';

/** Whether a child process has exited (by code or by signal). */
export const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

/**
 * Stops a child started with `detached: true` and everything it started (java's own children, a
 * functions-framework server): SIGTERM to its process group, SIGKILL after `graceMs`; resolves once
 * the child has exited.
 */
export async function stopProcessGroup(child: ChildProcess, graceMs = 5_000): Promise<void> {
  if (hasExited(child) || child.pid === undefined) return;
  const pid = child.pid;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const signalGroup = (signal: NodeJS.Signals): void => {
    try {
      process.kill(-pid, signal);
    } catch {
      // The group is already gone.
    }
  };
  signalGroup('SIGTERM');
  const forced = setTimeout(() => signalGroup('SIGKILL'), graceMs);
  await exited;
  clearTimeout(forced);
}
