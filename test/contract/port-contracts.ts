import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Booking } from '../../functions/domain/booking.js';
import type { Event } from '../../functions/domain/event.js';
import type { Location } from '../../functions/domain/location.js';
import type { BookingRepository, EventRepository, GameMapRepository, LocationRepository, PlayerRepository } from '../../functions/ports.js';

export interface PortsUnderTest {
  locations: LocationRepository;
  events: EventRepository;
  bookings: BookingRepository;
  players: PlayerRepository;
  gameMap: GameMapRepository;
}

/** Unique per call, so the suite also runs against shared, non-empty databases. */
const unique = (prefix: string): string => `${prefix}-${randomUUID()}`;

const aLocation = (): Location => ({
  id: unique('loc'),
  name: 'Olympiastadion',
  address: 'Olympischer Platz 3',
  country: 'DE',
  openTime: 8,
  closeTime: 23,
  halls: [{ name: 'Main', location: 'ground floor', capacity: 10 }],
});

const anEvent = (overrides: Partial<Event> = {}): Event => ({
  id: unique('ev'),
  name: unique('Opera'),
  duration: 180,
  startDate: '2026-12-01T19:00:00Z',
  endDate: '2026-12-01T22:00:00Z',
  locationId: 'loc-1',
  hall: 'Main',
  capacity: 10,
  seatsBooked: 0,
  ...overrides,
});

const aBooking = (eventId: string, seats = 1): Booking => ({ id: unique('bk'), eventId, seats, createdAt: '2026-05-01T10:00:00.000Z' });

/**
 * The behaviour every implementation of the repository ports must have. Each platform's test file
 * calls this with a factory for its implementation (memory, DynamoDB Local, ...), unchanged.
 */
