import type { Container, OperationInput } from '@azure/cosmos';
import * as z from 'zod/mini';
import { IDEMPOTENCY_KEY_LIFETIME_SECONDS } from '../../../functions/limits.js';
import { bookingSchema, knownEventSchema, type Booking, type KnownEvent } from '../../../functions/domain/booking.js';
import { listOrder } from '../../../functions/domain/list-order.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { Page, PageRequest } from '../../../functions/paging.js';
import type { BookingRepository, BookOutcome } from '../../../functions/ports.js';
import { bookIdempotently, type IdempotencyStore, type ReservationOutcome } from '../../shared/idempotency.js';
import { boundTo, HopBound, stampWriter } from '../../shared/trace-carriers.js';
import { conditionalBatch, cosmosStatusOf, createIfAbsent, derivedId, OptimisticConcurrencyError, readDocument, retryOnLostRace, stripSystemFields } from './documents.js';
import { LIST_POSITION, readListPage } from './paging.js';

/** Idempotency keys are kept for a day; Cosmos DB's TTL deletes them. */
export const IDEMPOTENCY_TTL_SECONDS = IDEMPOTENCY_KEY_LIFETIME_SECONDS;

const KNOWN_EVENT_ID = 'known-event';
const idempotencyId = (key: string): string => derivedId('idempotency', key);
const idempotencyDocumentSchema = z.object({ booking: bookingSchema });
/** The claim of a key across events: a partition of its own per key (partition key values may hold any character). */
const CLAIM_ID = 'idempotency-claim';
const claimPartition = (key: string): string => `idempotency-claim:${key}`;
const claimSchema = z.object({ booking: bookingSchema });
const MAX_CLAIM_ATTEMPTS = 5;

/**
 * The key's document in the event's partition, for the reservation's batch; `recorded` reads whether
 * it is there already. The reservation reads the event first and the key second: a key written after
 * the event was read came with a reservation, which changed the event's ETag, so the batch's IfMatch
 * fails and the next attempt sees the key. The batch never meets an existing key (some emulators'
 * batches are not atomic, so a Create failing after the Replace would keep the Replace).
 */
interface KeyCompletion {
  operation: OperationInput;
  recorded(): Promise<boolean>;
}

/**
 * Idempotency keys in two places: the completed key in the event's partition, written by the
 * reservation's batch; and a claim in a partition of the key's own, written before it, so that a key
 * used for one event refuses the others too (which the event's partition cannot see). A claim whose
 * booking was refused is released. Only a crash between claim and reservation leaves a claim without
 * a booking: the key then refuses other events for its lifetime, as a used key would.
 */
class CosmosIdempotencyStore extends HopBound implements IdempotencyStore<KeyCompletion> {
  constructor(private readonly container: Container) {
    super();
  }

  async claim(key: string, booking: Booking) {
    for (let attempt = 1; attempt <= MAX_CLAIM_ATTEMPTS; attempt += 1) {
      if (await createIfAbsent(this.container, stampWriter({ id: CLAIM_ID, pk: claimPartition(key), entity: 'idempotency-claim', key, booking, ttl: IDEMPOTENCY_TTL_SECONDS }, this.boundHop?.traceparent))) return undefined;
      const existing = await readDocument(this.container, CLAIM_ID, claimPartition(key));
      if (existing) return { booking: claimSchema.parse(existing).booking, completed: false };
      // Released between our create and our read: claim again.
    }
    throw new OptimisticConcurrencyError(`Claiming idempotency key for event ${booking.eventId}`);
  }

  completion(key: string, booking: Booking): KeyCompletion {
    const id = idempotencyId(key);
    return {
      operation: { operationType: 'Create', resourceBody: stampWriter({ id, pk: booking.eventId, entity: 'idempotency-key', key, booking, ttl: IDEMPOTENCY_TTL_SECONDS }, this.boundHop?.traceparent) },
      recorded: async () => (await readDocument(this.container, id, booking.eventId)) !== undefined,
    };
  }

  async replay(key: string, booking: Booking): Promise<Booking | undefined> {
    const document = await readDocument(this.container, idempotencyId(key), booking.eventId);
    return document && idempotencyDocumentSchema.parse(document).booking;
  }

