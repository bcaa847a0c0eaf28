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

/**
 * Finds the route for a method and path (path without query string, URL-encoded as received).
 * Throws RouteNotFoundError (404) when no pattern matches, MethodNotAllowedError (405) when only other methods do.
 */
export function matchRoute<Deps>(routes: readonly Route<Deps>[], method: string, path: string): RouteMatch<Deps> {
  const candidates = routes
    .map((route) => ({ route, params: matchPattern(route.path, path) }))
    .filter((candidate): candidate is RouteMatch<Deps> => candidate.params !== undefined)
    .sort((a, b) => specificity(b.route.path).localeCompare(specificity(a.route.path)));
  if (candidates.length === 0) throw new RouteNotFoundError(`No route for ${path}`);
  const best = specificity(candidates[0]!.route.path);
  const samePattern = candidates.filter((candidate) => specificity(candidate.route.path) === best);
  const match = samePattern.find((candidate) => candidate.route.method === method.toUpperCase());
  if (!match) {
    const allowed = [...new Set(samePattern.map((candidate) => candidate.route.method))];
    throw new MethodNotAllowedError(`${method.toUpperCase()} is not allowed on ${path}`, allowed);
  }
  return match;
}
