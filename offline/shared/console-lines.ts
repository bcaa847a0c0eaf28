import { httpFunctions, type HttpFunctionName } from '../../functions/routes.js';
import { tableServing } from '../../adapters/shared/router.js';
import { redactSecrets } from '../../adapters/shared/redact.js';

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

/** The one console line of a request. */
export function accessLine(method: string, pathAndQuery: string, status: number, durationMs: number): string {
  const path = pathAndQuery.split('?')[0] ?? pathAndQuery;
  const fn = functionOfPath(path);
  return `${method} ${redactSecrets(pathAndQuery)} → ${status} in ${Math.round(durationMs)} ms${fn ? ` (${fn})` : ''}`;
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
