import * as fc from 'fast-check';
import { expect } from 'vitest';
import type { RawHttpRequest, RawHttpResponse } from '../../adapters/shared/http-dispatch.js';
import { httpFunctions, type HttpFunctionName } from '../../functions/routes.js';
import type { Seeded } from './hostile-world.js';
import { validEvent, validLocation } from './http-harness.js';
import { ADMIN_AUTHORIZATION, BAD_AUTHORIZATIONS, USER_AUTHORIZATION } from './tokens.js';

/** Fixed seeds: a failure reproduces with the seed fast-check prints (`{ seed: …, path: … }`). */
export const FUZZ_SEED = 20261125;

export interface FuzzRoute {
  fn: HttpFunctionName;
  method: string;
  path: string;
}

/** Every route of every HTTP function, with the function that serves it. */
export const fuzzRoutes: FuzzRoute[] = (Object.keys(httpFunctions) as HttpFunctionName[]).flatMap((fn) =>
  httpFunctions[fn].map((route) => ({ fn, method: route.method, path: route.path })),
);

/** Percent-encodes any string, lone surrogates included (encodeURIComponent throws on them). */
const encodeSegment = (value: string): string => {
  try {
    return encodeURIComponent(value);
  } catch {
    return [...value].map((char) => `%${(char.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`).join('');
  }
};

/** Path segments as hostile clients and emulators send them: encoded slashes, dots, `%`, NUL, 2,000 characters. */
const segment = (seeded: Seeded): fc.Arbitrary<string> =>
  fc.oneof(
    fc.constantFrom(seeded.eventId, seeded.locationId, seeded.playerId, encodeSegment(seeded.eventName)),
    fc.uuid(),
    fc.constantFrom('.', '..', '%2E', '%2e%2E', '%2F', 'a%2Fb', '%5C', '%', '%zz', '%E0%A4%A', '%00', 'a%00b', '%20', '%C0%AF', '%ED%A0%80', '~', '__proto__', 'constructor'),
    fc.constantFrom('x'.repeat(1024), 'x'.repeat(1025), 'x'.repeat(2000), 'x'.repeat(2100), encodeSegment('é'.repeat(1100)), encodeSegment('🎭'.repeat(600))),
    fc.string({ unit: 'binary', maxLength: 40 }).map(encodeSegment),
    // Unencoded, as a careless emulator might pass it: spaces, `?`, `#`, even `/`.
    fc.string({ unit: 'grapheme', maxLength: 20 }),
  );

const hugeText = 'x'.repeat(1024 * 1024 + 1);
const deepArray = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
const deepObject = `${'{"a":'.repeat(5_000)}1${'}'.repeat(5_000)}`;

/** Strings and numbers at and past every boundary. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(0, -0, -1, 1.5, 10, 11, 2 ** 31, 2 ** 53, -(2 ** 53), 1e308, -1e308, Number.MIN_VALUE, 24, 25, 1_000_001),
  fc.constantFrom('', ' ', '.', '..', '\u0000', '\uD800', 'x'.repeat(2000), '🎭'.repeat(201), ' Aida ', 'AC/DC'),
  fc.constantFrom('2026-02-30T10:00:00Z', '2026-13-01T00:00:00Z', 'not a date', '2026-12-01', '2026-12-01T19:00:00', '+275760-09-13T00:00:00Z', '1970-01-01T00:00:00Z'),
  fc.string({ unit: 'binary', maxLength: 50 }),
  fc.constantFrom(null, true, false, [], {}),
);

/** A valid body of the route, if it takes one, with one field replaced or added. */
const mutatedBody = (route: FuzzRoute, seeded: Seeded): fc.Arbitrary<unknown> => {
  const valid: Record<string, unknown> | undefined =
    route.path === '/locations' ? validLocation
    : route.path === '/events' ? { ...validEvent(seeded.locationId), name: 'Fuzzed' }
    : route.path === '/players' ? { name: 'Fuzzed' }
    : route.path === '/events/{id}/bookings' ? { seats: 1 }
    : undefined;
  if (valid === undefined) return fc.constant({});
  const keys = [...Object.keys(valid), 'extra', '__proto__', 'constructor'];
  return fc.tuple(fc.constantFrom(...keys), oddValue).map(([key, value]) => {
    const body: Record<string, unknown> = { ...valid };
    Object.defineProperty(body, key, { value, enumerable: true, writable: true, configurable: true });
    return body;
  });
};

