import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** Stream positions by shard id, as kept in .local-data/stream-checkpoints.json. */
export type Positions = Record<string, string>;

/**
 * Reads the checkpoint file. A missing file means "no positions yet"; a damaged one (empty, cut off,
 * not an object of strings) is reported through `warn` and read as no positions: the streams are then
 * read again from their start, which is safe because every stream and queue consumer is idempotent.
 * A damaged file must never make the stack unstartable.
 */
export function readPositions(file: string, warn: (message: string) => void): Positions {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw error;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || Object.values(parsed).some((value) => typeof value !== 'string')) {
      throw new Error('not an object of shard positions');
    }
    return parsed as Positions;
  } catch (error) {
    warn(
      `${file} is damaged (${error instanceof Error ? error.message : String(error)}); the streams are read again from their oldest record ` +
        '(consumers are idempotent, so nothing is applied twice).',
    );
    return {};
  }
}

/**
 * Replaces the file atomically: the new content goes to a temporary file, is flushed to disk, and is
 * renamed over the old one. A crash at any point leaves either the old or the new file, never a
 * truncated one (a plain writeFileSync truncates first and left an empty file after SIGKILL).
 */
export function writePositions(file: string, positions: Positions): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w');
  try {
    writeSync(fd, JSON.stringify(positions, null, 2));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
}
