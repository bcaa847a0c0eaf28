import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';

/**
 * The development signing key of the local stacks (`npm start`, `start:memory`, `start:gcp`, the tests):
 * an ES256 key pair generated once per checkout into a git-ignored file, so no key is ever shared between
 * machines or committed. Only stacks started from this checkout trust it (they are given its public half
 * as AUTH_JWKS); a deployment trusts its issuer's JWKS instead.
 */
export const DEV_KEY_FILE = resolve(import.meta.dirname, '../../.local-auth/dev-signing-key.json');
export const DEV_ISSUER = 'https://myevents.local/dev-issuer';
export const DEV_AUDIENCE = 'myevents';

interface DevKey {
  privateJwk: JWK;
  publicJwk: JWK;
}

async function newDevKey(): Promise<DevKey> {
  const { privateKey, publicKey } = await generateKeyPair('ES256', { extractable: true });
  const publicJwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(publicJwk);
  return { privateJwk: { ...(await exportJWK(privateKey)), kid, alg: 'ES256' }, publicJwk: { ...publicJwk, kid, alg: 'ES256', use: 'sig' } };
}

/**
 * The checkout's key, created on first use. Several processes may start at once (test workers, a stack
 * and `npm run token`): the file appears atomically (written aside, then hard-linked, which fails if it
 * exists), so all of them end up with the one key that won.
 */
export async function devKey(file: string = DEV_KEY_FILE): Promise<DevKey> {
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true });
    const aside = `${file}.${process.pid}.${Date.now()}`;
    writeFileSync(aside, JSON.stringify(await newDevKey(), null, 2), { mode: 0o600 });
    try {
      linkSync(aside, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(aside, { force: true });
    }
  }
  return JSON.parse(readFileSync(file, 'utf8')) as DevKey;
}

/** The environment that makes a local stack trust the development key (adapters/shared/auth.ts reads it). */
export async function devAuthEnv(file?: string): Promise<Record<'AUTH_ISSUER' | 'AUTH_AUDIENCE' | 'AUTH_JWKS', string>> {
  const { publicJwk } = await devKey(file);
  return { AUTH_ISSUER: DEV_ISSUER, AUTH_AUDIENCE: DEV_AUDIENCE, AUTH_JWKS: JSON.stringify({ keys: [publicJwk] }) };
}

/** Sets the development trust in this process's environment, unless AUTH_* is already configured. */
export async function trustDevKeyUnlessConfigured(env: NodeJS.ProcessEnv = process.env): Promise<void> {
  if (env['AUTH_ISSUER'] || env['AUTH_JWKS_URL'] || env['AUTH_JWKS']) return;
  Object.assign(env, await devAuthEnv());
}

export interface DevTokenOptions {
  subject?: string;
  scopes?: readonly string[];
  /** Lifetime as jose reads it ('1h', '15m', or seconds); a negative number of seconds gives an expired token. */
  expiresIn?: string | number;
  audience?: string;
  issuer?: string;
}

/** A token signed by the development key, as an identity provider would issue it. */
export async function mintDevToken(options: DevTokenOptions = {}, file?: string): Promise<string> {
  const { privateJwk } = await devKey(file);
  const { subject = 'dev-user', scopes = [], expiresIn = '1h', audience = DEV_AUDIENCE, issuer = DEV_ISSUER } = options;
  const now = Math.floor(Date.now() / 1000);
  const expires = typeof expiresIn === 'number' ? now + expiresIn : expiresIn;
  return new SignJWT(scopes.length > 0 ? { scope: scopes.join(' ') } : {})
    .setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...(privateJwk.kid !== undefined && { kid: privateJwk.kid }) })
    .setSubject(subject)
    .setIssuer(issuer)
    .setAudience(audience)
    .setIssuedAt(now)
    .setExpirationTime(expires)
    .sign(await importJWK(privateJwk, 'ES256'));
}
