import { idempotencyKeySchema, newBookingSchema, type Booking } from '../domain/booking.js';
import { ConflictError, NotFoundError, UnprocessableError } from '../errors.js';
import type { BookingRepository, Clock, IdSource } from '../ports.js';
import { parseOrThrow } from '../validation.js';
import { callerOf, isAdmin } from './caller.js';
import { created, type ApiRequest, type ApiResponse } from './contract.js';
import { pagedOk, readPageRequest } from './paged.js';
import { idParam } from './path-params.js';

export interface BookingsDeps {
  bookings: BookingRepository;
  clock: Clock;
  ids: IdSource;
}

/**
 * `POST /events/{id}/bookings`: books seats for an event the booking service knows (404 otherwise),
 * never beyond capacity (409). With an `Idempotency-Key` header a retried request returns the first
 * booking (201 again, `idempotent-replayed: true`); reusing the key for different seats is a 422.
 * The key is handled by the repository, atomically with the reservation: a separate idempotency layer
 * (such as Powertools') cannot commit together with the seat reservation on every database we run on;
 * every repository runs the one algorithm of adapters/shared/idempotency.ts, completing the key in its own transaction.
 */
export async function bookSeats(request: ApiRequest, deps: BookingsDeps): Promise<ApiResponse> {
  const eventId = idParam(request, 'Event');
  const { seats } = parseOrThrow(newBookingSchema, request.body, 'body');
  const rawKey = request.headers['idempotency-key'];
  const idempotencyKey = rawKey === undefined ? undefined : parseOrThrow(idempotencyKeySchema, rawKey, 'Idempotency-Key header');

  const owner = callerOf(request).subject;
  const booking: Booking = { id: deps.ids.newId(), eventId, seats, createdAt: deps.clock.now().toISOString(), owner };
  const result = await deps.bookings.book(booking, idempotencyKey);
  switch (result.outcome) {
    case 'booked':
      return created(result.booking);
    case 'replayed':
      // Keys are stored per caller (callerScopedKey): a replay is always this caller's own booking; checked again so it never shows another's.
      if (result.booking.eventId !== eventId || result.booking.seats !== seats || result.booking.owner !== owner) {
        throw new UnprocessableError('IDEMPOTENCY_KEY_REUSED', 'This Idempotency-Key was already used for a different booking', [
          { field: 'idempotency-key', message: 'Use a new key for a new booking' },
        ]);
      }
      return { ...created(result.booking), headers: { 'idempotent-replayed': 'true' } };
    case 'insufficient-seats':
      throw new ConflictError('INSUFFICIENT_SEATS', `Only ${result.seatsLeft} seat(s) left for event ${eventId}`, [
        { field: 'seats', message: `At most ${result.seatsLeft} available` },
      ]);
    case 'unknown-event':
      throw new NotFoundError(`Event ${eventId} is not known to the booking service (yet)`);
  }
}

/**
 * `GET /events/{id}/bookings?limit&cursor`: by creation time, then id; the next page in the `Link` header.
 * An admin sees every booking, any other caller only its own, read from the repository's index of the
 * event's bookings by owner: pages are full, and the caller's cursors name only its own bookings.
 */
export async function listBookings(request: ApiRequest, deps: BookingsDeps): Promise<ApiResponse> {
  const caller = callerOf(request);
  const eventId = idParam(request, 'Event');
  const page = readPageRequest(request);
  if (!(await deps.bookings.getEvent(eventId))) {
    throw new NotFoundError(`Event ${eventId} is not known to the booking service (yet)`);
  }
  return pagedOk(request, page, await deps.bookings.listForEvent(eventId, page, isAdmin(caller) ? undefined : caller.subject));
}
