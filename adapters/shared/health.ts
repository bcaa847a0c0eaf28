import { functionCatalogue, type FunctionSpec } from '../../functions/catalogue.js';
import type { RawHttpRequest, RawHttpResponse } from './http-dispatch.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** Where the local modes answer which functions and engines answer (a local tool, like /openapi.json). */
export const HEALTH_PATH = '/health';

export const isHealthRequest = (request: Pick<RawHttpRequest, 'method' | 'path'>): boolean => request.method.toUpperCase() === 'GET' && request.path === HEALTH_PATH;

/**
 * One cheap read per deployed HTTP function (its `probe` in functions/catalogue.ts), answered by the
 * function itself: it answers when the status is below 500.
 */
export const functionProbes: Record<string, string> = Object.fromEntries(
  (Object.values(functionCatalogue) as FunctionSpec[]).flatMap((spec) => (spec.trigger === 'http' ? [[spec.name, spec.probe]] : [])),
);

/** A named check: resolves true when the part answers. */
export type HealthCheck = [name: string, answers: () => Promise<boolean>];

/** Runs every check at once: 200 when all answer, 503 naming the ones that do not. */
export async function healthResponse(checks: HealthCheck[], requestId: string): Promise<RawHttpResponse> {
  const results = await Promise.all(checks.map(async ([name, answers]) => [name, (await answers().catch(() => false)) ? 'ok' : 'not answering'] as const));
  const healthy = results.every(([, result]) => result === 'ok');
  return {
    status: healthy ? 200 : 503,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, ...SECURITY_HEADERS, 'cache-control': 'no-store' },
    body: JSON.stringify({ status: healthy ? 'ok' : 'failing', checks: Object.fromEntries(results) }),
  };
}

/** Checks that each HTTP function answers its probe, through `call` (returns the HTTP status). */
export const functionChecks = (call: (pathAndQuery: string) => Promise<number>): HealthCheck[] =>
  Object.entries(functionProbes).map(([name, probe]) => [name, async () => (await call(probe)) < 500]);
