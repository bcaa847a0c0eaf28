import { describe, expect, it } from 'vitest';
import { httpHarness } from '../support/http-harness.js';
import { ADMIN_SUB } from '../support/tokens.js';

async function withKnownEvent(capacity = 10) {
  const harness = httpHarness();
  await harness.deps.bookingsApi.bookings.rememberEvent({ eventId: 'ev-1', capacity, seatsBooked: 0 });
  return harness;
}

describe('bookings', () => {
  it('books seats and returns the booking with 201', async () => {
    const { call } = await withKnownEvent();
    const result = await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 2 });
    expect(result.status).toBe(201);
    expect(result.json).toEqual({ id: 'id-1', eventId: 'ev-1', seats: 2, createdAt: '2026-05-01T10:00:00.000Z', owner: ADMIN_SUB });
    expect((await call('bookingsApi', 'GET', '/events/ev-1/bookings')).json).toEqual([result.json]);
  });

  it('answers 404 for an event the booking service does not know yet', async () => {
    const { call } = await withKnownEvent();
    const result = await call('bookingsApi', 'POST', '/events/ev-unknown/bookings', { seats: 1 });
    expect(result.status).toBe(404);
    expect((await call('bookingsApi', 'GET', '/events/ev-unknown/bookings')).status).toBe(404);
  });

  it('books up to capacity and answers 409 beyond it, naming the seats left', async () => {
    const { call } = await withKnownEvent(5);
    expect((await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 4 })).status).toBe(201);
    const tooMany = await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 2 });
    expect(tooMany.status).toBe(409);
    expect(tooMany.json.error).toMatchObject({ code: 'INSUFFICIENT_SEATS', details: [{ field: 'seats', message: 'At most 1 available' }] });
    expect((await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 1 })).status).toBe(201);
    expect((await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 1 })).status).toBe(409);
  });

  it('never books beyond capacity under 50 concurrent single-seat requests on a 10-seat hall', async () => {
    const { call, deps } = await withKnownEvent(10);
    const results = await Promise.all(
      Array.from({ length: 50 }, () => call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 1 })),
    );
    expect(results.filter((result) => result.status === 201)).toHaveLength(10);
    expect(results.filter((result) => result.status === 409)).toHaveLength(40);
    expect(await deps.bookingsApi.bookings.getEvent('ev-1')).toMatchObject({ seatsBooked: 10 });
  });

  it.each([
    ['zero seats', { seats: 0 }],
    ['eleven seats', { seats: 11 }],
    ['fractional seats', { seats: 1.5 }],
    ['seats as string', { seats: '2' }],
    ['no seats', {}],
  ])('rejects %s with 400 naming seats', async (_case, body) => {
    const { call } = await withKnownEvent();
    const result = await call('bookingsApi', 'POST', '/events/ev-1/bookings', body);
    expect(result.status).toBe(400);
    expect(result.json.error.details[0].field).toBe('seats');
  });

  describe('Idempotency-Key', () => {
    it('returns the first booking for a retried request instead of booking twice', async () => {
      const { call, deps } = await withKnownEvent();
      const headers = { 'idempotency-key': 'k-1' };
      const first = await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 3 }, headers);
      const retry = await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 3 }, headers);
      expect(first.status).toBe(201);
      expect(retry.status).toBe(201);
      expect(retry.json).toEqual(first.json);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(await deps.bookingsApi.bookings.getEvent('ev-1')).toMatchObject({ seatsBooked: 3 });
      expect((await call('bookingsApi', 'GET', '/events/ev-1/bookings')).json).toHaveLength(1);
    });

    it('books once when the same key arrives concurrently', async () => {
      const { call, deps } = await withKnownEvent();
      const results = await Promise.all(
        Array.from({ length: 5 }, () => call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 2 }, { 'idempotency-key': 'same' })),
      );
      expect(new Set(results.map((result) => result.json.id)).size).toBe(1);
      expect(await deps.bookingsApi.bookings.getEvent('ev-1')).toMatchObject({ seatsBooked: 2 });
    });

    it('answers 422 when a key is reused for a different booking', async () => {
      const { call } = await withKnownEvent();
      await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 3 }, { 'idempotency-key': 'k-1' });
      const reused = await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 4 }, { 'idempotency-key': 'k-1' });
      expect(reused.status).toBe(422);
      expect(reused.json.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    });

    it('books separately with different keys', async () => {
      const { call, deps } = await withKnownEvent();
      await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 1 }, { 'idempotency-key': 'a' });
      await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 1 }, { 'idempotency-key': 'b' });
      expect(await deps.bookingsApi.bookings.getEvent('ev-1')).toMatchObject({ seatsBooked: 2 });
    });

    it('rejects an over-long key with 400', async () => {
      const { call } = await withKnownEvent();
      const result = await call('bookingsApi', 'POST', '/events/ev-1/bookings', { seats: 1 }, { 'idempotency-key': 'x'.repeat(256) });
      expect(result.status).toBe(400);
    });
  });
});