/** Body text (or an emulator's non-string body) for any route. */
const body = (route: FuzzRoute, seeded: Seeded): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: mutatedBody(route, seeded).map((value) => JSON.stringify(value)) },
    { weight: 2, arbitrary: mutatedBody(route, seeded).chain((value) => {
      const text = JSON.stringify(value);
      return fc.nat({ max: Math.max(0, text.length - 1) }).map((cut) => text.slice(0, cut)); // truncated JSON
    }) },
    { weight: 1, arbitrary: fc.constantFrom('{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"name":"a","name":"b"}', '{', 'nul', '\uFEFF{}', '{"seats":1}garbage', "{'seats':1}") },
    { weight: 1, arbitrary: fc.constantFrom(hugeText, JSON.stringify({ name: hugeText }), deepArray, deepObject) },
    { weight: 1, arbitrary: fc.json({ maxDepth: 4 }) },
    // What an emulator may hand over instead of text: the parsed value, bytes, nothing.
    { weight: 1, arbitrary: fc.constantFrom(false, 0, 1, true, null, undefined, '', [], {}, new Uint8Array([0x7b, 0x7d]), new Uint8Array([0xff, 0xfe])) },
  );

const contentType: fc.Arbitrary<string | undefined> = fc.constantFrom(
  undefined,
  'application/json',
  'application/json; charset=utf-8',
  'application/vnd.api+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  '',
  'application/json; charset=utf-16',
  'application/jsonx',
  '\u0000',
);

const query: fc.Arbitrary<Record<string, string>> = fc.record(
  {
    limit: fc.oneof(fc.constantFrom('0', '1', '100', '101', '-1', '1e2', ' 5', '5.0', 'x'.repeat(2000)), fc.string({ maxLength: 6 })),
    cursor: fc.oneof(fc.constantFrom('', '%', 'x'.repeat(2000), '..', '\u0000'), fc.base64String({ maxLength: 60 }), fc.string({ unit: 'binary', maxLength: 30 })),
    ['__proto__']: fc.string({ maxLength: 5 }),
  },
  { requiredKeys: [] },
);

/**
 * The `Authorization` header: mostly an admin's token, so the write routes' body checks are reached; a
 * user's (no admin scope; not the owner of the seeded player); none; or a refused one (expired, forged,
 * wrong audience or issuer, `alg: none`, not a bearer token).
 */
const authorization: fc.Arbitrary<string | undefined> = fc.oneof(
  { weight: 12, arbitrary: fc.constant(ADMIN_AUTHORIZATION) },
  { weight: 3, arbitrary: fc.constant(USER_AUTHORIZATION) },
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 3, arbitrary: fc.constantFrom(...BAD_AUTHORIZATIONS) },
);

/** Hostile requests to one route: its method (mostly) and its path pattern with hostile parameters. */
export function requestsFor(route: FuzzRoute, seeded: Seeded): fc.Arbitrary<RawHttpRequest> {
  const parameters = (route.path.match(/\{\w+\}/g) ?? []).length;
  return fc
    .record({
      method: fc.oneof({ weight: 9, arbitrary: fc.constant(route.method) }, { weight: 1, arbitrary: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'get') }),
      segments: fc.array(segment(seeded), { minLength: parameters, maxLength: parameters }),
      query,
      contentType,
      body: fc.option(body(route, seeded), { freq: 5 }),
      idempotencyKey: fc.option(fc.oneof(fc.uuid(), fc.constantFrom('', 'x'.repeat(256), 'k'.repeat(255), '\u00ff'.repeat(255))), { freq: 2 }),
      authorization,
    })
    .map(({ method, segments, query: q, contentType: type, body: b, idempotencyKey, authorization: auth }) => {
      let index = 0;
      const path = route.path.replace(/\{\w+\}/g, () => segments[index++] ?? '');
      const headers: Record<string, string> = {};
      if (type !== undefined) headers['content-type'] = type;
      if (idempotencyKey !== null) headers['idempotency-key'] = idempotencyKey;
      if (auth !== undefined) headers['authorization'] = auth;
      return { method, path, query: { ...q }, headers, body: (b ?? undefined) as string | undefined };
    });
}

/** A short description of a request for a failure message (huge bodies cut). */
export const describeRequest = (request: RawHttpRequest): string => {
  const body = typeof request.body === 'string' && request.body.length > 200 ? `${request.body.slice(0, 200)}… (${request.body.length} chars)` : request.body;
  return JSON.stringify({ ...request, path: request.path.length > 200 ? `${request.path.slice(0, 200)}…` : request.path, body });
};

/**
 * What every answer must be: never a 5xx; an error in our shape below it; a 2xx only with a JSON body
 * (or none, for 204); and nothing added to Object.prototype.
 */
export function assessResponse(request: RawHttpRequest, response: RawHttpResponse): void {
  const context = describeRequest(request);
  expect(response.status, context).toBeLessThan(500);
  expect(response.status, context).toBeGreaterThanOrEqual(200);
  if (response.status === 204) expect(response.body, context).toBe('');
  else {
    const parsed: unknown = JSON.parse(response.body);
    if (response.status >= 400) {
      expect(parsed, context).toMatchObject({ error: { code: expect.any(String), message: expect.any(String), requestId: expect.any(String) } });
    }
  }
  expect(Object.keys(Object.prototype), context).toEqual([]);
  expect(({} as Record<string, unknown>)['polluted'], context).toBeUndefined();
}
