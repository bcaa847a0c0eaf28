import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { exportJWK, generateKeyPair, SignJWT, type JWTVerifyGetKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import azf from '@azure/functions';
import type { Request } from '@google-cloud/functions-framework';
import { httpTrigger } from '../../adapters/aws/http-trigger.js';
import { httpRequestToRawRequest } from '../../adapters/azure/http-trigger.js';
import { expressRequestToRawRequest } from '../../adapters/gcp/http-trigger.js';
import { lambdaLog } from '../../adapters/aws/logger.js';
import { DEV_AUDIENCE, DEV_ISSUER } from '../../adapters/local/dev-auth.js';
import { createLocalHttpServer } from '../../adapters/local/http-server.js';
import { createLocalApp } from '../../adapters/local/local-app.js';
import { MemoryTable } from '../../adapters/memory/memory-table.js';
import { MemoryEventRepository, MemoryLocationRepository } from '../../adapters/memory/repositories.js';
import { authConfigFromEnv, authenticate, scopesOf, verifyBearer, type AuthConfig } from '../../adapters/shared/auth.js';
import { silentLogger } from '../../adapters/shared/json-logger.js';
import { eventsApiRoutes } from '../../functions/routes.js';
import { httpHarness, validLocation } from '../support/http-harness.js';
import { lambdaContext } from '../support/lambda-context.js';
import { loadEvent } from '../support/load-event.js';
import { ADMIN_AUTHORIZATION, BAD_TOKENS, devSigned, USER_AUTHORIZATION } from '../support/tokens.js';

/** POST /locations (admin only) with this token: 201 means the token granted admin. */
async function createLocationWith(token: string): Promise<number> {
  const { call } = httpHarness();
  return (await call('eventsApi', 'POST', '/locations', validLocation, { authorization: `Bearer ${token}` })).status;
}

describe('one reading of each claim (README, Authentication)', () => {
  it.each([
    ['scope, a space-separated string', { scope: 'read admin' }, 201],
    ['scp, a string', { scp: 'admin' }, 201],
    ['scp, an array of strings (Entra ID, Okta)', { scp: ['read', 'admin'] }, 201],
    ['scope as an array', { scope: ['admin'] }, 403],
    ['scope as an object', { scope: { admin: true } }, 403],
    ['scp as an array holding a non-string', { scp: ['admin', 1] }, 403],
    ['scope "administrator" (no prefix match)', { scope: 'administrator' }, 403],
  ])('%s: POST /locations answers %i', async (_, claims, status) => {
    expect(await createLocationWith(await devSigned(claims))).toBe(status);
  });

  it('reads scope and scp alike and drops repeats', () => {
    expect(scopesOf({ scope: 'a b  a', scp: ['b', 'c'] })).toEqual(['a', 'b', 'c']);
    expect(scopesOf({ scope: 7, scp: 7 })).toEqual([]);
  });

  it('refuses a token issued an hour in the future (401 invalid_token), accepts one within the clock tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    const future = await devSigned({ iat: now + 3600, exp: now + 7200 });
    const { call } = httpHarness();
    const refused = await call('playersApi', 'POST', '/players', { name: 'Mario' }, { authorization: `Bearer ${future}` });
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toContain('error="invalid_token"');
    expect(refused.json.error.message).toContain('"iat"');
    const slightlyAhead = await devSigned({ iat: now + 10 });
    expect((await call('playersApi', 'POST', '/players', { name: 'Mario' }, { authorization: `Bearer ${slightlyAhead}` })).status).toBe(201);
  });
});

