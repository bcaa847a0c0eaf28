import { newEventSchema, type Event } from '../domain/event.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors.js';
import type { EventRepository, IdSource, LocationRepository } from '../ports.js';
import { parseOrThrow } from '../validation.js';
import { created, ok, type ApiRequest, type ApiResponse } from './contract.js';
import { pagedOk, readPageRequest } from './paged.js';
import { idParam, nameParam } from './path-params.js';

export interface EventsDeps {
  locations: LocationRepository;
  events: EventRepository;
  ids: IdSource;
}

/**
 * `POST /events`: the location and hall must exist (422 otherwise); the event takes the hall's capacity.
 * EventCreated is published later by the eventsOutbox stream function, never from here (no dual write).
 */
export async function createEvent(request: ApiRequest, deps: EventsDeps): Promise<ApiResponse> {
  const input = parseOrThrow(newEventSchema, request.body, 'body');
  const location = await deps.locations.get(input.locationId);
  if (!location) {
    throw new UnprocessableError('UNKNOWN_LOCATION', `Location ${input.locationId} does not exist`, [
      { field: 'locationId', message: 'No location with this id' },
    ]);
  }
  const hall = location.halls.find((candidate) => candidate.name === input.hall);
  if (!hall) {
    throw new UnprocessableError('UNKNOWN_HALL', `Location ${location.id} has no hall "${input.hall}"`, [
      { field: 'hall', message: `Known halls: ${location.halls.map((known) => known.name).join(', ')}` },
    ]);
  }
  const event: Event = { id: deps.ids.newId(), ...input, capacity: hall.capacity, seatsBooked: 0 };
  if ((await deps.events.add(event)) === 'name-taken') {
    throw new ConflictError('EVENT_NAME_TAKEN', `An event named "${event.name}" already exists`, [
      { field: 'name', message: 'Event names are unique' },
    ]);
  }
  return created(event);
}

/** `GET /events?limit&cursor`: by start, then id; the next page in the `Link` header. */
export async function listEvents(request: ApiRequest, deps: EventsDeps): Promise<ApiResponse> {
  const page = readPageRequest(request);
  return pagedOk(request, page, await deps.events.list(page));
}

/** `GET /events/{id}` and the book's search criterion `GET /events/id/{id}`. */
export async function getEvent(request: ApiRequest, deps: EventsDeps): Promise<ApiResponse> {
  const id = idParam(request, 'Event');
  const event = await deps.events.get(id);
  if (!event) throw new NotFoundError(`Event ${id} not found`);
  return ok(event);
}

/** `GET /events/name/{name}`: the book's search by name. */
export async function getEventByName(request: ApiRequest, deps: EventsDeps): Promise<ApiResponse> {
  const name = nameParam(request, 'Event');
  const event = await deps.events.findByName(name);
  if (!event) throw new NotFoundError(`No event named "${name}"`);
  return ok(event);
}
