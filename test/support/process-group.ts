import { spawn, type ChildProcess } from 'node:child_process';
import { stopProcessGroup } from '../../offline/shared/process-group.js';

/**
 * Runs `node <args>` in a process group of its own and resolves once its output contains `readyText`;
 * fails with the tail of its output (and stops the group) if it exits or stays silent for `timeoutMs`.
 */
export async function spawnNodeUntilReady(name: string, args: string[], readyText: string, timeoutMs = 20_000, where: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'], ...where });
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

/** Whether any process of the group `pid` leads still runs. */
export const groupAlive = (pid: number): boolean => {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
};