export function describePortContracts(implementation: string, makePorts: () => PortsUnderTest | Promise<PortsUnderTest>): void {
  describe(`port contracts: ${implementation}`, () => {
    describe('LocationRepository', () => {
      it('stores, gets and lists locations', async () => {
        const { locations } = await makePorts();
        const location = aLocation();
        await locations.add(location);
        expect(await locations.get(location.id)).toEqual(location);
        expect(await locations.list()).toContainEqual(location);
        expect(await locations.get(unique('missing'))).toBeUndefined();
      });
    });

    describe('EventRepository', () => {
      it('stores, gets, finds by name and lists events', async () => {
        const { events } = await makePorts();
        const event = anEvent();
        expect(await events.add(event)).toBe('added');
        expect(await events.get(event.id)).toEqual(event);
        expect(await events.findByName(event.name)).toEqual(event);
        expect(await events.list()).toContainEqual(event);
        expect(await events.get(unique('missing'))).toBeUndefined();
        expect(await events.findByName(unique('missing'))).toBeUndefined();
      });

      it('refuses a second event with the same name', async () => {
        const { events } = await makePorts();
        const first = anEvent();
        await events.add(first);
        const second = anEvent({ name: first.name });
        expect(await events.add(second)).toBe('name-taken');
        expect(await events.get(second.id)).toBeUndefined();
      });

      it('applies each booking once, whatever the order or number of deliveries', async () => {
        const { events } = await makePorts();
        const event = anEvent();
        await events.add(event);
        expect(await events.applyBooking(event.id, 'b-1', 2)).toBe('applied');
        expect(await events.applyBooking(event.id, 'b-2', 3)).toBe('applied');
        expect(await events.applyBooking(event.id, 'b-1', 2)).toBe('already-applied');
        expect((await events.get(event.id))?.seatsBooked).toBe(5);
        expect(await events.applyBooking(unique('missing'), 'b-3', 1)).toBe('unknown-event');
      });

      it('applies concurrent duplicate deliveries once', async () => {
        const { events } = await makePorts();
        const event = anEvent();
        await events.add(event);
        await Promise.all(Array.from({ length: 10 }, () => events.applyBooking(event.id, 'b-dup', 2)));
        expect((await events.get(event.id))?.seatsBooked).toBe(2);
      });
    });

    describe('BookingRepository', () => {
      it('remembers an event once and keeps its seatsBooked when told again', async () => {
        const { bookings } = await makePorts();
        const eventId = unique('ev');
        await bookings.rememberEvent({ eventId, capacity: 5, seatsBooked: 0 });
        await bookings.book(aBooking(eventId, 2));
        await bookings.rememberEvent({ eventId, capacity: 5, seatsBooked: 0 });
        expect(await bookings.getEvent(eventId)).toEqual({ eventId, capacity: 5, seatsBooked: 2 });
        expect(await bookings.getEvent(unique('missing'))).toBeUndefined();
      });

      it('books within capacity, refuses beyond it, and lists bookings of the event', async () => {
        const { bookings } = await makePorts();
        const eventId = unique('ev');
        await bookings.rememberEvent({ eventId, capacity: 3, seatsBooked: 0 });
        const first = aBooking(eventId, 2);
        expect(await bookings.book(first)).toEqual({ outcome: 'booked', booking: first });
        expect(await bookings.book(aBooking(eventId, 2))).toEqual({ outcome: 'insufficient-seats', seatsLeft: 1 });
        expect(await bookings.listForEvent(eventId)).toEqual([first]);
        expect(await bookings.book(aBooking(unique('missing')))).toEqual({ outcome: 'unknown-event' });
      });

      it('never exceeds capacity under 50 concurrent single-seat bookings on 10 seats', async () => {
        const { bookings } = await makePorts();
        const eventId = unique('ev');
        await bookings.rememberEvent({ eventId, capacity: 10, seatsBooked: 0 });
        const outcomes = await Promise.all(Array.from({ length: 50 }, () => bookings.book(aBooking(eventId, 1))));
        expect(outcomes.filter((result) => result.outcome === 'booked')).toHaveLength(10);
        expect(outcomes.filter((result) => result.outcome === 'insufficient-seats')).toHaveLength(40);
        expect((await bookings.getEvent(eventId))?.seatsBooked).toBe(10);
        expect(await bookings.listForEvent(eventId)).toHaveLength(10);
      });

      it('replays the first booking for a repeated idempotency key, even concurrently', async () => {
        const { bookings } = await makePorts();
        const eventId = unique('ev');
        const key = unique('key');
        await bookings.rememberEvent({ eventId, capacity: 10, seatsBooked: 0 });
        const attempts = Array.from({ length: 5 }, () => aBooking(eventId, 2));
        const outcomes = await Promise.all(attempts.map((booking) => bookings.book(booking, key)));
        const booked = outcomes.filter((result) => result.outcome === 'booked');
        expect(booked).toHaveLength(1);
        for (const outcome of outcomes) {
          expect(outcome.outcome === 'booked' || outcome.outcome === 'replayed').toBe(true);
          if (outcome.outcome === 'booked' || outcome.outcome === 'replayed') expect(outcome.booking).toEqual(booked[0]?.booking);
        }
        expect((await bookings.getEvent(eventId))?.seatsBooked).toBe(2);
        expect(await bookings.listForEvent(eventId)).toHaveLength(1);
      });
    });

    describe('PlayerRepository', () => {
      it('adds, gets and removes players', async () => {
        const { players } = await makePorts();
        const player = { id: unique('pl'), name: 'Mario' };
        await players.add(player);
        expect(await players.get(player.id)).toEqual(player);
        expect(await players.remove(player.id)).toBe(true);
        expect(await players.get(player.id)).toBeUndefined();
        expect(await players.remove(player.id)).toBe(false);
      });
    });

    describe('GameMapRepository', () => {
      it('places a player once, does not move it back, and removes it idempotently', async () => {
        const { gameMap } = await makePorts();
        const id = unique('pl');
        await gameMap.placeIfAbsent({ id, name: 'Mario', position: { x: 3, y: 4 } });
        await gameMap.placeIfAbsent({ id, name: 'Mario', position: { x: 0, y: 0 } });
        expect(await gameMap.position(id)).toEqual({ x: 3, y: 4 });
        expect(await gameMap.list()).toContainEqual({ id, name: 'Mario', position: { x: 3, y: 4 } });
        await gameMap.remove(id);
        await gameMap.remove(id);
        expect(await gameMap.position(id)).toBeUndefined();
        expect((await gameMap.list()).map((player) => player.id)).not.toContain(id);
      });
    });
  });
}
