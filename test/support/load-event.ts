import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join, relative, sep } from 'node:path';

/** The repository's `events/` folder: real, sanitised trigger payloads. */
const EVENTS_DIR = fileURLToPath(new URL('../../events/', import.meta.url));

const parsedFiles = new Map<string, unknown>();

/**
 * Reads `events/<relativePath>` (e.g. `aws/sqs/bookings-queue-batch.json`) as JSON. Each file is parsed
 * once; every call returns a deep copy, so a test may change its payload without affecting any other test.
 * The type parameter is the caller's claim about the file; guards or schemas check it where it matters.
 */
export function loadEvent<T>(relativePath: string): T {
  let parsed = parsedFiles.get(relativePath);
  if (parsed === undefined) {
    parsed = JSON.parse(readFileSync(join(EVENTS_DIR, relativePath), 'utf8')) as unknown;
    parsedFiles.set(relativePath, parsed);
  }
  return structuredClone(parsed) as T;
}

/** Every JSON file under `events/<platform>/`, as sorted paths relative to `events/` with `/` separators. */
export function listEventFiles(platform: string): string[] {
  return readdirSync(join(EVENTS_DIR, platform), { recursive: true, encoding: 'utf8' })
    .filter((entry) => entry.endsWith('.json'))
    .map((entry) => relative(EVENTS_DIR, join(EVENTS_DIR, platform, entry)).split(sep).join('/'))
    .sort();
}
