import { isFindableName, isWellFormedId } from '../domain/identifiers.js';
import { NotFoundError } from '../errors.js';
import type { ApiRequest } from './contract.js';

/**
 * Path parameters, checked before any repository sees them. An id or name that could never have been
 * stored (too long for a database key, characters we never hand out) cannot name anything: it is the
 * same 404 NOT_FOUND as a well-formed unknown one, so callers need not tell the two apart, and the
 * value never reaches a database that would refuse it as a key.
 */
export function idParam(request: ApiRequest, what: string): string {
  const id = request.params['id'] ?? '';
  if (!isWellFormedId(id)) throw new NotFoundError(`${what} not found (not a valid id)`);
  return id;
}

/** `{name}` of `GET /events/name/{name}`: names that cannot be created cannot be found. */
export function nameParam(request: ApiRequest, what: string): string {
  const name = request.params['name'] ?? '';
  if (!isFindableName(name)) throw new NotFoundError(`${what} not found (not a valid name)`);
  return name;
}
