import { createHash } from 'node:crypto';
import { Timestamp, type CollectionReference, type DocumentData, type WriteBatch } from '@google-cloud/firestore';
import * as z from 'zod/mini';
import { IDEMPOTENCY_KEY_LIFETIME_SECONDS } from '../../../functions/limits.js';
import { bookingSchema, knownEventSchema, type Booking, type KnownEvent } from '../../../functions/domain/booking.js';
import { listOrder } from '../../../functions/domain/list-order.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { Page, PageRequest } from '../../../functions/paging.js';
import type { BookingRepository, BookOutcome } from '../../../functions/ports.js';
import { bookIdempotently, type IdempotencyStore, type ReservationOutcome } from '../../shared/idempotency.js';
import { boundTo, HopBound, stampWriter } from '../../shared/trace-carriers.js';
import { CollectionRepository, documentId, failedWith, GrpcStatus, requiredDocumentId, tracedUpdate } from './client.js';
import { listFields, readListPage } from './paging.js';
import { KeyedQueue, retryOnConflict } from './optimistic-write.js';

const KIND = { event: 'EVENT', booking: 'BOOKING', idempotency: 'IDEMPOTENCY' } as const;

/** Keys are opaque client tokens of up to 255 characters: hashed so that any of them is a valid document id. */
const idempotencyDocumentId = (key: string): string => `${KIND.idempotency}#${createHash('sha256').update(key, 'utf8').digest('hex')}`;
const idempotencyDocumentSchema = z.object({ key: z.string(), booking: bookingSchema });

/** Adds the key's document to the reservation's batch. */
type KeyCompletion = (batch: WriteBatch) => void;

/**
 * Idempotency keys as documents of the collection: the reservation's batch creates the key's document
 * (`create` fails with ALREADY_EXISTS when a twin did first), so it needs no claim of its own and a
 * refused booking leaves nothing to release. A TTL policy on `expiresAt` deletes them after
 * IDEMPOTENCY_KEY_LIFETIME_SECONDS (within about a day).
 */
class FirestoreIdempotencyStore extends HopBound implements IdempotencyStore<KeyCompletion> {
  constructor(private readonly collection: () => CollectionReference) {
    super();
  }

  async claim(key: string) {
    const booking = await this.replay(key);
    return booking && { booking, completed: true };
  }

  completion(key: string, booking: Booking): KeyCompletion {
    const expiresAt = Timestamp.fromMillis(Date.now() + IDEMPOTENCY_KEY_LIFETIME_SECONDS * 1000);
    return (batch) => batch.create(this.collection().doc(idempotencyDocumentId(key)), stampWriter({ entity: 'idempotency-key', key, booking, expiresAt }, this.boundHop?.traceparent));
  }

  async replay(key: string): Promise<Booking | undefined> {
    const snapshot = await this.collection().doc(idempotencyDocumentId(key)).get();
    return snapshot.exists ? idempotencyDocumentSchema.parse(snapshot.data()).booking : undefined;
  }

  async release(): Promise<void> {}
}

/**
 * The booking service's collection. The known event `EVENT#<id>` →
 * `{ entity: 'known-event', eventId, capacity, seatsBooked }`; its bookings `BOOKING#<id>` →
 * `{ entity: 'booking', ...booking, listName: 'bookings/<eventId>', listPosition: '<created instant>#<id>' }`
 * (each event's bookings are a list of their own; a caller's are that list filtered by `owner`, over the
 * composite index (listName, owner, listPosition)); idempotency keys `IDEMPOTENCY#<sha256(key)>` →
 * `{ key, booking, expiresAt }`, `key` being `callerScopedKey(owner, key)`. A reservation is one atomic write of the event, the booking and the
 * key, conditional on the event being unchanged since it was read (optimistic concurrency, retried on
 * conflict): the event's document is the one every booking of that event writes, which is what "never
 * beyond capacity" needs; bookings of different events share nothing.
 *
 * Why not `runTransaction`: server-side Firestore transactions lock what they read, so concurrent
 * bookings of one event hold read locks and then wait on each other to write; the emulator resolves
 * that only by a lock timeout (~2.4 s per round, 49 of 50 aborted), and on Firestore itself every
 * booking of a popular event queues behind the lock. A write guarded by the update time holds no lock
 * between the read and the write, fails fast when it lost, and is just as atomic.
 */