describe('two Authorization headers, or a comma-joined one: 400 INVALID_REQUEST', () => {
  beforeAll(() => {
    vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined);
  });

  it('the shared check refuses a comma-joined header on a protected route, whichever token comes first', async () => {
    const { call } = httpHarness();
    for (const authorization of [`${USER_AUTHORIZATION}, ${ADMIN_AUTHORIZATION}`, `${ADMIN_AUTHORIZATION},${USER_AUTHORIZATION}`]) {
      const result = await call('eventsApi', 'POST', '/locations', validLocation, { authorization });
      expect(result.status).toBe(400);
      expect(result.json.error.code).toBe('INVALID_REQUEST');
    }
  });

  it('through the AWS handler: HTTP API (comma-joined) and REST API (multiValueHeaders)', async () => {
    const table = new MemoryTable();
    const handler = httpTrigger(eventsApiRoutes, { locations: new MemoryLocationRepository(table), events: new MemoryEventRepository(table), ids: { newId: () => 'x' } });
    const v2 = await loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/create-location.json');
    const joined = { ...v2, headers: { ...v2.headers, authorization: `${ADMIN_AUTHORIZATION},${USER_AUTHORIZATION}` } };
    const answerV2 = (await handler(joined, lambdaContext())) as { statusCode: number; body: string };
    expect([answerV2.statusCode, JSON.parse(answerV2.body).error.code]).toEqual([400, 'INVALID_REQUEST']);
    const v1 = await loadEvent<APIGatewayProxyEvent>('aws/rest-api-v1/create-location.json');
    const twice = { ...v1, headers: { ...v1.headers, Authorization: ADMIN_AUTHORIZATION }, multiValueHeaders: { ...v1.multiValueHeaders, Authorization: [ADMIN_AUTHORIZATION, USER_AUTHORIZATION] } };
    const answerV1 = (await handler(twice, lambdaContext())) as { statusCode: number; body: string };
    expect([answerV1.statusCode, JSON.parse(answerV1.body).error.code]).toEqual([400, 'INVALID_REQUEST']);
  });

  it('Azure (fetch Headers) and GCP (node rawHeaders) hand both headers on, joined, to the shared check', async () => {
    const headers = new Headers();
    headers.append('authorization', ADMIN_AUTHORIZATION);
    headers.append('authorization', USER_AUTHORIZATION);
    const azure = await httpRequestToRawRequest(new azf.HttpRequest({ method: 'GET', url: 'https://myevents.example/players', headers: Object.fromEntries(headers) }));
    expect(azure.headers['authorization']).toBe(`${ADMIN_AUTHORIZATION}, ${USER_AUTHORIZATION}`);
    // functions-framework hands an Express request whose header map (node's) kept only the first Authorization.
    const express = {
      method: 'GET',
      originalUrl: '/players',
      url: '/players',
      headers: { authorization: ADMIN_AUTHORIZATION, host: 'x' },
      rawHeaders: ['Host', 'x', 'Authorization', ADMIN_AUTHORIZATION, 'authorization', USER_AUTHORIZATION],
      readableEnded: true,
      complete: true,
    } as unknown as Request;
    expect((await expressRequestToRawRequest(express)).headers['authorization']).toBe(`${ADMIN_AUTHORIZATION}, ${USER_AUTHORIZATION}`);
  });

  describe('memory mode over a real socket (node keeps only the first Authorization of its own)', () => {
    let server: Server;
    let port: number;
    beforeAll(async () => {
      server = createLocalHttpServer(createLocalApp({ logger: silentLogger }));
      await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((closed) => server.close(() => closed())));

    /** Raw header pairs, so the same name can be sent twice. */
    const send = (method: string, path: string, rawHeaders: string[], body?: string) =>
      new Promise<{ status: number; json: { error?: { code: string } } }>((resolve, reject) => {
        // A raw header list replaces every header node would add, Host included.
        const outgoing = httpRequest({ host: '127.0.0.1', port, method, path, headers: ['host', `127.0.0.1:${port}`, ...rawHeaders] }, (answer) => {
          let text = '';
          answer.on('data', (chunk: Buffer) => (text += chunk.toString()));
          answer.on('end', () => resolve({ status: answer.statusCode ?? 0, json: text ? JSON.parse(text) : {} }));
        });
        outgoing.on('error', reject);
        outgoing.end(body);
      });

    it('two headers on a protected route: 400 INVALID_REQUEST, nothing created; one header still works', async () => {
      const body = JSON.stringify(validLocation);
      const twice = await send('POST', '/locations', ['content-type', 'application/json', 'authorization', ADMIN_AUTHORIZATION, 'authorization', USER_AUTHORIZATION], body);
      expect([twice.status, twice.json.error?.code]).toEqual([400, 'INVALID_REQUEST']);
      const listed = await send('GET', '/locations', []);
      expect(listed.json).toEqual([]);
      const once = await send('POST', '/locations', ['content-type', 'application/json', 'authorization', ADMIN_AUTHORIZATION], body);
      expect(once.status).toBe(201);
    });
  });
});

