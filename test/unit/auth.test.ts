import { describe, expect, it, vi } from 'vitest';
import { mintDevToken } from '../../adapters/local/dev-auth.js';
import { authConfigFromEnv, verifyBearer } from '../../adapters/shared/auth.js';
import { dispatchHttp } from '../../adapters/shared/http-dispatch.js';
import { jsonLogger } from '../../adapters/shared/json-logger.js';
import { SECURITY_HEADERS } from '../../adapters/shared/security-headers.js';
import { eventsApiRoutes, httpFunctions, type HttpFunctionName } from '../../functions/routes.js';
import { httpHarness, NO_TOKEN, validEvent, validLocation } from '../support/http-harness.js';
import { ADMIN_AUTHORIZATION, ADMIN_SUB, BAD_AUTHORIZATIONS, BAD_TOKENS, USER_AUTHORIZATION, USER_SUB, userHeaders } from '../support/tokens.js';

/** Every route of the table with a concrete path, and what it needs. */
const routes = (Object.keys(httpFunctions) as HttpFunctionName[]).flatMap((fn) =>
  httpFunctions[fn].map((route) => ({ fn, method: route.method, path: route.path.replace('{id}', 'ev-1').replace('{name}', 'Opera%20Aida'), access: route.access })),
);
const bodyFor = (path: string): unknown =>
  path === '/locations' ? validLocation : path === '/events' ? validEvent('loc-1') : path === '/players' ? { name: 'Mario' } : path.endsWith('/bookings') ? { seats: 1 } : undefined;

/** A harness with a location, an event the booking service knows (ev-1, 10 seats) and nothing else. */
async function world() {
  const harness = httpHarness();
  const location = await harness.call('eventsApi', 'POST', '/locations', validLocation);
  await harness.deps.bookingsApi.bookings.rememberEvent({ eventId: 'ev-1', capacity: 10, seatsBooked: 0 });
  return { ...harness, locationId: String(location.json.id) };
}

describe('who may call what (routes declare access; adapters/shared/auth.ts checks it once)', () => {
  it('declares reads of locations, events and the map public, and every write protected', () => {
    const table = Object.fromEntries(Object.values(httpFunctions).flat().map((route) => [`${route.method} ${route.path}`, route.access]));
    expect(table).toEqual({
      'POST /locations': 'admin',
      'GET /locations': 'public',
      'POST /events': 'admin',
      'GET /events': 'public',
      'GET /locations/{id}': 'public',
      'GET /events/{id}': 'public',
      'GET /events/id/{id}': 'public',
      'GET /events/name/{name}': 'public',
      'POST /events/{id}/bookings': 'caller',
      'GET /events/{id}/bookings': 'caller',
      'POST /players': 'caller',
      'GET /players/{id}': 'public',
      'DELETE /players/{id}': 'caller',
      'GET /map': 'public',
    });
  });

  it.each(routes.filter((route) => route.access !== 'public'))('$method $path without a token: 401 UNAUTHENTICATED with a Bearer challenge, and no-store', async (route) => {
    const { call } = await world();
    const result = await call(route.fn, route.method, route.path, bodyFor(route.path), { authorization: NO_TOKEN });
    expect(result.status).toBe(401);
    expect(result.json.error).toMatchObject({ code: 'UNAUTHENTICATED', requestId: 'req-1' });
    expect(result.headers['www-authenticate']).toBe('Bearer realm="myevents"');
    expect(result.headers['cache-control']).toBe('no-store');
  });

  it.each(Object.entries(BAD_TOKENS))('a token %s: 401 with error="invalid_token" on a protected route, and nothing written', async (_, bad) => {
    const { call, deps } = await world();
    const result = await call('eventsApi', 'POST', '/locations', validLocation, { authorization: `Bearer ${bad}` });
    expect(result.status).toBe(401);
    expect(result.json.error.code).toBe('UNAUTHENTICATED');
    expect(result.headers['www-authenticate']).toMatch(/^Bearer realm="myevents", error="invalid_token", error_description="[^"]+"$/);
    expect(result.json.error.message).not.toContain(bad.slice(0, 20));
    expect((await deps.eventsApi.locations.list({ limit: 10 })).items).toHaveLength(1);
  });

  it.each(BAD_AUTHORIZATIONS.slice(0, 4))('Authorization %j is refused with 401 on a protected route', async (authorization) => {
    const { call } = await world();
    expect((await call('playersApi', 'POST', '/players', { name: 'Mario' }, { authorization })).status).toBe(401);
  });

  it.each(['POST /locations', 'POST /events'])('%s with a valid token but no admin scope: 403 FORBIDDEN, insufficient_scope', async (key) => {
    const { call, locationId } = await world();
    const path = key.split(' ')[1]!;
    const result = await call('eventsApi', 'POST', path, path === '/events' ? validEvent(locationId) : validLocation, { authorization: USER_AUTHORIZATION });
    expect(result.status).toBe(403);
    expect(result.json.error).toMatchObject({ code: 'FORBIDDEN' });
    expect(result.headers['www-authenticate']).toMatch(/error="insufficient_scope".*scope="admin"/);
    // The admin may.
    expect((await call('eventsApi', 'POST', path, path === '/events' ? validEvent(locationId) : { ...validLocation, name: 'Arena' })).status).toBe(201);
  });

  it.each(routes.filter((route) => route.access === 'public'))('$method $path needs no token, and ignores a bad one', async (route) => {
    const { call } = await world();
    expect((await call(route.fn, route.method, route.path, undefined, { authorization: NO_TOKEN })).status).not.toBe(401);
    expect((await call(route.fn, route.method, route.path, undefined, { authorization: `Bearer ${BAD_TOKENS['expired']}` })).status).not.toBe(401);
  });
});

