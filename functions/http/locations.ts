import { newLocationSchema } from '../domain/location.js';
import { NotFoundError } from '../errors.js';
import type { IdSource, LocationRepository } from '../ports.js';
import { parseOrThrow } from '../validation.js';
import { created, ok, type ApiRequest, type ApiResponse } from './contract.js';
import { pagedOk, readPageRequest } from './paged.js';
import { idParam } from './path-params.js';

export interface LocationsDeps {
  locations: LocationRepository;
  ids: IdSource;
}

/** `POST /locations`: stores a location; LocationCreated is published later by the eventsOutbox stream function. */
export async function createLocation(request: ApiRequest, deps: LocationsDeps): Promise<ApiResponse> {
  const input = parseOrThrow(newLocationSchema, request.body, 'body');
  const location = { id: deps.ids.newId(), ...input };
  await deps.locations.add(location);
  return created(location);
}

/** `GET /locations?limit&cursor`: by id; the next page in the `Link` header. */
export async function listLocations(request: ApiRequest, deps: LocationsDeps): Promise<ApiResponse> {
  const page = readPageRequest(request);
  return pagedOk(request, page, await deps.locations.list(page));
}

/** `GET /locations/{id}` */
export async function getLocation(request: ApiRequest, deps: LocationsDeps): Promise<ApiResponse> {
  const id = idParam(request, 'Location');
  const location = await deps.locations.get(id);
  if (!location) throw new NotFoundError(`Location ${id} not found`);
  return ok(location);
}
