/**
 * CORS, configured once for every platform and both local modes. Browsers may call the API from the
 * origins in CORS_ALLOWED_ORIGINS (comma-separated, or `*`; default `*`), never with credentials: the
 * API keeps no cookies, so there is nothing a credentialed request could add. On AWS, serverless.yml
 * declares the same policy for the HTTP API, which then answers preflights itself.
 */
export interface CorsPolicy {
  /** `*`, or the exact origins (`https://app.example.com`) allowed. */
  allowedOrigins: '*' | readonly string[];
}

/** Request headers a browser may send (preflight `Access-Control-Allow-Headers`). */
const ALLOWED_HEADERS = 'content-type, idempotency-key, authorization';
/** Response headers a browser script may read: the next page, the request id, the replay flag. */
const EXPOSED_HEADERS = 'link, x-request-id, idempotent-replayed';
/** How long a browser may cache a preflight answer, in seconds. */
const MAX_AGE_SECONDS = '600';

/** The policy from the environment (`CORS_ALLOWED_ORIGINS`). */
export function corsPolicyFromEnv(env: Record<string, string | undefined> = process.env): CorsPolicy {
  const setting = env['CORS_ALLOWED_ORIGINS']?.trim();
  if (setting === undefined || setting === '' || setting === '*') return { allowedOrigins: '*' };
  return { allowedOrigins: setting.split(',').map((origin) => origin.trim()).filter((origin) => origin.length > 0) };
}

/** `Access-Control-Allow-Origin` (and `Vary`) for a request from `origin`; none when the origin is not allowed or absent. */
function allowOrigin(policy: CorsPolicy, origin: string | undefined): Record<string, string> {
  if (policy.allowedOrigins === '*') return { 'access-control-allow-origin': '*' };
  if (origin !== undefined && policy.allowedOrigins.includes(origin)) return { 'access-control-allow-origin': origin, vary: 'origin' };
  return { vary: 'origin' };
}

/** Headers added to every answer of a request that came with an `Origin` header. */
export function corsResponseHeaders(policy: CorsPolicy, origin: string | undefined): Record<string, string> {
  if (origin === undefined) return {};
  const allowed = allowOrigin(policy, origin);
  return 'access-control-allow-origin' in allowed ? { ...allowed, 'access-control-expose-headers': EXPOSED_HEADERS } : allowed;
}

/** Headers of the answer (204) to a preflight `OPTIONS` on a path that accepts `methods`. */
export function preflightHeaders(policy: CorsPolicy, origin: string | undefined, methods: readonly string[]): Record<string, string> {
  const allow = [...methods, 'OPTIONS'].join(', ');
  const allowed = allowOrigin(policy, origin);
  if (!('access-control-allow-origin' in allowed)) return { allow, ...allowed };
  return {
    allow,
    ...allowed,
    'access-control-allow-methods': allow,
    'access-control-allow-headers': ALLOWED_HEADERS,
    'access-control-max-age': MAX_AGE_SECONDS,
  };
}
