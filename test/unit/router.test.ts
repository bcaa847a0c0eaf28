import { describe, expect, it } from 'vitest';
import { matchRoute } from '../../adapters/shared/router.js';
import { MethodNotAllowedError, RouteNotFoundError, ValidationError } from '../../functions/errors.js';
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
