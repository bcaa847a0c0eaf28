/**
 * Headers on every response of the shared HTTP layer, after OWASP's REST Security Cheat Sheet for JSON
 * APIs: no MIME sniffing of a JSON body into HTML, never framed, no referrer leaked, HTTPS only
 * (browsers ignore HSTS over plain http, so the local stacks are unaffected). A CSP of `default-src 'none'`
 * keeps a body opened as a page from loading or running anything.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
};

/**
 * Errors and answers to an authenticated caller must never be stored by a shared cache (a proxy, a CDN):
 * the first may change at any moment, the second belong to one caller. Public reads keep no header, so
 * clients and caches use their own heuristics.
 */
export const NO_STORE = { 'cache-control': 'no-store' } as const;