describe('public routes never read Authorization; protected routes remember a failed verification', () => {
  /** The development key set, counting how often jose asks it for a key (once per signature check). */
  function countingConfig(): { config: AuthConfig; checks: () => number } {
    const base = authConfigFromEnv()!;
    let count = 0;
    const keys: JWTVerifyGetKey = (header, token) => {
      count += 1;
      return base.keys(header, token);
    };
    return { config: { ...base, keys }, checks: () => count };
  }

  it('a public route verifies nothing, whatever is sent (forged, malformed, two headers)', async () => {
    const { config, checks } = countingConfig();
    for (const authorization of [`Bearer ${BAD_TOKENS['signed by another key']}`, ADMIN_AUTHORIZATION, 'garbage', `${ADMIN_AUTHORIZATION}, ${USER_AUTHORIZATION}`]) {
      expect(await authenticate('public', authorization, config)).toBeUndefined();
    }
    expect(checks()).toBe(0);
  });

  it('a forged token is checked once, then refused from memory with the same answer', async () => {
    const { config, checks } = countingConfig();
    const forged = `Bearer ${BAD_TOKENS['signature of another token']}`;
    const first = await verifyBearer(config, forged).catch((error: unknown) => error);
    const second = await verifyBearer(config, forged).catch((error: unknown) => error);
    expect(first).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'invalid_token' });
    expect(second).toBe(first);
    expect(checks()).toBe(1);
  });

  it('forgets a failure after 30 s, and never keeps it past the moment an early token becomes valid', async () => {
    const { config, checks } = countingConfig();
    const forged = `Bearer ${BAD_TOKENS['signed by another key']}`;
    const now = Math.floor(Date.now() / 1000);
    // Valid in every way but its nbf, two minutes ahead: refused now, accepted once nbf (less the tolerance) has passed.
    const early = `Bearer ${await devSigned({ nbf: now + 120, exp: now + 3600 })}`;
    await expect(verifyBearer(config, forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    await expect(verifyBearer(config, early)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(checks()).toBe(2);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 31_000);
      await expect(verifyBearer(config, forged)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      expect(checks()).toBe(3);
      vi.setSystemTime(Date.now() + 60_000); // now + 91 s: past nbf less the 30 s tolerance
      expect(await verifyBearer(config, early)).toMatchObject({ subject: expect.any(String) });
    } finally {
      vi.useRealTimers();
    }
  });

  it('bounds the remembered failures: the oldest is dropped first', async () => {
    const { config, checks } = countingConfig();
    const { privateKey, publicKey } = await generateKeyPair('ES256');
    const kid = (await exportJWK(publicKey)).x ?? 'other';
    const forge = (n: number) => new SignJWT({ n }).setProtectedHeader({ alg: 'ES256', kid }).setSubject('x').setIssuer(DEV_ISSUER).setAudience(DEV_AUDIENCE).setExpirationTime('1h').sign(privateKey);
    const first = `Bearer ${await forge(0)}`;
    await verifyBearer(config, first).catch(() => undefined);
    for (let n = 1; n <= 1_000; n += 1) await verifyBearer(config, `Bearer ${await forge(n)}`).catch(() => undefined);
    const before = checks();
    await verifyBearer(config, first).catch(() => undefined);
    expect(checks()).toBe(before + 1);
  });
});
