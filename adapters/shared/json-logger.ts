import type { Logger } from '../../functions/ports.js';
import { redactSecrets } from './redact.js';
import type { HopBindable } from './trace-carriers.js';
import type { Hop } from './tracing.js';

export type Level = 'INFO' | 'WARN' | 'ERROR';
type Sink = (line: string) => void;

const RANK: Record<Level, number> = { INFO: 1, WARN: 2, ERROR: 3 };

/** How a line names its level: `level` with our names, or (Google Cloud Logging) `severity` with its own. */
export interface LevelStyle {
  key: string;
  names: Readonly<Record<Level, string>>;
}

const PLAIN_LEVELS: LevelStyle = { key: 'level', names: { INFO: 'INFO', WARN: 'WARN', ERROR: 'ERROR' } };

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

/**
 * One JSON object per line, with the fields every line shares (service, requestId, and the traceId and
 * spanId of the hop it is bound to: trace-carriers.ts `bindLogger`), written only from `minLevel` up.
 * A class rather than closures: the trigger adapters bind one view of it per hop, a small object each.
 */
class JsonLogger implements Logger, HopBindable {
  constructor(
    private readonly shared: Record<string, unknown>,
    private readonly sink: Sink,
    private readonly minRank: number,
    private readonly style: LevelStyle,
    readonly boundHop?: Hop,
  ) {}

  /**
   * A logger of its own rather than a view (trace-carriers.ts `hopView`): the platforms make a logger per
   * invocation, and an object made a prototype once per request costs V8 more than the request's trace context.
   */
  forHop(hop: Hop): this {
    return new JsonLogger(this.shared, this.sink, this.minRank, this.style, hop) as this;
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.write('INFO', message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.write('WARN', message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.write('ERROR', message, fields);
  }

  private write(level: Level, message: string, fields: Record<string, unknown> | undefined): void {
    if (RANK[level] < this.minRank) return;
    const hop = this.boundHop;
    // The trace and span of the hop the line is written in, so a trace's lines can be found.
    const trace = hop === undefined ? undefined : { traceId: hop.context.traceId, spanId: hop.context.spanId };
    this.sink(redactSecrets(JSON.stringify({ [this.style.key]: this.style.names[level], time: new Date().toISOString(), message, ...this.shared, ...trace, ...fields })));
  }
}

/** A JSON logger (JsonLogger). Used on every platform (on AWS since Powertools Logger was dropped: see adapters/aws/logger.ts). */
export const jsonLogger = (shared: Record<string, unknown>, sink: Sink = (line) => process.stdout.write(`${line}\n`), minLevel: Level = 'INFO', style: LevelStyle = PLAIN_LEVELS): Logger =>
  new JsonLogger(shared, sink, RANK[minLevel], style);

/** For tests and benchmarks that must stay quiet. */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
