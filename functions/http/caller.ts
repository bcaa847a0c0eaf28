import { UnauthenticatedError } from '../errors.js';
import type { ApiRequest, Caller } from './contract.js';

/** The scope that may create locations and events, see every booking and delete any player. */
export const ADMIN_SCOPE = 'admin';

export const isAdmin = (caller: Caller): boolean => caller.scopes.includes(ADMIN_SCOPE);

/**
 * The verified caller of a route that needs one. The shared HTTP layer has already refused requests
 * without a valid token; this throws too, so a handler wired to a public route by mistake fails closed.
 */
export function callerOf(request: ApiRequest): Caller {
  if (!request.caller) throw new UnauthenticatedError('A bearer token is required');
  return request.caller;
}

/** Whether the caller may act on a resource owned by `owner`: its owner, or an admin. */
export const mayActFor = (caller: Caller, owner: string): boolean => caller.subject === owner || isAdmin(caller);
