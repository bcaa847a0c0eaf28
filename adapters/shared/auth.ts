import { createLocalJWKSet, createRemoteJWKSet, decodeJwt, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ADMIN_SCOPE } from '../../functions/http/caller.js';
import type { Access, Caller } from '../../functions/http/contract.js';
import { ForbiddenError, InvalidRequestError, UnauthenticatedError } from '../../functions/errors.js';

/**
 * Bearer-token authentication, once for every platform: AWS (behind its JWT authorizer, checked again
 * here so every platform behaves the same), Azure, GCP, memory mode and `npm start`. Verification is jose's
 * (signature, `exp`/`nbf`, issuer, audience); we only read the caller out of the verified claims.
 */
export interface AuthConfig {
  issuer: string;
  audience: string;
  /** The issuer's public keys: a remote JWKS (deployments) or an inline one (the local stacks). */
  keys: JWTVerifyGetKey;
}

/** Asymmetric algorithms only: a JWKS holds public keys, and an `alg: none` or HMAC token must never pass. */
const ALGORITHMS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'];

/** Tolerated clock difference between the issuer and us, as most issuers' own libraries allow. */
const CLOCK_TOLERANCE_SECONDS = 30;

/**
 * The configuration in the environment: `AUTH_ISSUER`, `AUTH_AUDIENCE`, and the keys either as
 * `AUTH_JWKS_URL` (the issuer's JWKS endpoint, fetched and cached by jose) or `AUTH_JWKS` (the key set
 * itself as JSON, how the local stacks trust their development key). Undefined when incomplete:
 * protected routes then refuse every request (fail closed), see authenticate().
 */
export function authConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AuthConfig | undefined {
  const issuer = env['AUTH_ISSUER'];
  const audience = env['AUTH_AUDIENCE'];
  const jwksUrl = env['AUTH_JWKS_URL'];
  const jwks = env['AUTH_JWKS'];
  if (!issuer || !audience) return undefined;
  if (jwksUrl) return { issuer, audience, keys: createRemoteJWKSet(new URL(jwksUrl)) };
  if (jwks) return { issuer, audience, keys: createLocalJWKSet(JSON.parse(jwks) as JSONWebKeySet) };
  return undefined;
}

const spaceSeparated = (value: string): string[] => value.split(' ').filter((scope) => scope.length > 0);

/**
 * The scopes granted, one reading per claim: `scope` is a space-separated string (RFC 8693 §4.2); `scp`
 * a string or an array of strings (as Entra ID and Okta issue it). Any other shape grants nothing, so a
 * `scope: ["admin"]` array is not read as admin.
 */
export function scopesOf(payload: JWTPayload): string[] {
  const { scope, scp } = payload;
  const granted = typeof scope === 'string' ? spaceSeparated(scope) : [];
  if (typeof scp === 'string') granted.push(...spaceSeparated(scp));
  else if (Array.isArray(scp) && scp.every((entry) => typeof entry === 'string')) granted.push(...(scp as string[]));
  return [...new Set(granted)];
}

/** What a rejected token is told: never the token, never the claims, only which check failed. */
function describeRejection(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'The token has expired';
  if (error instanceof errors.JWTClaimValidationFailed) return `The token's "${error.claim}" claim is not accepted`;
  if (error instanceof errors.JWSSignatureVerificationFailed || error instanceof errors.JWKSNoMatchingKey) return 'The token is not signed by a trusted key';
  if (error instanceof errors.JOSEAlgNotAllowed) return "The token's algorithm is not accepted";
  return 'The token is malformed';
}

/**
 * Tokens already verified, by their exact text (signature included), per configuration, until they expire.
 * A warm instance sees the same callers' tokens again and again, and each signature check costs about a
 * millisecond of CPU (ES256 on our machines): under 200 concurrent bookings in one process that was the
 * difference between answering and timing out. jose keeps no such cache; a bounded Map is all it takes.
 */
const verifiedTokens = new WeakMap<AuthConfig, Map<string, { caller: Caller; expiresAtMs: number }>>();
const MAX_CACHED_TOKENS = 1_000;

function cachedCaller(config: AuthConfig, token: string): Caller | undefined {
  const entry = verifiedTokens.get(config)?.get(token);
  if (entry === undefined) return undefined;
  if (Date.now() < entry.expiresAtMs) return entry.caller;
  verifiedTokens.get(config)?.delete(token);
  return undefined;
}

function remember(config: AuthConfig, token: string, caller: Caller, expiresAtSeconds: number): void {
  let cache = verifiedTokens.get(config);
  if (cache === undefined) verifiedTokens.set(config, (cache = new Map()));
  // Insertion order: the first key is the oldest entry.
  if (cache.size >= MAX_CACHED_TOKENS) cache.delete(cache.keys().next().value ?? '');
  cache.set(token, { caller, expiresAtMs: expiresAtSeconds * 1000 });
}

/**
 * Tokens that failed verification, by their exact text, so a repeated bad token costs a Map lookup, not a
 * signature check (a forged token cost ~180 µs of CPU every time). Bounded in entries (oldest dropped
 * first) and in time: FAILURE_MEMORY_MS, never past the token's own `exp`, and never past the moment a
 * token refused for being early (`nbf`, `iat`) could become valid.
 */
const failedTokens = new WeakMap<AuthConfig, Map<string, { error: UnauthenticatedError; untilMs: number }>>();
const MAX_REMEMBERED_FAILURES = 1_000;
/** As long as jose waits before fetching a remote JWKS again: a token of a newly published key is not refused for longer. */
const FAILURE_MEMORY_MS = 30_000;

