import * as z from 'zod/mini';
import './zod-locale.js';

export const MAX_SEATS_PER_BOOKING = 10;

/** Body of `POST /events/{id}/bookings`. */
export const newBookingSchema = z.strictObject({ seats: z.number().check(z.int(), z.minimum(1), z.maximum(MAX_SEATS_PER_BOOKING)) });

export const bookingSchema = z.object({
  id: z.string().check(z.minLength(1)),
  eventId: z.string().check(z.minLength(1)),
  seats: z.number().check(z.int(), z.positive()),
  createdAt: z.string(),
  /** The `sub` of the caller who booked: it sees its own bookings, an admin sees all. */
  owner: z.string().check(z.minLength(1)),
});

/** The booking service's own view of an event, fed by EventCreated messages. */
export const knownEventSchema = z.object({
  eventId: z.string().check(z.minLength(1)),
  capacity: z.number().check(z.int(), z.nonnegative()),
  seatsBooked: z.number().check(z.int(), z.nonnegative()),
});

/** An Idempotency-Key is an opaque client token; bounded so it fits every database's key limits. */
export const idempotencyKeySchema = z.string().check(z.minLength(1), z.maxLength(255));

/**
 * An Idempotency-Key as every repository stores it: the caller's `sub` and the key, written as one JSON
 * text so no pair of (sub, key) can spell another's. One caller's keys are then neither visible to nor
 * claimable by another, and the same caller's retry still finds its first booking.
 */
export const callerScopedKey = (owner: string, idempotencyKey: string): string => JSON.stringify([owner, idempotencyKey]);

export type NewBooking = z.infer<typeof newBookingSchema>;
export type Booking = z.infer<typeof bookingSchema>;
export type KnownEvent = z.infer<typeof knownEventSchema>;
