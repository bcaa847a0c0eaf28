import { appendFileSync } from 'node:fs';
import { expect } from 'vitest';

/**
 * Starts an engine a test file needs (DynamoDB Local, an emulator, a whole local stack). When it does not
 * start, the file's tests cannot run: vitest reports them skipped, and scripts/test.mjs fails the run on
 * any skipped test. This names the engine for that report: it appends one JSON line (engine, test file,
 * the error's first line) to the file named by MYEVENTS_ENGINE_FAILURES, which scripts/test.mjs sets and
 * reads, and rethrows with the engine's name in front.
 */
export async function startEngine<T>(engine: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
    const record = process.env['MYEVENTS_ENGINE_FAILURES'];
    if (record !== undefined && record !== '') {
      // One short line per failure: appends of this size from parallel workers do not interleave.
      appendFileSync(record, `${JSON.stringify({ engine, file: expect.getState().testPath ?? 'unknown test file', reason })}\n`);
    }
    throw new Error(`${engine} did not start: ${reason}`, { cause: error });
  }
}
