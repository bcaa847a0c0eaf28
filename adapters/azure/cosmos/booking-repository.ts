import type { Container } from '@azure/cosmos';
import * as z from 'zod';
import { bookingSchema, knownEventSchema, type Booking, type KnownEvent } from '../../../functions/domain/booking.js';
import { listOrder } from '../../../functions/domain/list-order.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { Page, PageRequest } from '../../../functions/paging.js';
import type { BookingRepository, BookOutcome } from '../../../functions/ports.js';
import {
  backoff,
  conditionalBatch,
  createIfAbsent,
  derivedId,
  MAX_OPTIMISTIC_ATTEMPTS,
  OptimisticConcurrencyError,
  readDocument,
  stripSystemFields,
} from './documents.js';
import { LIST_POSITION, readListPage } from './paging.js';

/** Idempotency keys are kept for a day; Cosmos DB's TTL deletes them. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 60 * 60;

const KNOWN_EVENT_ID = 'known-event';
const idempotencyId = (key: string): string => derivedId('idempotency', key);
const idempotencyDocumentSchema = z.object({ booking: bookingSchema });

/**
 * The booking service's container. Each event the service knows is one logical partition (`pk` = the
 * event id) holding everything a reservation touches:
 * - `{ id: 'known-event', entity: 'known-event', eventId, capacity, seatsBooked }`
 * - `{ id: <bookingId>, entity: 'booking', ...booking, listPosition: '<created instant>#<id>' }` per booking
 * - `{ id: 'idempotency:<key>', entity: 'idempotency-key', key, booking, ttl }` per idempotency key
 * so that a reservation is one transactional batch in one partition: the known event replaced with
 * IfMatch on the ETag just read (first, so a lost race fails before anything else is written), the
 * booking created, the key created. No document grows with bookings; each event's writes go to its
 * own partition. An idempotency key is therefore scoped to the event it was used for (see README).
 */
export class CosmosBookingRepository implements BookingRepository {
  constructor(private readonly container: Container) {}

  async rememberEvent(event: KnownEvent): Promise<void> {
    // A redelivered EventCreated must not reset the seats booked since.
    await createIfAbsent(this.container, { id: KNOWN_EVENT_ID, pk: event.eventId, entity: ENTITY.knownEvent, ...event });
  }

  async getEvent(eventId: string): Promise<KnownEvent | undefined> {
    const document = await readDocument(this.container, KNOWN_EVENT_ID, eventId);
    return document && knownEventSchema.parse(document);
  }

  async book(booking: Booking, key?: string): Promise<BookOutcome> {
    const partition = booking.eventId;
    for (let attempt = 1; attempt <= MAX_OPTIMISTIC_ATTEMPTS; attempt += 1) {
      // The event is read before the key: a key written after this read came with a reservation,
      // which changed the event's ETag, so our IfMatch fails and the next attempt sees the key.
      const document = await readDocument(this.container, KNOWN_EVENT_ID, partition);
      if (key !== undefined) {
        const previous = await readDocument(this.container, idempotencyId(key), partition);
        if (previous) return { outcome: 'replayed', booking: idempotencyDocumentSchema.parse(previous).booking };
      }
      if (document === undefined) return { outcome: 'unknown-event' };
      const event = knownEventSchema.parse(document);
      const seatsLeft = event.capacity - event.seatsBooked;
      if (booking.seats > seatsLeft) return { outcome: 'insufficient-seats', seatsLeft };
      const outcome = await conditionalBatch(this.container, partition, [
        { operationType: 'Replace', id: KNOWN_EVENT_ID, ifMatch: String(document._etag), resourceBody: { ...stripSystemFields(document), seatsBooked: event.seatsBooked + booking.seats } },
        { operationType: 'Create', resourceBody: { ...booking, pk: partition, entity: ENTITY.booking, [LIST_POSITION]: listOrder.bookings.positionOf(booking) } },
        ...(key === undefined
          ? []
          : [{ operationType: 'Create' as const, resourceBody: { id: idempotencyId(key), pk: partition, entity: 'idempotency-key', key, booking, ttl: IDEMPOTENCY_TTL_SECONDS } }]),
      ]);
      if (outcome === 'committed') return { outcome: 'booked', booking };
      await backoff(attempt);
    }
    throw new OptimisticConcurrencyError(`Booking seats for event ${booking.eventId}`);
  }

  listForEvent(eventId: string, page: PageRequest): Promise<Page<Booking>> {
    return readListPage(
      {
        container: this.container,
        entity: ENTITY.booking,
        order: { ...listOrder.bookings, list: listOrder.bookings.list(eventId) },
        parse: (document) => bookingSchema.parse(document),
        partitionKey: eventId,
      },
      page,
    );
  }
}
