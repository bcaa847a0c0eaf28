import type { Route } from '../../functions/http/contract.js';
import { MethodNotAllowedError, RouteNotFoundError, ValidationError } from '../../functions/errors.js';

export interface RouteMatch<Deps> {
  route: Route<Deps>;
  params: Record<string, string>;
}

const segmentsOf = (path: string): string[] => path.split('/').filter((segment) => segment.length > 0);

/** Literal segments beat parameters, left to right (API Gateway's rule), so `/events/name/x` is not `/events/{id}`. */
function specificity(pattern: string): string {
  return segmentsOf(pattern)
    .map((segment) => (segment.startsWith('{') ? '0' : '1'))
    .join('');
}

function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const expected = segmentsOf(pattern);
  const actual = segmentsOf(path);
  if (expected.length !== actual.length) return undefined;
  const params: Record<string, string> = {};
  for (const [index, segment] of expected.entries()) {
    const value = actual[index] ?? '';
    if (segment.startsWith('{') && segment.endsWith('}')) {
      try {
        params[segment.slice(1, -1)] = decodeURIComponent(value);
      } catch (cause) {
        throw new ValidationError(`Path segment "${value}" is not valid URL encoding`, { cause });
      }
    } else if (segment !== value) {
      return undefined;
    }
  }
  return params;
}

/** The routes of the most specific pattern matching `path`; throws RouteNotFoundError (404) when none does. */
function routesForPath<Deps>(routes: readonly Route<Deps>[], path: string): RouteMatch<Deps>[] {
  const candidates = routes
    .map((route) => ({ route, params: matchPattern(route.path, path) }))
    .filter((candidate): candidate is RouteMatch<Deps> => candidate.params !== undefined)
    .sort((a, b) => specificity(b.route.path).localeCompare(specificity(a.route.path)));
  if (candidates.length === 0) throw new RouteNotFoundError(`No route for ${path}`);
  const best = specificity(candidates[0]!.route.path);
  return candidates.filter((candidate) => specificity(candidate.route.path) === best);
}

/** The methods `path` accepts (for `Allow` and CORS preflights); throws RouteNotFoundError (404) for an unknown path. */
export function allowedMethods<Deps>(routes: readonly Route<Deps>[], path: string): string[] {
  return [...new Set(routesForPath(routes, path).map((candidate) => candidate.route.method))];
}

/**
 * Finds the route for a method and path (path without query string, URL-encoded as received).
 * Throws RouteNotFoundError (404) when no pattern matches, MethodNotAllowedError (405) when only other methods do.
 */
export function matchRoute<Deps>(routes: readonly Route<Deps>[], method: string, path: string): RouteMatch<Deps> {
  const samePattern = routesForPath(routes, path);
  const match = samePattern.find((candidate) => candidate.route.method === method.toUpperCase());
  if (!match) {
    const allowed = [...new Set(samePattern.map((candidate) => candidate.route.method))];
    throw new MethodNotAllowedError(`${method.toUpperCase()} is not allowed on ${path}`, allowed);
  }
  return match;
}
