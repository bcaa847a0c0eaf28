import { httpFunctions, type HttpFunctionName } from '../../functions/routes.js';
import { tableServing } from '../../adapters/shared/router.js';
import { redactSecrets } from '../../adapters/shared/redact.js';
import { HOP_ATTRIBUTES } from '../../adapters/shared/tracing.js';
import type { LocalSpan } from '../../adapters/local/span-store.js';

/**
 * What `npm start` prints per request: one line, `POST /events → 201 in 12 ms (eventsApi)`, written by
 * the edge proxy. serverless-offline's own three to five lines per invocation (the route, the
 * function's JSON log line, the RequestId/Duration report) are left out unless `--verbose`; warnings,
 * errors and everything else it prints stay.
 */

/**
 * The deployed function that serves `path`, if any (the router's tableServing). A path whose parameter
 * is not valid URL encoding (`/locations/%`) is still that function's path: it must not escape here,
 * where it once ended `npm start`.
 */
export function functionOfPath(path: string): HttpFunctionName | undefined {
  return tableServing(httpFunctions, path);
}

/**
 * `trace 3f2a9c1e`: the first 8 hex digits of trace ids, enough to find the trace on the local console
 * (`/_local/`) and in the JSON log lines; empty without any.
 */
export function traceNote(traceIds: Iterable<string | undefined>): string {
  const short = [...new Set([...traceIds].filter((id): id is string => id !== undefined).map((id) => id.slice(0, 8)))];
  if (short.length === 0) return '';
  return short.length <= 3 ? ` [trace ${short.join(', ')}]` : ` [trace ${short.slice(0, 3).join(', ')} and ${short.length - 3} more]`;
}

/** The one console line of a request. */
export function accessLine(method: string, pathAndQuery: string, status: number, durationMs: number, traceId?: string): string {
  const path = pathAndQuery.split('?')[0] ?? pathAndQuery;
  const fn = functionOfPath(path);
  return `${method} ${redactSecrets(pathAndQuery)} → ${status} in ${Math.round(durationMs)} ms${fn ? ` (${fn})` : ''}${traceNote([traceId])}`;
}

/**
 * start:gcp's one line per trigger hop (a Firestore change or a Pub/Sub delivery), from the hop's span:
 *   `bookingsOutbox: bookingsOutbox insert, ok in 14 ms [trace 3f2a9c1e]`
 *   `eventsConsumer: process events, failed in 3 ms (delivery 5, dead-lettered) [trace 3f2a9c1e]`
 * (npm start's say more, offline/aws/invocation-lines.ts: its runner holds the records; here functions-framework does.)
 */
export function hopLine(span: Pick<LocalSpan, 'function' | 'name' | 'status' | 'durationMs' | 'traceId' | 'attributes'>): string {
  const attempt = Number(span.attributes[HOP_ATTRIBUTES.attempt] ?? 1);
  const notes = [...(attempt > 1 ? [`delivery ${attempt}`] : []), ...(span.attributes[HOP_ATTRIBUTES.deadLettered] === true ? ['dead-lettered'] : [])];
  const ended = `${span.status === 'error' ? 'failed' : 'ok'} in ${Math.round(span.durationMs)} ms${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
  return `${span.function}: ${span.name}, ${ended}${traceNote([span.traceId])}`;
}

const ROUTE_LINE = /^(ANY|GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/\S* \(λ: \w+\)$/;
const REPORT_LINE = /^\(λ: \w+\) RequestId: [\w-]+\s+Duration: /;
/** A function's INFO line: `level` from the shared JSON logger (AWS), `severity` from the Cloud Logging one (GCP). */
const INFO_JSON_LINE = /^\{"(level|severity)":"INFO",/;

/** Whether a line of serverless-offline's output only repeats what the one access line says. */
export function isPerInvocationNoise(line: string): boolean {
  const trimmed = line.trim();
  // serverless-offline frames each invocation with blank lines.
  return trimmed === '' || ROUTE_LINE.test(trimmed) || REPORT_LINE.test(trimmed) || INFO_JSON_LINE.test(trimmed);
}

/** The plugin's startup line naming a stream or queue trigger (`offline-queues: bookingsConsumer <- …`). */
export const isTriggerLine = (line: string): boolean => /^offline-(streams|queues): \w+ <- /.test(line.trim());

/** A line that warns or reports an error (a damaged checkpoint file, a failed provisioning): always shown. */
export const isWarningLine = (line: string): boolean => /warn|error|fail|damaged|✖|×/i.test(line);

/**
 * What `npm start` shows of sls offline's output. Until the functions answer, lines are kept back (and
 * shown, on stderr, only if the start fails), except the lines naming each trigger and any warning:
 * the console before the banner is what a person needs. Then everything but the per-invocation noise.
 * `--verbose` shows every line at once.
 */
export function offlineConsole(options: { verbose: boolean }) {
  let ready = false;
  const heldBack: string[] = [];
  return {
    show(raw: string, write: (line: string) => void): void {
      // serverless-offline's own lines name the requested URL too (`--verbose`, its errors): redacted like ours.
      const line = redactSecrets(raw);
      if (options.verbose) return write(line);
      if (!ready && !isTriggerLine(line) && !isWarningLine(line)) return void heldBack.push(line);
      if (!isPerInvocationNoise(line)) write(line);
    },
    started(): void {
      ready = true;
      heldBack.length = 0;
    },
    startFailed(write: (line: string) => void = (line) => console.error(line)): void {
      for (const line of heldBack) write(line);
    },
  };
}
