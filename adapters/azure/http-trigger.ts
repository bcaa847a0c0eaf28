import type { HttpFunctionOptions, HttpMethod, HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import type { Route } from '../../functions/http/contract.js';
import { dispatchHttp, type RawHttpRequest, type RawHttpResponse } from '../shared/http-dispatch.js';
import { invocationLogger } from './logger.js';

/**
 * The request as received: the path stays URL-encoded (the shared router decodes parameters once);
 * a repeated query parameter keeps every value, comma-joined, as API Gateway's HTTP API does.
 */
export async function httpRequestToRawRequest(request: HttpRequest): Promise<RawHttpRequest> {
  const url = new URL(request.url);
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = name in query ? `${query[name]},${value}` : value;
  // Headers (the fetch API's) iterate with lower-cased names and repeated values joined by ", ".
  const headers = Object.fromEntries(request.headers);
  return { method: request.method, path: url.pathname, query, headers, body: await request.text() };
}

/** The dispatched response as the Functions host's response; a 204 carries no body. */
export function rawResponseToHttpResponseInit(response: RawHttpResponse): HttpResponseInit {
  return { status: response.status, headers: response.headers, ...(response.body === '' ? {} : { body: response.body }) };
}

/** What the host needs to know of a route. */
export type RoutePattern = Pick<Route<never>, 'method' | 'path'>;

/**
 * The host route template of a function serving `routes`: the pattern itself when there is one, else
 * the first segments its patterns start with, then a catch-all (`{root:regex(^(events|locations)$)}/{*rest}`).
 * The host only picks the function; the shared router matches the route, so 404 and 405 are the same as on AWS.
 */
export function routeTemplateOf(routes: readonly RoutePattern[]): string {
  const patterns = [...new Set(routes.map((route) => route.path.replace(/^\//, '')))];
  if (patterns.length === 1) return patterns[0] ?? '';
  const roots = [...new Set(patterns.map((pattern) => pattern.split('/')[0] ?? ''))].sort();
  return `{root:regex(^(${roots.join('|')})$)}/{*rest}`;
}

/**
 * Every method reaches the function, whatever its routes: the host would answer a method it was not
 * given with its own 404, where the shared router answers 405 with `Allow` (and OPTIONS, CORS), as
 * the HTTP API's `ANY` routes do on AWS.
 */
export const ALL_METHODS: HttpMethod[] = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];

/**
 * An Azure Functions HTTP handler for one function's route table: HttpRequest in, the shared HTTP
 * layer (routing, body checks, error mapping) in between, HttpResponseInit out. The invocation id is
 * the request id callers see and every log line carries.
 */
export function httpTrigger<Deps>(routes: readonly Route<Deps>[], deps: Deps): (request: HttpRequest, context: InvocationContext) => Promise<HttpResponseInit> {
  return async (request, context) => {
    const requestId = context.invocationId;
    const response = await dispatchHttp(routes, deps, await httpRequestToRawRequest(request), { requestId, logger: invocationLogger(context), fn: context.functionName });
    return rawResponseToHttpResponseInit(response);
  };
}

/** The options `app.http(name, …)` registers for a function serving `routes` over `deps`. */
export function httpTriggerOptions<Deps>(routes: readonly Route<Deps>[], deps: Deps): HttpFunctionOptions {
  return {
    methods: ALL_METHODS,
    route: routeTemplateOf(routes),
    // Anonymous, as on API Gateway: authentication is not part of this app (the book's API has none).
    authLevel: 'anonymous',
    handler: httpTrigger(routes, deps),
  };
}
