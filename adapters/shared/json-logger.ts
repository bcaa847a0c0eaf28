import type { Logger } from '../../functions/ports.js';
import { redactSecrets } from './redact.js';
import { currentHop } from './tracing.js';

export type Level = 'INFO' | 'WARN' | 'ERROR';
type Sink = (line: string) => void;

const RANK: Record<Level, number> = { INFO: 1, WARN: 2, ERROR: 3 };

/**
 * The lowest level written, from the first of `names` set in the environment (DEBUG and TRACE read as
 * INFO, the lowest level the port has; unknown values too, so a typo never hides errors).
 */
export function levelFromEnv(names: readonly string[], env: Record<string, string | undefined> = process.env): Level {
  for (const name of names) {
    const value = env[name]?.trim().toUpperCase();
    if (value === undefined || value === '') continue;
    if (value === 'WARN' || value === 'WARNING') return 'WARN';
    if (value === 'ERROR' || value === 'FATAL' || value === 'CRITICAL') return 'ERROR';
    return 'INFO';
  }
  return 'INFO';
}

const skip = (): void => undefined;

/** The trace and span of the hop the line is written in (tracing.ts), so a trace's lines can be found. */
function traceFields(): { traceId?: string; spanId?: string } {
  const hop = currentHop();
  return hop === undefined ? {} : { traceId: hop.context.traceId, spanId: hop.context.spanId };
}

/**
 * One JSON object per line, with the fields every line shares (service, requestId, and the traceId and
 * spanId of the hop it is written in), written only from
 * `minLevel` up: a line below it costs one call to a no-op. Used on every platform (on AWS since
 * Powertools Logger was dropped: see adapters/aws/logger.ts).
 */
export function jsonLogger(shared: Record<string, unknown>, sink: Sink = (line) => process.stdout.write(`${line}\n`), minLevel: Level = 'INFO'): Logger {
  const writer =
    (level: Level) =>
    (message: string, fields?: Record<string, unknown>): void =>
      sink(redactSecrets(JSON.stringify({ level, time: new Date().toISOString(), message, ...shared, ...traceFields(), ...fields })));
  const at = (level: Level) => (RANK[level] >= RANK[minLevel] ? writer(level) : skip);
  return { info: at('INFO'), warn: at('WARN'), error: at('ERROR') };
}

/** For tests and benchmarks that must stay quiet. */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
