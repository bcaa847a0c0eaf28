import type { Route } from '../../functions/http/contract.js';

/**
 * Memory mode's HTTP trigger: a function's routes bound to its ports, so the routes of every function
 * share one table in this process (one port, as API Gateway gives one base URL).
 */
export function httpTrigger<Deps>(routes: readonly Route<Deps>[], deps: Deps): Route<void>[] {
  return routes.map((route) => ({ ...route, handler: (request) => route.handler(request, deps) }));
}
