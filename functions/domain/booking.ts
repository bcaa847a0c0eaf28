import * as z from 'zod';

export const MAX_SEATS_PER_BOOKING = 10;

/** Body of `POST /events/{id}/bookings`. */
export const newBookingSchema = z.object({ seats: z.number().int().min(1).max(MAX_SEATS_PER_BOOKING) }).strict();

export const bookingSchema = z.object({
  id: z.string().min(1),
  eventId: z.string().min(1),
  seats: z.number().int().positive(),
  createdAt: z.string(),
  /** The `sub` of the caller who booked: it sees its own bookings, an admin sees all. */
  owner: z.string().min(1),
});

/** The booking service's own view of an event, fed by EventCreated messages. */
export const knownEventSchema = z.object({
  eventId: z.string().min(1),
  capacity: z.number().int().nonnegative(),
  seatsBooked: z.number().int().nonnegative(),
});

/** An Idempotency-Key is an opaque client token; bounded so it fits every database's key limits. */
export const idempotencyKeySchema = z.string().min(1).max(255);

export type NewBooking = z.infer<typeof newBookingSchema>;
export type Booking = z.infer<typeof bookingSchema>;
export type KnownEvent = z.infer<typeof knownEventSchema>;
