import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { devAuthEnv, devKey, mintDevToken } from '../../adapters/local/dev-auth.js';
import { authConfigFromEnv, verifyBearer } from '../../adapters/shared/auth.js';

const folder = mkdtempSync(join(tmpdir(), 'dev-auth-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('the development signing key and `npm run token`', () => {
  it('creates one key per file even when many processes ask at once, and keeps it', async () => {
    const file = join(folder, 'race', 'key.json');
    const keys = await Promise.all(Array.from({ length: 8 }, () => devKey(file)));
    expect(new Set(keys.map((key) => key.publicJwk.kid)).size).toBe(1);
    expect((await devKey(file)).publicJwk.kid).toBe(keys[0]!.publicJwk.kid);
    expect(keys[0]!.publicJwk).not.toHaveProperty('d'); // the public half holds no private part
  });

  it('mints tokens that a stack trusting the key (AUTH_* from devAuthEnv) accepts, with the subject and scopes asked for', async () => {
    const file = join(folder, 'mint', 'key.json');
    const config = authConfigFromEnv(await devAuthEnv(file));
    expect(config).toBeDefined();
    const token = await mintDevToken({ subject: 'alice', scopes: ['admin', 'extra'] }, file);
    expect(await verifyBearer(config!, `Bearer ${token}`)).toEqual({ subject: 'alice', scopes: ['admin', 'extra'] });
    // Another checkout's key is not trusted.
    const foreign = await mintDevToken({ subject: 'alice', scopes: ['admin'] }, join(folder, 'other', 'key.json'));
    await expect(verifyBearer(config!, `Bearer ${foreign}`)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason: 'invalid_token' });
  });

  it('`npm run token -- --scope admin --sub <id>` prints a token for that caller, trusted by this checkout', async () => {
    const printed = execFileSync('npx', ['--no-install', 'tsx', 'scripts/token.ts', '--scope', 'admin', '--sub', 'carol'], { encoding: 'utf8' }).trim();
    const config = authConfigFromEnv(await devAuthEnv());
    expect(await verifyBearer(config!, `Bearer ${printed}`)).toEqual({ subject: 'carol', scopes: ['admin'] });
  }, 60_000); // starts tsx: seconds on a busy machine
});
