import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { ADMIN_SCOPE } from '../../functions/http/caller.js';
import type { Access, Caller } from '../../functions/http/contract.js';
import { ForbiddenError, UnauthenticatedError } from '../../functions/errors.js';

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

/** Scopes as OAuth 2.0 (`scope`, space-separated) or Azure AD / Okta (`scp`, an array or a string) write them. */
function scopesOf(payload: JWTPayload): string[] {
  const raw = payload['scope'] ?? payload['scp'];
  if (typeof raw === 'string') return raw.split(' ').filter((scope) => scope.length > 0);
  if (Array.isArray(raw)) return raw.filter((scope): scope is string => typeof scope === 'string');
  return [];
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

/** The caller of a verified `Authorization: Bearer <token>` header; UnauthenticatedError otherwise. */
export async function verifyBearer(config: AuthConfig, authorization: string): Promise<Caller> {
  const match = /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(authorization);
  if (!match?.[1]) throw new UnauthenticatedError('The Authorization header must be "Bearer <token>"', 'invalid_request');
  const token = match[1];
  const cached = cachedCaller(config, token);
  if (cached !== undefined) return cached;
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
  const caller = { subject: payload.sub, scopes: scopesOf(payload) };
  // `exp` is required above; kept only until then, without the clock tolerance jose allowed.
  if (typeof payload.exp === 'number') remember(config, token, caller, payload.exp);
  return caller;
}

/**
 * Who is calling a route with this access, checked before the handler runs: 401 without a valid token,
 * 403 without the admin scope on an admin route. A public route takes a valid token as a caller and
 * ignores an invalid one (it needs none). Without configuration a protected route throws a plain Error
 * (logged, 500): never open access.
 */
export async function authenticate(access: Access, authorization: string | undefined, config: AuthConfig | undefined): Promise<Caller | undefined> {
  if (access === 'public') {
    if (authorization === undefined || config === undefined) return undefined;
    return verifyBearer(config, authorization).catch(() => undefined);
  }
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
