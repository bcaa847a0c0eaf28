import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedMethods, matchRoute } from '../../adapters/shared/router.js';
import { MethodNotAllowedError, RouteNotFoundError, ValidationError } from '../../functions/errors.js';
import type { Route } from '../../functions/http/contract.js';
import { eventsApiRoutes, httpFunctions } from '../../functions/routes.js';

describe('route table dispatch', () => {
  it.each([
    ['GET', '/events/abc', '/events/{id}', { id: 'abc' }],
    ['GET', '/events/id/abc', '/events/id/{id}', { id: 'abc' }],
    ['GET', '/events/name/Opera%20Aida', '/events/name/{name}', { name: 'Opera Aida' }],
    ['GET', '/events/', '/events', {}],
    ['POST', '/locations', '/locations', {}],
  ])('%s %s matches %s', (method, path, pattern, params) => {
    const match = matchRoute(eventsApiRoutes, method, path);
    expect(match.route.path).toBe(pattern);
    expect(match.params).toEqual(params);
  });

  it('prefers literal segments over parameters, left to right', () => {
    expect(matchRoute(eventsApiRoutes, 'GET', '/events/name/id').route.path).toBe('/events/name/{name}');
    expect(matchRoute(eventsApiRoutes, 'GET', '/events/id/name').route.path).toBe('/events/id/{id}');
  });

  it('throws RouteNotFoundError for an unknown path and MethodNotAllowedError with the allowed methods', () => {
    expect(() => matchRoute(eventsApiRoutes, 'GET', '/nope')).toThrow(RouteNotFoundError);
    try {
      matchRoute(eventsApiRoutes, 'DELETE', '/locations');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(MethodNotAllowedError);
      expect((error as MethodNotAllowedError).allowed).toEqual(['POST', 'GET']);
    }
  });

  it('rejects a path parameter with broken URL encoding', () => {
    expect(() => matchRoute(eventsApiRoutes, 'GET', '/events/%E0%A4%A')).toThrow(ValidationError);
  });

  it('declares every method and path once across all functions', () => {
    const keys = Object.values(httpFunctions).flatMap((routes) => routes.map((route) => `${route.method} ${route.path}`));
    expect(new Set(keys).size).toBe(keys.length);
  });
});

/**
 * The router compiles each table once (patterns split and ranked at start). This reference is the
 * previous per-request implementation, kept here only to check that compiling changed no answer.
 */
function referenceMatch(routes: readonly Route<unknown>[], method: string, path: string): string {
  const segments = (p: string) => p.split('/').filter((s) => s.length > 0);
  const rank = (p: string) => segments(p).map((s) => (s.startsWith('{') ? '0' : '1')).join('');
  const matchPattern = (pattern: string): Record<string, string> | undefined => {
    const expected = segments(pattern);
    const actual = segments(path);
    if (expected.length !== actual.length) return undefined;
    const params: Record<string, string> = {};
    for (const [index, segment] of expected.entries()) {
      const value = actual[index] ?? '';
      if (segment.startsWith('{')) {
        try {
          params[segment.slice(1, -1)] = decodeURIComponent(value);
        } catch {
          throw new ValidationError('bad encoding');
        }
      } else if (segment !== value) return undefined;
    }
    return params;
  };
  try {
    const candidates = routes
      .map((route) => ({ route, params: matchPattern(route.path) }))
      .filter((c) => c.params !== undefined)
      .sort((a, b) => rank(b.route.path).localeCompare(rank(a.route.path)));
    if (candidates.length === 0) return '404';
    const best = candidates.filter((c) => rank(c.route.path) === rank(candidates[0]!.route.path));
    const match = best.find((c) => c.route.method === method.toUpperCase());
    if (!match) return `405 ${[...new Set(best.map((c) => c.route.method))].join(',')}`;
    return `${match.route.method} ${match.route.path} ${JSON.stringify(match.params)}`;
  } catch {
    return '400';
  }
}

function compiledAnswer(routes: readonly Route<unknown>[], method: string, path: string): string {
  try {
    const match = matchRoute(routes, method, path);
    return `${match.route.method} ${match.route.path} ${JSON.stringify(match.params)}`;
  } catch (error) {
    if (error instanceof RouteNotFoundError) return '404';
    if (error instanceof MethodNotAllowedError) return `405 ${error.allowed.join(',')}`;
    if (error instanceof ValidationError) return '400';
    throw error;
  }
}

describe('compiled route tables', () => {
  const handler = async () => ({ status: 200 });
  // Literal and parameter segments at every position, two patterns of equal rank, one path declared twice.
  const synthetic: Route<unknown>[] = [
    { method: 'GET', path: '/a/{x}/c', access: 'public', handler },
    { method: 'GET', path: '/a/b/{y}', access: 'public', handler },
    { method: 'POST', path: '/a/b/{y}', access: 'public', handler },
    { method: 'GET', path: '/{p}/{q}', access: 'public', handler },
    { method: 'DELETE', path: '/a/{z}', access: 'public', handler },
    { method: 'GET', path: '/', access: 'public', handler },
  ];

  it.each([
    ['GET', '/a/b/c', 'GET /a/b/{y} {"y":"c"}'],
    ['GET', '/a/x/c', 'GET /a/{x}/c {"x":"x"}'],
    ['PUT', '/a/b/c', '405 GET,POST'],
    ['GET', '/a/q', '405 DELETE'],
    ['GET', '/b/q', 'GET /{p}/{q} {"p":"b","q":"q"}'],
    ['GET', '/', 'GET / {}'],
    ['GET', '//a///q/', '405 DELETE'],
    ['GET', '/a/%ZZ/c', '400'],
    ['GET', '/a/b/c/d', '404'],
  ])('%s %s → %s', (method, path, expected) => {
    expect(compiledAnswer(synthetic, method, path)).toBe(expected);
    expect(referenceMatch(synthetic, method, path)).toBe(expected);
  });

  it('answers every generated request as the per-request reference did, for every function', () => {
    const segment = fc.oneof(
      fc.constantFrom('events', 'locations', 'bookings', 'players', 'map', 'id', 'name', 'a', 'b', 'c', '%E0%A4%A', '%20', '', 'x'),
      fc.string({ maxLength: 4 }),
    );
    const request = fc.record({
      method: fc.constantFrom('GET', 'get', 'POST', 'DELETE', 'PUT', 'PATCH'),
      path: fc.array(segment, { maxLength: 5 }).map((segments) => `/${segments.join('/')}`),
    });
    const tables: readonly Route<unknown>[][] = [...Object.values(httpFunctions), synthetic] as Route<unknown>[][];
    fc.assert(
      fc.property(request, ({ method, path }) => {
        for (const routes of tables) expect(compiledAnswer(routes, method, path)).toBe(referenceMatch(routes, method, path));
      }),
      { seed: 20261125, numRuns: 2000 },
    );
  });

  it('lists the allowed methods of a path in declaration order', () => {
    expect(allowedMethods(synthetic, '/a/b/anything')).toEqual(['GET', 'POST']);
    expect(() => allowedMethods(synthetic, '/nowhere/at/all/x')).toThrow(RouteNotFoundError);
  });
});