describe('ownership (business rules in functions/)', () => {
  it('a booking records its caller; each caller lists only its own bookings, an admin all of them', async () => {
    const { call } = await world();
    const alice = await userHeaders('alice');
    const bob = await userHeaders('bob');
    const aliceBooking = await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 1 }, alice);
    const bobBooking = await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 2 }, bob);
    expect(aliceBooking.json.owner).toBe('alice');
    expect(bobBooking.json.owner).toBe('bob');
    const ids = async (headers: Record<string, string>) => ((await call('bookingsApi', 'GET', '/events/ev-1/bookings', undefined, headers)).json as { id: string }[]).map((b) => b.id);
    expect(await ids(alice)).toEqual([aliceBooking.json.id]);
    expect(await ids(bob)).toEqual([bobBooking.json.id]);
    expect(await ids({ authorization: ADMIN_AUTHORIZATION })).toEqual([aliceBooking.json.id, bobBooking.json.id]);
    const own = await call('bookingsApi', 'GET', '/events/ev-1/bookings', undefined, alice);
    expect(own.headers['cache-control']).toBe('no-store');
  });

  it("pages a caller's own bookings: full pages, every page link followed, each own booking once, no cursor naming another's", async () => {
    const { call } = await world();
    const alice = await userHeaders('alice');
    const bob = await userHeaders('bob');
    const mine: string[] = [];
    for (let index = 0; index < 7; index += 1) {
      const headers = index % 3 === 0 ? alice : bob;
      const booked = await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 1 }, headers);
      if (headers === alice) mine.push(booked.json.id);
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    let path: string | undefined = '/events/ev-1/bookings?limit=2';
    while (path !== undefined) {
      const page: { json: { id: string }[]; headers: Record<string, string> } = await call('bookingsApi', 'GET', path, undefined, alice);
      seen.push(...page.json.map((booking) => booking.id));
      sizes.push(page.json.length);
      path = /<([^>]+)>/.exec(page.headers['link'] ?? '')?.[1];
      const cursor = path === undefined ? undefined : new URL(path, 'http://x').searchParams.get('cursor');
      // Each cursor names the position of the caller's own last booking on the page.
      if (cursor) expect(Buffer.from(cursor, 'base64url').toString('utf8')).toContain(page.json.at(-1)!.id);
    }
    expect(seen).toEqual(mine);
    expect(sizes).toEqual([2, 1]);
  });

  it("an Idempotency-Key is the caller's own: another caller's same key books anew and never shows the first booking; each retry replays its own", async () => {
    const { call } = await world();
    const alice = { ...(await userHeaders('alice')), 'idempotency-key': 'k-1' };
    const bob = { ...(await userHeaders('bob')), 'idempotency-key': 'k-1' };
    const first = await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 1 }, alice);
    const bobs = await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 1 }, bob);
    expect([first.status, bobs.status]).toEqual([201, 201]);
    expect(bobs.headers['idempotent-replayed']).toBeUndefined();
    expect(bobs.json.owner).toBe('bob');
    expect(bobs.json.id).not.toBe(first.json.id);
    const aliceAgain = await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 1 }, alice);
    expect([aliceAgain.json.id, aliceAgain.headers['idempotent-replayed']]).toEqual([first.json.id, 'true']);
    // The same key for a different booking by the same caller is still refused.
    const reused = await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 2 }, bob);
    expect([reused.status, reused.json.error.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
  });

  it('a player belongs to its creator: another caller gets 403 and the player stays; the creator or an admin deletes it', async () => {
    const { call, deps } = await world();
    const created = await call('playersApi', 'POST', '/players', { name: 'Mario' }, await userHeaders(USER_SUB));
    expect(created.status).toBe(201);
    expect(created.json).toEqual({ id: created.json.id, name: 'Mario', position: null }); // the owner is never shown
    expect((await deps.playersApi.players.get(created.json.id))?.owner).toBe(USER_SUB);
    const other = await call('playersApi', 'DELETE', `/players/${created.json.id}`, undefined, await userHeaders('mallory'));
    expect(other.status).toBe(403);
    expect(other.json.error.code).toBe('FORBIDDEN');
    expect(other.headers['www-authenticate']).toBeUndefined(); // not a matter of credentials
    expect((await call('playersApi', 'GET', `/players/${created.json.id}`)).status).toBe(200);
    expect((await call('playersApi', 'DELETE', `/players/${created.json.id}`, undefined, await userHeaders(USER_SUB))).status).toBe(204);
    const second = await call('playersApi', 'POST', '/players', { name: 'Luigi' }, await userHeaders(USER_SUB));
    expect((await call('playersApi', 'DELETE', `/players/${second.json.id}`, undefined, { authorization: ADMIN_AUTHORIZATION })).status).toBe(204);
    expect(ADMIN_SUB).not.toBe(USER_SUB);
  });
});