  /** Frees a key whose booking was refused, if the claim is still this booking's (AWS stores no key for a refused booking). */
  async release(key: string, booking: Booking): Promise<void> {
    const existing = await readDocument(this.container, CLAIM_ID, claimPartition(key));
    if (existing === undefined || claimSchema.parse(existing).booking.id !== booking.id) return;
    try {
      await this.container.item(CLAIM_ID, claimPartition(key)).delete({ accessCondition: { type: 'IfMatch', condition: String(existing._etag) } });
    } catch (error) {
      if (cosmosStatusOf(error) !== 404 && cosmosStatusOf(error) !== 412) throw error;
    }
  }
}

/**
 * The booking service's container. Each event the service knows is one logical partition (`pk` = the
 * event id) holding everything a reservation touches:
 * - `{ id: 'known-event', entity: 'known-event', eventId, capacity, seatsBooked }`
 * - `{ id: <bookingId>, entity: 'booking', ...booking, listPosition: '<created instant>#<id>' }` per booking
 * - `{ id: 'idempotency:<key>', entity: 'idempotency-key', key, booking, ttl }` per idempotency key,
 *   `<key>` being `callerScopedKey(owner, key)`
 * and, outside the events' partitions, a claim `{ id: 'idempotency-claim', pk: 'idempotency-claim:<key>',
 * booking, ttl }` per key (CosmosIdempotencyStore).
 *
 * A reservation is one transactional batch in the event's partition: the known event replaced with
 * IfMatch on the ETag just read (first, so a lost race fails before anything else is written), the
 * booking created, the key created. No document grows with bookings; each event's writes go to its
 * own partition. The one ordering rule: each attempt reads the event *before* the key (KeyCompletion).
 * A caller's bookings are the event's partition filtered by `owner`, over the composite index
 * (owner, listPosition) of containers.ts and infra/azure/main.bicep.
 *
 * Relies on: Cosmos DB transactional batches (all or nothing within one partition), IfMatch on
 * `_etag`, 409 on creating an existing id, and per-item `ttl` (`defaultTtl: -1` in containers.ts).
 */
export class CosmosBookingRepository extends HopBound implements BookingRepository {
  private readonly idempotency: CosmosIdempotencyStore;

  constructor(private readonly container: Container) {
    super();
    this.idempotency = new CosmosIdempotencyStore(container);
  }

  async rememberEvent(event: KnownEvent): Promise<void> {
    // A redelivered EventCreated must not reset the seats booked since.
    await createIfAbsent(this.container, stampWriter({ id: KNOWN_EVENT_ID, pk: event.eventId, entity: ENTITY.knownEvent, ...event }, this.boundHop?.traceparent));
  }

  async getEvent(eventId: string): Promise<KnownEvent | undefined> {
    const document = await readDocument(this.container, KNOWN_EVENT_ID, eventId);
    return document && knownEventSchema.parse(document);
  }

  book(booking: Booking, idempotencyKey?: string): Promise<BookOutcome> {
    return bookIdempotently(boundTo(this.idempotency, this.boundHop), booking, idempotencyKey, (completion) => this.reserve(booking, completion));
  }

  /** The reservation batch, retried while it loses IfMatch races. */
  private reserve(booking: Booking, completion: KeyCompletion | undefined): Promise<ReservationOutcome> {
    const partition = booking.eventId;
    return retryOnLostRace(`Booking seats for event ${booking.eventId}`, async () => {
      // The event first, then the key (see KeyCompletion).
      const document = await readDocument(this.container, KNOWN_EVENT_ID, partition);
      if (completion !== undefined && (await completion.recorded())) return 'key-taken';
      if (document === undefined) return { outcome: 'unknown-event' };
      const event = knownEventSchema.parse(document);
      const seatsLeft = event.capacity - event.seatsBooked;
      if (booking.seats > seatsLeft) return { outcome: 'insufficient-seats', seatsLeft };
      const outcome = await conditionalBatch(this.container, partition, [
        { operationType: 'Replace', id: KNOWN_EVENT_ID, ifMatch: String(document._etag), resourceBody: stampWriter({ ...stripSystemFields(document), seatsBooked: event.seatsBooked + booking.seats }, this.boundHop?.traceparent) },
        { operationType: 'Create', resourceBody: stampWriter({ ...booking, pk: partition, entity: ENTITY.booking, [LIST_POSITION]: listOrder.bookings.positionOf(booking) }, this.boundHop?.traceparent) },
        ...(completion === undefined ? [] : [completion.operation]),
      ]);
      return outcome === 'committed' ? { outcome: 'booked', booking } : outcome;
    });
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
