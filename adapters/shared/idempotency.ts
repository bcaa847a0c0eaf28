import { callerScopedKey, type Booking } from '../../functions/domain/booking.js';
import type { BookOutcome } from '../../functions/ports.js';

/**
 * Idempotent bookings, one algorithm for every engine, over a persistence port in the style of
 * Powertools' idempotency layer (claim the key, do the work, complete, replay, release on failure).
 * Unlike Powertools, the record is completed *inside* the booking's own transaction, not after it:
 * a seat reservation and its key commit together or not at all (a crash between them would either
 * book twice or keep a key that booked nothing). So `completion` hands the reservation a write to
 * join its transaction (a TransactWrite item, a Cosmos batch operation, a Firestore batch write),
 * and the reservation reports `'key-taken'` when that write found the key already there.
 *
 * Keys are the caller's (issue 20): the store sees `callerScopedKey(owner, key)` only, so another
 * owner's same key is another key.
 */
export interface IdempotencyStore<Completion> {
  /**
   * Claims the key for `booking` before the reservation; answers who holds it when it was not free.
   * A store whose completion is itself conditional on the key being absent (DynamoDB, Firestore,
   * memory) writes no claim: it answers the completed booking if there is one, the fast path of a
   * client's plain retry. Cosmos writes a claim in a partition of the key's own, because the key must
   * also refuse other events, whose partitions the reservation's batch cannot see.
   */
  claim(key: string, booking: Booking): Promise<KeyHolder | undefined>;
  /** The write that completes the key with `booking`, for the reservation to commit in its own transaction. */
  completion(key: string, booking: Booking): Completion;
  /** The booking the key was completed with, read where the reservation of `booking` would have written it. */
  replay(key: string, booking: Booking): Promise<Booking | undefined>;
  /** Frees the claim of a booking that was refused, so a refused request leaves no key behind (nothing to do without a claim document). */
  release(key: string, booking: Booking): Promise<void>;
}

/** The booking holding a key: `completed` once its reservation committed, else only claimed (it may still be refused). */
export interface KeyHolder {
  booking: Booking;
  completed: boolean;
}

/** A reservation's answer: an outcome, or 'key-taken' when its completion write found the key completed by a concurrent twin. */
export type ReservationOutcome = Exclude<BookOutcome, { outcome: 'replayed' }> | 'key-taken';

const refused = (outcome: ReservationOutcome): boolean => outcome === 'key-taken' || outcome.outcome === 'insufficient-seats' || outcome.outcome === 'unknown-event';

/**
 * Books once per key: the booking a key was first used for is answered again ('replayed'); the
 * reservation itself (seats, booking and key in one transaction) is the engine's `reserve`.
 */
export async function bookIdempotently<Completion>(
  store: IdempotencyStore<Completion>,
  booking: Booking,
  idempotencyKey: string | undefined,
  reserve: (completion: Completion | undefined) => Promise<ReservationOutcome>,
): Promise<BookOutcome> {
  if (idempotencyKey === undefined) return settled(await reserve(undefined));
  const key = callerScopedKey(booking.owner, idempotencyKey);
  const holder = await store.claim(key, booking);
  // A completed key answers with its booking. So does a key claimed for another event, whatever becomes
  // of that claim: the edge refuses either as a reused key. Claimed for this event by a twin still in
  // flight, the reservation's transaction decides which of the two books.
  if (holder !== undefined && (holder.completed || holder.booking.eventId !== booking.eventId)) return { outcome: 'replayed', booking: holder.booking };
  const outcome = await reserve(store.completion(key, booking));
  if (!refused(outcome)) return settled(outcome);
  // Refused, or the key was taken: a twin with the same key may have booked (perhaps the last seats) first.
  const first = await store.replay(key, booking);
  if (first !== undefined) return { outcome: 'replayed', booking: first };
  await store.release(key, booking);
  return settled(outcome);
}

function settled(outcome: ReservationOutcome): BookOutcome {
  if (outcome === 'key-taken') throw new Error('The idempotency key was taken, but no booking is recorded for it');
  return outcome;
}