describe('verified tokens are remembered, never beyond their expiry', () => {
  it('answers a second check of the same token from memory, and refuses it once it has expired', async () => {
    const config = authConfigFromEnv()!;
    const token = `Bearer ${await mintDevToken({ subject: 'short-lived', expiresIn: 60 })}`;
    expect(await verifyBearer(config, token)).toEqual({ subject: 'short-lived', scopes: [] });
    expect(await verifyBearer(config, token)).toEqual({ subject: 'short-lived', scopes: [] });
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 120_000); // past exp and jose's 30 s tolerance
      await expect(verifyBearer(config, token)).rejects.toMatchObject({ code: 'UNAUTHENTICATED', reason: 'invalid_token' });
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('fail closed, and headers on every answer', () => {
  it('without any auth configuration a protected route answers 500 and logs why; a public one still answers', async () => {
    const lines: string[] = [];
    const logger = jsonLogger({}, (line) => lines.push(line));
    const send = (method: string, path: string, body?: string) =>
      dispatchHttp(eventsApiRoutes, { locations: { add: async () => {}, get: async () => undefined, list: async () => ({ items: [] }) }, events: undefined as never, ids: { newId: () => 'x' } }, { method, path, query: {}, headers: { authorization: ADMIN_AUTHORIZATION }, body }, { requestId: 'req-1', logger, auth: null });
    const refused = await send('POST', '/locations', JSON.stringify(validLocation));
    expect(refused.status).toBe(500);
    expect(JSON.parse(refused.body).error).toEqual({ code: 'INTERNAL', message: 'Internal server error', requestId: 'req-1', traceId: refused.headers['traceresponse']?.slice(3, 35) });
    expect(lines.join('\n')).toContain('Authentication is not configured');
    expect((await send('GET', '/locations')).status).toBe(200);
  });

  it.each([
    ['a public read', 'GET', '/events', undefined, NO_TOKEN, 200],
    ['an authenticated write', 'POST', '/players', { name: 'Mario' }, USER_AUTHORIZATION, 201],
    ['an error', 'GET', '/nowhere', undefined, NO_TOKEN, 404],
    ['a refusal', 'POST', '/players', { name: 'Mario' }, NO_TOKEN, 401],
  ] as const)('%s carries the security headers', async (_, method, path, body, authorization, status) => {
    const { call } = await world();
    const fn: HttpFunctionName = path === '/players' ? 'playersApi' : 'eventsApi';
    const result = await call(fn, method, path, body, { authorization });
    expect(result.status).toBe(status);
    expect(result.headers).toMatchObject(SECURITY_HEADERS);
    // Errors and answers to a caller are never stored by a shared cache; a public read keeps its cacheability.
    expect(result.headers['cache-control']).toBe(status === 200 ? undefined : 'no-store');
  });
});
