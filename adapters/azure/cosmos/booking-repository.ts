import type { Container } from '@azure/cosmos';
import * as z from 'zod/mini';
import { bookingSchema, callerScopedKey, knownEventSchema, type Booking, type KnownEvent } from '../../../functions/domain/booking.js';
import { listOrder } from '../../../functions/domain/list-order.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { Page, PageRequest } from '../../../functions/paging.js';
import type { BookingRepository, BookOutcome } from '../../../functions/ports.js';
import {
  backoff,
  conditionalBatch,
  cosmosStatusOf,
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
/** The claim of a key across events: a partition of its own per key (partition key values may hold any character). */
const CLAIM_ID = 'idempotency-claim';
const claimPartition = (key: string): string => `idempotency-claim:${key}`;
const claimSchema = z.object({ booking: bookingSchema });
const MAX_CLAIM_ATTEMPTS = 5;

/**
 * The booking service's container. Each event the service knows is one logical partition (`pk` = the
 * event id) holding everything a reservation touches:
 * - `{ id: 'known-event', entity: 'known-event', eventId, capacity, seatsBooked }`
 * - `{ id: <bookingId>, entity: 'booking', ...booking, listPosition: '<created instant>#<id>' }` per booking
 * - `{ id: 'idempotency:<key>', entity: 'idempotency-key', key, booking, ttl }` per idempotency key,
 *   `<key>` being `callerScopedKey(owner, key)`
 * A caller's bookings are the event's partition filtered by `owner`, over the composite index
 * (owner, listPosition) of containers.ts and infra/azure/main.bicep.
 * so that a reservation is one transactional batch in one partition: the known event replaced with
 * IfMatch on the ETag just read (first, so a lost race fails before anything else is written), the
 * booking created, the key created. No document grows with bookings; each event's writes go to its
 * own partition.
 *
 * A key must also refuse a booking of *another* event (422 at the edge, as on AWS), which the event's
 * partition cannot see: a key is first claimed, for its event, by `{ id: 'idempotency-claim',
 * pk: 'idempotency-claim:<key>', booking, ttl }`; a claim for another event answers with that booking.
 * A claim whose booking was refused is released. Only a crash between claim and reservation leaves a
 * claim without a booking: the key then refuses other events for its TTL, as a used key would.
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

  async book(booking: Booking, idempotencyKey?: string): Promise<BookOutcome> {
    if (idempotencyKey === undefined) return this.reserve(booking, undefined);
    const key = callerScopedKey(booking.owner, idempotencyKey);
    const claimed = await this.claim(key, booking);
    if (claimed.eventId !== booking.eventId) return { outcome: 'replayed', booking: claimed };
    const outcome = await this.reserve(booking, key);
    if (outcome.outcome === 'insufficient-seats' || outcome.outcome === 'unknown-event') await this.release(key, booking);
    return outcome;
  }

  /** The booking the key is claimed for: this one if the key was free, else the claim's. */
  private async claim(key: string, booking: Booking): Promise<Booking> {
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt += 1) {
      if (await createIfAbsent(this.container, { id: CLAIM_ID, pk: claimPartition(key), entity: 'idempotency-claim', key, booking, ttl: IDEMPOTENCY_TTL_SECONDS })) return booking;
      const existing = await readDocument(this.container, CLAIM_ID, claimPartition(key));
      if (existing) return claimSchema.parse(existing).booking;
      // Released between our create and our read: claim again.
    }
    throw new OptimisticConcurrencyError(`Claiming idempotency key for event ${booking.eventId}`);
  }

  /** Frees a key whose booking was refused, if the claim is still this booking's (AWS stores no key for a refused booking). */
  private async release(key: string, booking: Booking): Promise<void> {
    const existing = await readDocument(this.container, CLAIM_ID, claimPartition(key));
    if (existing === undefined || claimSchema.parse(existing).booking.id !== booking.id) return;
    try {
      await this.container.item(CLAIM_ID, claimPartition(key)).delete({ accessCondition: { type: 'IfMatch', condition: String(existing._etag) } });
    } catch (error) {
      if (cosmosStatusOf(error) !== 404 && cosmosStatusOf(error) !== 412) throw error;
    }
  }

  /** The reservation batch, retried while it loses IfMatch races. */
  private async reserve(booking: Booking, key: string | undefined): Promise<BookOutcome> {
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

  listForEvent(eventId: string, page: PageRequest, owner?: string): Promise<Page<Booking>> {
    return readListPage(
      {
        container: this.container,
        entity: ENTITY.booking,
        order: { ...listOrder.bookings, list: listOrder.bookings.list(eventId, owner) },
        parse: (document) => bookingSchema.parse(document),
        partitionKey: eventId,
        ...(owner !== undefined && { owner }),
      },
      page,
    );
  }
}
