import { describe, expect, it } from 'vitest';
import { bookIdempotently, type IdempotencyStore, type KeyHolder, type ReservationOutcome } from '../../adapters/shared/idempotency.js';
import { callerScopedKey, type Booking } from '../../functions/domain/booking.js';

const booking: Booking = { id: 'bk-2', eventId: 'ev-1', seats: 2, createdAt: '2026-05-01T10:00:00.000Z', owner: 'user-1' };
const first: Booking = { ...booking, id: 'bk-1' };

/** A store whose answers the test sets, recording what the algorithm asked of it. */
function fakeStore(answers: { holder?: KeyHolder; replayed?: Booking }) {
  const calls: string[] = [];
  const store: IdempotencyStore<string> = {
    claim: async (key) => (calls.push(`claim ${key}`), answers.holder),
    completion: (key, { id }) => `complete ${key} with ${id}`,
    replay: async (key) => (calls.push(`replay ${key}`), answers.replayed),
    release: async (key, { id }) => void calls.push(`release ${key} of ${id}`),
  };
  return { store, calls };
}

const reserving = (outcome: ReservationOutcome) => {
  const completions: (string | undefined)[] = [];
  return { completions, reserve: async (completion: string | undefined) => (completions.push(completion), outcome) };
};

const key = callerScopedKey('user-1', 'key-1');

describe('bookIdempotently (the one algorithm every engine runs)', () => {
  it('books without a key without touching the store', async () => {
    const { store, calls } = fakeStore({});
    const { reserve, completions } = reserving({ outcome: 'booked', booking });
    expect(await bookIdempotently(store, booking, undefined, reserve)).toEqual({ outcome: 'booked', booking });
    expect({ calls, completions }).toEqual({ calls: [], completions: [undefined] });
  });

  it("claims the caller's key, then reserves with the key's completion in the same transaction", async () => {
    const { store, calls } = fakeStore({});
    const { reserve, completions } = reserving({ outcome: 'booked', booking });
    expect(await bookIdempotently(store, booking, 'key-1', reserve)).toEqual({ outcome: 'booked', booking });
    expect({ calls, completions }).toEqual({ calls: [`claim ${key}`], completions: [`complete ${key} with bk-2`] });
  });

  it('answers a completed key with its booking, without reserving', async () => {
    const { store } = fakeStore({ holder: { booking: first, completed: true } });
    const { reserve, completions } = reserving({ outcome: 'booked', booking });
    expect(await bookIdempotently(store, booking, 'key-1', reserve)).toEqual({ outcome: 'replayed', booking: first });
    expect(completions).toEqual([]);
  });

  it('answers a key claimed for another event with that booking, whatever becomes of it', async () => {
    const elsewhere = { ...first, eventId: 'ev-2' };
    const { store } = fakeStore({ holder: { booking: elsewhere, completed: false } });
    const { reserve, completions } = reserving({ outcome: 'booked', booking });
    expect(await bookIdempotently(store, booking, 'key-1', reserve)).toEqual({ outcome: 'replayed', booking: elsewhere });
    expect(completions).toEqual([]);
  });

  it("lets the reservation decide between twins of one event, and answers the winner's booking when the key was taken", async () => {
    const { store, calls } = fakeStore({ holder: { booking: first, completed: false }, replayed: first });
    const { reserve } = reserving('key-taken');
    expect(await bookIdempotently(store, booking, 'key-1', reserve)).toEqual({ outcome: 'replayed', booking: first });
    expect(calls).toEqual([`claim ${key}`, `replay ${key}`]);
  });

  it('answers a refusal with the booking of a twin that took the last seats first', async () => {
    const { store, calls } = fakeStore({ replayed: first });
    const { reserve } = reserving({ outcome: 'insufficient-seats', seatsLeft: 0 });
    expect(await bookIdempotently(store, booking, 'key-1', reserve)).toEqual({ outcome: 'replayed', booking: first });
    expect(calls).toEqual([`claim ${key}`, `replay ${key}`]);
  });

  it('releases the key of a refused booking, so a refusal leaves no key behind', async () => {
    const { store, calls } = fakeStore({});
    const { reserve } = reserving({ outcome: 'unknown-event' });
    expect(await bookIdempotently(store, booking, 'key-1', reserve)).toEqual({ outcome: 'unknown-event' });
    expect(calls).toEqual([`claim ${key}`, `replay ${key}`, `release ${key} of bk-2`]);
  });

  it('fails, rather than book again, when the key was taken but holds no booking', async () => {
    const { store } = fakeStore({});
    const { reserve } = reserving('key-taken');
    await expect(bookIdempotently(store, booking, 'key-1', reserve)).rejects.toThrow('The idempotency key was taken, but no booking is recorded for it');
  });
});