export class FirestoreBookingRepository extends CollectionRepository implements BookingRepository {
  /** Bookings of one event made through this instance take turns (see KeyedQueue). */
  private readonly queue = new KeyedQueue();
  private readonly idempotency = new FirestoreIdempotencyStore(() => this.collection());

  async rememberEvent(event: KnownEvent): Promise<void> {
    // `create` leaves an existing document alone: a redelivered EventCreated must not reset the seats booked since.
    try {
      await this.collection().doc(requiredDocumentId(KIND.event, event.eventId)).create(stampWriter({ entity: ENTITY.knownEvent, ...event }, this.boundHop?.traceparent));
    } catch (error) {
      if (!failedWith(error, GrpcStatus.ALREADY_EXISTS)) throw error;
    }
  }

  async getEvent(eventId: string): Promise<KnownEvent | undefined> {
    const name = documentId(KIND.event, eventId);
    if (name === undefined) return undefined;
    const snapshot = await this.collection().doc(name).get();
    return snapshot.exists ? knownEventSchema.parse(snapshot.data()) : undefined;
  }

  book(booking: Booking, idempotencyKey?: string): Promise<BookOutcome> {
    return bookIdempotently(boundTo(this.idempotency, this.boundHop), booking, idempotencyKey, async (completion) => {
      const eventDocumentId = documentId(KIND.event, booking.eventId);
      if (eventDocumentId === undefined) return { outcome: 'unknown-event' };
      return this.queue.run(eventDocumentId, () => retryOnConflict(() => this.reserve(booking, eventDocumentId, completion)));
    });
  }

  /**
   * One attempt: read the event, then one atomic batch that reserves the seats, stores the booking
   * and completes the key, guarded by the event's update time. The batch fails with
   * FAILED_PRECONDITION when another booking changed the event since our read (the caller retries and
   * reads again), and with ALREADY_EXISTS when a concurrent twin claimed the key first.
   */
  private async reserve(booking: Booking, eventDocumentId: string, completion: KeyCompletion | undefined): Promise<ReservationOutcome> {
    const eventRef = this.collection().doc(eventDocumentId);
    const eventSnapshot = await eventRef.get();
    if (!eventSnapshot.exists || eventSnapshot.updateTime === undefined) return { outcome: 'unknown-event' };
    const event = knownEventSchema.parse(eventSnapshot.data());
    const seatsLeft = event.capacity - event.seatsBooked;
    if (booking.seats > seatsLeft) return { outcome: 'insufficient-seats', seatsLeft };
    const batch = this.firestore.batch();
    batch.update(eventRef, tracedUpdate({ seatsBooked: event.seatsBooked + booking.seats }, this.boundHop?.traceparent), { lastUpdateTime: eventSnapshot.updateTime });
    batch.create(
      this.collection().doc(requiredDocumentId(KIND.booking, booking.id)),
      stampWriter({ entity: ENTITY.booking, ...booking, ...listFields(listOrder.bookings.list(booking.eventId), listOrder.bookings.positionOf(booking)) }, this.boundHop?.traceparent),
    );
    completion?.(batch);
    try {
      await batch.commit();
      return { outcome: 'booked', booking };
    } catch (error) {
      // A twin with the same key won the race: bookIdempotently answers with its booking.
      if (completion !== undefined && failedWith(error, GrpcStatus.ALREADY_EXISTS)) return 'key-taken';
      throw error;
    }
  }

  listForEvent(eventId: string, page: PageRequest, owner?: string): Promise<Page<Booking>> {
    const listed = { ...listOrder.bookings, list: listOrder.bookings.list(eventId, owner), parse: (document: DocumentData) => bookingSchema.parse(document) };
    return readListPage(this.collection(), owner === undefined ? listed : { ...listed, owner: { stored: listOrder.bookings.list(eventId), owner } }, page);
  }
}
