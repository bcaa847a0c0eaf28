import { describe, expect, it } from 'vitest';
import { MemoryBookingRepository, MemoryEventRepository } from '../../adapters/memory/repositories.js';
import { envelope } from '../../functions/domain/domain-events.js';
import { MalformedMessageError, NotFoundError } from '../../functions/errors.js';
import { bookingsConsumer, eventsConsumer, type QueueMessage } from '../../functions/index.js';

const at = new Date('2026-05-01T10:00:00Z');
const eventCreated = envelope('EventCreated', 'ev-1', 'test', at, {
  id: 'ev-1', name: 'Aida', startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: 'loc-1', hall: 'A', capacity: 5,
});
const locationCreated = envelope('LocationCreated', 'loc-1', 'test', at, {
  id: 'loc-1', name: 'Arena', address: 'x', country: 'DE', openTime: 8, closeTime: 22, halls: [{ name: 'A', location: 'g', capacity: 5 }],
});
const eventBooked = (bookingId: string, seats: number) =>
  envelope('EventBooked', bookingId, 'test', at, { bookingId, eventId: 'ev-1', seats, createdAt: at.toISOString() });

const message = (body: unknown, id = 'm-1'): QueueMessage => ({ id, body: typeof body === 'string' ? body : JSON.stringify(body), attempt: 1 });

describe('bookingsConsumer', () => {
  it('learns an event with its capacity from EventCreated', async () => {
    const bookings = new MemoryBookingRepository();
    await bookingsConsumer(message(eventCreated), { bookings });
    expect(await bookings.getEvent('ev-1')).toEqual({ eventId: 'ev-1', capacity: 5, seatsBooked: 0 });
  });

  it('is idempotent: a duplicate EventCreated after bookings keeps seatsBooked', async () => {
    const bookings = new MemoryBookingRepository();
    await bookingsConsumer(message(eventCreated), { bookings });
    await bookings.book({ id: 'b-1', eventId: 'ev-1', seats: 3, createdAt: at.toISOString(), owner: 'user-1' });
    await bookingsConsumer(message(eventCreated), { bookings });
    expect(await bookings.getEvent('ev-1')).toMatchObject({ seatsBooked: 3 });
  });

  it('acknowledges LocationCreated before or after EventCreated with the same result', async () => {
    const first = new MemoryBookingRepository();
    await bookingsConsumer(message(locationCreated), { bookings: first });
    await bookingsConsumer(message(eventCreated), { bookings: first });
    const second = new MemoryBookingRepository();
    await bookingsConsumer(message(eventCreated), { bookings: second });
    await bookingsConsumer(message(locationCreated), { bookings: second });
    expect(await first.getEvent('ev-1')).toEqual(await second.getEvent('ev-1'));
  });

  it.each([
    ['not JSON', '{"type":'],
    ['an unknown type', { ...eventCreated, type: 'EventCancelled' }],
    ['EventCreated without capacity', { ...eventCreated, data: { ...eventCreated.data, capacity: undefined } }],
    ['a negative capacity', { ...eventCreated, data: { ...eventCreated.data, capacity: -1 } }],
    ['a type it does not consume', eventBooked('b-1', 1)],
  ])('rejects %s with MalformedMessageError and changes nothing', async (_case, body) => {
    const bookings = new MemoryBookingRepository();
    await expect(bookingsConsumer(message(body), { bookings })).rejects.toBeInstanceOf(MalformedMessageError);
    expect(await bookings.getEvent('ev-1')).toBeUndefined();
  });
});

describe('eventsConsumer', () => {
  const storedEvent = { id: 'ev-1', name: 'Aida', duration: 180, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: 'loc-1', hall: 'A', capacity: 5, seatsBooked: 0 };

  it('adds booked seats once per booking, in any order and with duplicates', async () => {
    const events = new MemoryEventRepository();
    await events.add(storedEvent);
    for (const body of [eventBooked('b-2', 1), eventBooked('b-1', 2), eventBooked('b-2', 1), eventBooked('b-1', 2)]) {
      await eventsConsumer(message(body), { events });
    }
    expect((await events.get('ev-1'))?.seatsBooked).toBe(3);
  });

  it('throws NotFoundError for a booking of an unknown event, so it is retried and dead-lettered', async () => {
    const events = new MemoryEventRepository();
    await expect(eventsConsumer(message(eventBooked('b-1', 1)), { events })).rejects.toBeInstanceOf(NotFoundError);
  });

  it.each([
    ['not JSON', 'nope'],
    ['EventBooked with zero seats', { ...eventBooked('b-1', 1), data: { ...eventBooked('b-1', 1).data, seats: 0 } }],
    ['a type it does not consume', eventCreated],
  ])('rejects %s with MalformedMessageError', async (_case, body) => {
    const events = new MemoryEventRepository();
    await events.add(storedEvent);
    await expect(eventsConsumer(message(body), { events })).rejects.toBeInstanceOf(MalformedMessageError);
    expect((await events.get('ev-1'))?.seatsBooked).toBe(0);
  });
});