function rememberedFailure(config: AuthConfig, token: string): UnauthenticatedError | undefined {
  const failures = failedTokens.get(config);
  const entry = failures?.get(token);
  if (entry === undefined) return undefined;
  if (Date.now() < entry.untilMs) return entry.error;
  failures?.delete(token);
  return undefined;
}

function rememberFailure(config: AuthConfig, token: string, error: UnauthenticatedError): void {
  const now = Date.now();
  let untilMs = now + FAILURE_MEMORY_MS;
  let claims: JWTPayload = {};
  try {
    claims = decodeJwt(token); // unverified: only ever shortens how long the failure is remembered
  } catch {
    // Not a JWT at all: it stays refused for the full time.
  }
  for (const [claim, value] of Object.entries({ exp: claims.exp, nbf: claims.nbf, iat: claims.iat })) {
    if (typeof value !== 'number') continue;
    const momentMs = (claim === 'exp' ? value : value - CLOCK_TOLERANCE_SECONDS) * 1000;
    if (momentMs > now) untilMs = Math.min(untilMs, momentMs);
  }
  let failures = failedTokens.get(config);
  if (failures === undefined) failedTokens.set(config, (failures = new Map()));
  if (failures.size >= MAX_REMEMBERED_FAILURES) failures.delete(failures.keys().next().value ?? '');
  failures.set(token, { error, untilMs });
}

/** The token of an `Authorization: Bearer <token>` header; 400 for two headers (or a comma-joined one), 401 for anything else malformed. */
function bearerTokenOf(authorization: string): string {
  // Platforms join a repeated header with ", " (AWS, Azure, our node adapters): no token holds a comma.
  if (authorization.includes(',')) throw new InvalidRequestError('Send one Authorization header with one bearer token');
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(authorization);
  if (!match?.[1]) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"', 'invalid_request');
  return match[1];
}

async function verifiedPayload(config: AuthConfig, token: string): Promise<JWTPayload> {
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, config.keys, {
      issuer: config.issuer,
      audience: config.audience,
      algorithms: ALGORITHMS,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['sub', 'exp'],
    }));
  } catch (error) {
    // A JWKS endpoint that cannot be reached is our failure, not the caller's: it stays a 500.
    if (error instanceof errors.JOSEError && !(error instanceof errors.JWKSTimeout)) {
      throw new UnauthenticatedError(describeRejection(error), 'invalid_token');
    }
    throw error;
  }
  if (typeof payload.sub !== 'string' || payload.sub.length === 0) throw new UnauthenticatedError('The token names no subject', 'invalid_token');
  // jose checks `iat` only with maxTokenAge (which would make `iat` required): a token issued in the future is refused here.
  if (typeof payload.iat === 'number' && payload.iat > Date.now() / 1000 + CLOCK_TOLERANCE_SECONDS) {
    throw new UnauthenticatedError('The token\'s "iat" claim is not accepted', 'invalid_token');
  }
  return payload;
}

/** The caller of a verified `Authorization: Bearer <token>` header; UnauthenticatedError otherwise. */
export async function verifyBearer(config: AuthConfig, authorization: string): Promise<Caller> {
  const token = bearerTokenOf(authorization);
  const cached = cachedCaller(config, token);
  if (cached !== undefined) return cached;
  const failure = rememberedFailure(config, token);
  if (failure !== undefined) throw failure;
  let payload: JWTPayload;
  try {
    payload = await verifiedPayload(config, token);
  } catch (error) {
    if (error instanceof UnauthenticatedError) rememberFailure(config, token, error);
    throw error;
  }
  const caller = { subject: payload.sub as string, scopes: scopesOf(payload) };
  // `exp` is required above; kept only until then, without the clock tolerance jose allowed.
  if (typeof payload.exp === 'number') remember(config, token, caller, payload.exp);
  return caller;
}

/**
 * Who is calling a route with this access, checked before the handler runs: 401 without a valid token,
 * 403 without the admin scope on an admin route. A public route never reads `Authorization` (no handler
 * of one needs a caller, and verifying a token nobody needs would let anyone spend our CPU). Without
 * configuration a protected route throws a plain Error (logged, 500): never open access.
 */
export async function authenticate(access: Access, authorization: string | undefined, config: AuthConfig | undefined): Promise<Caller | undefined> {
  if (access === 'public') return undefined;
  if (config === undefined) {
    throw new Error('Authentication is not configured (set AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL or AUTH_JWKS): refusing a protected route');
  }
  if (authorization === undefined) throw new UnauthenticatedError('A bearer token is required');
  const caller = await verifyBearer(config, authorization);
  if (access === 'admin' && !caller.scopes.includes(ADMIN_SCOPE)) {
    throw new ForbiddenError(`This needs the "${ADMIN_SCOPE}" scope`, ADMIN_SCOPE);
  }
  return caller;
}

/** The realm named in every challenge (RFC 6750 §3). */
const REALM = 'myevents';

/**
 * RFC 6750 §3's `WWW-Authenticate` challenge for a 401 or a 403 for a missing scope; undefined for other
 * refusals (another caller's resource is not a matter of credentials).
 */
export function challengeFor(error: UnauthenticatedError | ForbiddenError): string | undefined {
  const quoted = (value: string) => `"${value.replace(/["\\]/g, '')}"`;
  if (error instanceof ForbiddenError) {
    return error.requiredScope === undefined
      ? undefined
      : `Bearer realm=${quoted(REALM)}, error="insufficient_scope", error_description=${quoted(error.message)}, scope=${quoted(error.requiredScope)}`;
  }
  if (error.reason === undefined) return `Bearer realm=${quoted(REALM)}`;
  return `Bearer realm=${quoted(REALM)}, error="${error.reason}", error_description=${quoted(error.message)}`;
}
