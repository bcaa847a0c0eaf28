/**
 * Bearer tokens for tests, minted the way `npm run token` mints them (adapters/local/dev-auth.ts), and the
 * bad ones a client may send: expired, for another audience or issuer, signed by another key.
 */
import { exportJWK, generateKeyPair, importJWK, SignJWT } from 'jose';
import { DEV_AUDIENCE, DEV_ISSUER, devKey, mintDevToken, type DevTokenOptions } from '../../adapters/local/dev-auth.js';

export const ADMIN_SUB = 'test-admin';
export const USER_SUB = 'test-user';

const cache = new Map<string, Promise<string>>();
/** A valid token, cached per options (tokens live an hour; a test file runs in far less). */
export function token(options: DevTokenOptions = {}): Promise<string> {
  const key = JSON.stringify(options);
  let minted = cache.get(key);
  if (!minted) cache.set(key, (minted = mintDevToken(options)));
  return minted;
}

export const adminToken = (): Promise<string> => token({ subject: ADMIN_SUB, scopes: ['admin'] });
export const userToken = (subject: string = USER_SUB): Promise<string> => token({ subject });

/** `{ authorization: 'Bearer …' }` for a request's headers. */
export const bearer = async (minted: string | Promise<string>): Promise<{ authorization: string }> => ({ authorization: `Bearer ${await minted}` });
export const adminHeaders = (): Promise<{ authorization: string }> => bearer(adminToken());
export const userHeaders = (subject?: string): Promise<{ authorization: string }> => bearer(userToken(subject));

/** The tokens a server must refuse with 401, by what is wrong with them. */
async function mintBadTokens(): Promise<Record<string, string>> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const otherKid = (await exportJWK(publicKey)).x ?? 'other';
  const forged = await new SignJWT({ scope: 'admin' })
    .setProtectedHeader({ alg: 'ES256', kid: otherKid })
    .setSubject(ADMIN_SUB)
    .setIssuer(DEV_ISSUER)
    .setAudience(DEV_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime('1h')
    .sign(privateKey);
  const valid = await adminToken();
  const [header = '', payload = ''] = valid.split('.');
  return {
    expired: await mintDevToken({ subject: ADMIN_SUB, scopes: ['admin'], expiresIn: -3600 }),
    'wrong audience': await mintDevToken({ subject: ADMIN_SUB, scopes: ['admin'], audience: 'another-api' }),
    'wrong issuer': await mintDevToken({ subject: ADMIN_SUB, scopes: ['admin'], issuer: 'https://attacker.example/' }),
    'signed by another key': forged,
    'signature stripped (alg none)': `${Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url')}.${payload}.`,
    'signature of another token': `${header}.${payload}.${forged.split('.')[2] ?? ''}`,
    'not a JWT': 'not-a-token',
  };
}

/**
 * Minted once per test process (top-level await), so request builders stay synchronous: an admin's and a
 * user's `Authorization` values, and the ones a server must refuse.
 */
export const ADMIN_AUTHORIZATION = `Bearer ${await adminToken()}`;
export const USER_AUTHORIZATION = `Bearer ${await userToken()}`;
export const BAD_TOKENS: Readonly<Record<string, string>> = await mintBadTokens();
/** `Authorization` values that are not a bearer token at all, or not a well-formed one. */
export const BAD_AUTHORIZATIONS: readonly string[] = ['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', `bearer  ${await adminToken()} x`, 'x'.repeat(10_000), ...Object.values(BAD_TOKENS).map((bad) => `Bearer ${bad}`)];

/**
 * An API Gateway / Azure-like payload with an `Authorization` header added (an admin's by default), as
 * a client sends it: fixtures in events/ carry no token, since any token in a file would have expired.
 */
export function withAuthorization<T extends { headers?: Record<string, string | undefined> | null }>(payload: T, authorization: string = ADMIN_AUTHORIZATION): T {
  return { ...payload, headers: { ...payload.headers, authorization } };
}

/** A token with these claims (merged over a valid user's), signed by the development key: for claims `npm run token` never writes. */
export async function devSigned(claims: Record<string, unknown>): Promise<string> {
  const { privateJwk } = await devKey();
  const now = Math.floor(Date.now() / 1000);
  const payload = { sub: USER_SUB, iss: DEV_ISSUER, aud: DEV_AUDIENCE, iat: now, exp: now + 3600, ...claims };
  return new SignJWT(payload).setProtectedHeader({ alg: 'ES256', typ: 'JWT', ...(privateJwk.kid !== undefined && { kid: privateJwk.kid }) }).sign(await importJWK(privateJwk, 'ES256'));
}
