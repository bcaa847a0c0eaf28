import * as z from 'zod/mini';
import { bookingSchema } from '../domain/booking.js';
import { BOOKINGS_SERVICE_SOURCE, envelope } from '../domain/domain-events.js';
import { ENTITY, entityOf } from '../domain/stored-records.js';
import type { Clock, Publisher } from '../ports.js';
import type { ChangeRecord } from './contract.js';
import { parseStoredDocument } from './stored-document.js';

export interface BookingsOutboxDeps {
  publisher: Publisher;
  clock: Clock;
}

/**
 * Transactional outbox of the booking service: an inserted booking becomes EventBooked, published only
 * after the booking is stored (the book published before saving; a failed save then announced a phantom).
 */
export async function bookingsOutbox(record: ChangeRecord, deps: BookingsOutboxDeps): Promise<void> {
  if (record.kind !== 'insert' || entityOf(record.after) !== ENTITY.booking) return;
  // Only what EventBooked carries: the owner stays in the booking service (and older records without one still publish).
  const booking = parseStoredDocument(z.omit(bookingSchema, { owner: true }), record.after, 'booking');
  const data = { bookingId: booking.id, eventId: booking.eventId, seats: booking.seats, createdAt: booking.createdAt };
  await deps.publisher.publish(envelope('EventBooked', booking.id, BOOKINGS_SERVICE_SOURCE, deps.clock.now(), data));
}
