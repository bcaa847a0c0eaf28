import type { Route } from '../../functions/http/contract.js';
import { MethodNotAllowedError, RouteNotFoundError, ValidationError } from '../../functions/errors.js';

export interface RouteMatch<Deps> {
  route: Route<Deps>;
  params: Record<string, string>;
}

/** A segment of a path pattern: literal text, or the name of a parameter. */
type Segment = { literal: string; param?: undefined } | { literal?: undefined; param: string };

/** One path pattern of a table, split once. */
interface CompiledPattern<Deps> {
  segments: readonly Segment[];
  /** '1' per literal and '0' per parameter, left to right: compared as text, higher is more specific. */
  specificity: string;
  /** The routes of this pattern in declaration order (the order `Allow` lists them in). */
  routes: Route<Deps>[];
}

/** A route table compiled once: patterns grouped by segment count, most specific first. */
export interface CompiledRoutes<Deps> {
  byLength: Map<number, CompiledPattern<Deps>[]>;
}

/** Path segments without empty ones, so `/events/` and `//events` are `/events` (as before). */
function segmentsOf(path: string): string[] {
  const segments: string[] = [];
  let start = 0;
  for (let index = 0; index <= path.length; index += 1) {
    if (index === path.length || path.charCodeAt(index) === 47 /* '/' */) {
      if (index > start) segments.push(path.slice(start, index));
      start = index + 1;
    }
  }
  return segments;
}

/**
 * Compiles a route table: each pattern is split and ranked once, not on every request (matching was
 * 3.4 µs per request, more than the core handler; see BENCHMARKS.md). Literal segments beat parameters,
 * left to right (API Gateway's rule), so `/events/name/x` is not `/events/{id}`.
 */
export function compileRoutes<Deps>(routes: readonly Route<Deps>[]): CompiledRoutes<Deps> {
  const byPattern = new Map<string, CompiledPattern<Deps>>();
  for (const route of routes) {
    let pattern = byPattern.get(route.path);
    if (pattern === undefined) {
      const segments = segmentsOf(route.path).map(
        (segment): Segment => (segment.startsWith('{') && segment.endsWith('}') ? { param: segment.slice(1, -1) } : { literal: segment }),
      );
      const specificity = segments.map((segment) => (segment.param === undefined ? '1' : '0')).join('');
      pattern = { segments, specificity, routes: [] };
      byPattern.set(route.path, pattern);
    }
    pattern.routes.push(route);
  }
  const byLength = new Map<number, CompiledPattern<Deps>[]>();
  for (const pattern of byPattern.values()) {
    const sameLength = byLength.get(pattern.segments.length) ?? [];
    sameLength.push(pattern);
    byLength.set(pattern.segments.length, sameLength);
  }
  // Stable sort: patterns of equal specificity keep declaration order.
  for (const patterns of byLength.values()) patterns.sort((a, b) => b.specificity.localeCompare(a.specificity));
  return { byLength };
}

const literalsMatch = (segments: readonly Segment[], actual: readonly string[]): boolean =>
  segments.every((segment, index) => segment.literal === undefined || segment.literal === actual[index]);

function paramsOf(segments: readonly Segment[], actual: readonly string[]): Record<string, string> {
  const params: Record<string, string> = {};
  segments.forEach((segment, index) => {
    if (segment.param === undefined) return;
    const value = actual[index] ?? '';
    try {
      params[segment.param] = decodeURIComponent(value);
    } catch (cause) {
      throw new ValidationError(`Path segment "${value}" is not valid URL encoding`, { cause });
    }
  });
  return params;
}

/**
 * The most specific patterns matching `path` (several only when equally specific), with their
 * URL-decoded parameters; throws RouteNotFoundError (404) when none does, ValidationError (400) for
 * a parameter that is not valid URL encoding.
 */
function patternsFor<Deps>(compiled: CompiledRoutes<Deps>, path: string): { pattern: CompiledPattern<Deps>; params: Record<string, string> }[] {
  const actual = segmentsOf(path);
  const found: { pattern: CompiledPattern<Deps>; params: Record<string, string> }[] = [];
  for (const pattern of compiled.byLength.get(actual.length) ?? []) {
    if (found.length > 0 && pattern.specificity !== found[0]!.pattern.specificity) break;
    if (literalsMatch(pattern.segments, actual)) found.push({ pattern, params: paramsOf(pattern.segments, actual) });
  }
  if (found.length === 0) throw new RouteNotFoundError(`No route for ${path}`);
  return found;
}

/** Each route table is compiled the first time it is used, then reused for every request. */
const compiledTables = new WeakMap<object, CompiledRoutes<unknown>>();

function compiledFor<Deps>(routes: readonly Route<Deps>[]): CompiledRoutes<Deps> {
  let compiled = compiledTables.get(routes) as CompiledRoutes<Deps> | undefined;
  if (compiled === undefined) {
    compiled = compileRoutes(routes);
    compiledTables.set(routes, compiled as CompiledRoutes<unknown>);
  }
  return compiled;
}

const methodsOf = <Deps>(found: readonly { pattern: CompiledPattern<Deps> }[]): string[] => [
  ...new Set(found.flatMap(({ pattern }) => pattern.routes.map((route) => route.method))),
];

/** The methods `path` accepts (for `Allow` and CORS preflights); throws RouteNotFoundError (404) for an unknown path. */
export function allowedMethods<Deps>(routes: readonly Route<Deps>[], path: string): string[] {
  return methodsOf(patternsFor(compiledFor(routes), path));
}

/**
 * Finds the route for a method and path (path without query string, URL-encoded as received).
 * Throws RouteNotFoundError (404) when no pattern matches, MethodNotAllowedError (405) when only other methods do.
 */
export function matchRoute<Deps>(routes: readonly Route<Deps>[], method: string, path: string): RouteMatch<Deps> {
  const found = patternsFor(compiledFor(routes), path);
  const upper = method.toUpperCase();
  for (const { pattern, params } of found) {
    const route = pattern.routes.find((candidate) => candidate.method === upper);
    if (route !== undefined) return { route, params };
  }
  throw new MethodNotAllowedError(`${upper} is not allowed on ${path}`, methodsOf(found));
}

/**
 * Which of several route tables serves `path` (for the deployed HTTP functions: which function, by
 * functions/routes.ts), any method: a wrong method is still that table's path (its 405), and so is a
 * path whose parameter is not valid URL encoding (`/locations/%`: its 400). Undefined when none does.
 * The one answer to "which function serves this path" for npm start's console lines, start:gcp's front
 * door and the conformance drivers.
 */
export function tableServing<Name extends string>(tables: Readonly<Record<Name, readonly Route<never>[]>>, path: string): Name | undefined {
  for (const name of Object.keys(tables) as Name[]) {
    try {
      allowedMethods(tables[name], path);
      return name;
    } catch (error) {
      if (error instanceof ValidationError) return name;
      if (!(error instanceof RouteNotFoundError)) throw error;
    }
  }
  return undefined;
}
