import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Booking } from '../../functions/domain/booking.js';
import type { Event } from '../../functions/domain/event.js';
import { listOrder } from '../../functions/domain/list-order.js';
import type { Location } from '../../functions/domain/location.js';
import { InvalidCursorError } from '../../functions/errors.js';
import type { Page, PageRequest } from '../../functions/paging.js';
import type { BookingRepository, EventRepository, GameMapRepository, LocationRepository, PlayerRepository } from '../../functions/ports.js';
import { bindHop } from '../../adapters/shared/trace-carriers.js';
import { inHop } from '../../adapters/shared/tracing.js';

export interface PortsUnderTest {
  locations: LocationRepository;
  events: EventRepository;
  bookings: BookingRepository;
  players: PlayerRepository;
  gameMap: GameMapRepository;
  /**
   * The `traceparent` stored on an item, read from the engine itself (the engines' repositories write
   * it, trace-carriers.ts; memory mode keeps it beside the item, so it has none to read).
   */
  storedTraceparent?: StoredTraceparent;
}

export interface StoredTraceparent {
  location(id: string): Promise<unknown>;
  event(id: string): Promise<unknown>;
  knownEvent(eventId: string): Promise<unknown>;
  booking(booking: Booking): Promise<unknown>;
  player(id: string): Promise<unknown>;
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

const aBooking = (eventId: string, seats = 1, createdAt = '2026-05-01T10:00:00.000Z', owner = 'user-1'): Booking => ({ id: unique('bk'), eventId, seats, createdAt, owner });

type Lister<T> = (page: PageRequest) => Promise<Page<T>>;

/** Every page of a list, following cursors; fails the test on a loop rather than hanging. */
async function readPages<T>(list: Lister<T>, limit: number): Promise<Page<T>[]> {
  const pages: Page<T>[] = [];
  let cursor: string | undefined;
  do {
    const page = await list({ limit, cursor });
    pages.push(page);
    cursor = page.cursor;
    if (pages.length > 10_000) throw new Error('the list never ends');
  } while (cursor !== undefined);
  return pages;
}

/**
 * What every page sequence must satisfy, whatever else the (shared) store holds: pages no longer than
 * the limit, a cursor on every page but the last, items in list order with no duplicates.
 */
function expectWellFormed<T>(pages: Page<T>[], limit: number, positionOf: (item: T) => string): T[] {
  pages.forEach((page, index) => {
    expect(page.items.length).toBeLessThanOrEqual(limit);
    expect(page.cursor === undefined).toBe(index === pages.length - 1);
    if (page.cursor !== undefined) expect(page.items).toHaveLength(limit);
  });
  const items = pages.flatMap((page) => page.items);
  const positions = items.map(positionOf);
  expect(positions).toEqual([...positions].sort());
  expect(new Set(positions).size).toBe(positions.length);
  return items;
}

/** A cursor with its content changed, as a client tampering with it would. */
function tampered(cursor: string, change: (content: { l: string; p: string }) => unknown): string {
  const content = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { l: string; p: string };
  return Buffer.from(JSON.stringify(change(content)), 'utf8').toString('base64url');
}

/** Spread over the year, in several offsets, some at the same instant: the list order is by instant, then id. */
const START_DATES = ['2027-03-01T10:00:00Z', '2027-01-15T08:00:00+02:00', '2027-01-15T06:00:00Z', '2026-12-31T23:30:00-01:00', '2027-01-01T00:30:00Z', '2027-06-30T12:00:00.250Z', '2027-01-15T06:00:00Z'];

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
        expect(expectWellFormed(await readPages((page) => locations.list(page), 100), 100, listOrder.locations.positionOf)).toContainEqual(location);
        expect(await locations.get(unique('missing'))).toBeUndefined();
      });

      it('lists by id in pages, each location once', async () => {
        const { locations } = await makePorts();
        const added = Array.from({ length: 5 }, aLocation);
        for (const location of added) await locations.add(location);
        const listed = expectWellFormed(await readPages((page) => locations.list(page), 2), 2, listOrder.locations.positionOf);
        const ids = added.map((location) => location.id).sort();
        expect(listed.map((location) => location.id).filter((id) => ids.includes(id))).toEqual(ids);
      });
    });

    describe('EventRepository', () => {
      it('stores, gets, finds by name and lists events', async () => {
        const { events } = await makePorts();
        const event = anEvent();
        expect(await events.add(event)).toBe('added');
        expect(await events.get(event.id)).toEqual(event);
        expect(await events.findByName(event.name)).toEqual(event);
        expect((await readPages((page) => events.list(page), 100)).flatMap((page) => page.items)).toContainEqual(event);
        expect(await events.get(unique('missing'))).toBeUndefined();
        expect(await events.findByName(unique('missing'))).toBeUndefined();
      });

      it('lists by start instant, then id, in pages: each event once, none skipped', async () => {
        const { events } = await makePorts();
        const added = START_DATES.map((startDate) => anEvent({ startDate, endDate: '2027-12-31T23:00:00Z' }));
        for (const event of added) await events.add(event);
        const listed = expectWellFormed(await readPages((page) => events.list(page), 3), 3, listOrder.events.positionOf);
        const ours = listed.filter((event) => added.some((candidate) => candidate.id === event.id));
        const expected = [...added].sort((a, b) => Date.parse(a.startDate) - Date.parse(b.startDate) || (a.id < b.id ? -1 : 1));
        expect(ours).toEqual(expected);
      });

      it('refuses a malformed, altered or foreign cursor', async () => {
        const { events, locations } = await makePorts();
        for (const startDate of START_DATES.slice(0, 3)) await events.add(anEvent({ startDate }));
        await locations.add(aLocation());
        await locations.add(aLocation());
        const eventsCursor = (await events.list({ limit: 1 })).cursor ?? '';
        const locationsCursor = (await locations.list({ limit: 1 })).cursor ?? '';
        expect(eventsCursor).not.toBe('');
        for (const cursor of [
          'not a cursor',
          'bm90IGpzb24',
          eventsCursor.slice(0, -3),
          locationsCursor,
          tampered(eventsCursor, (content) => ({ ...content, p: 'zzz' })),
          tampered(eventsCursor, (content) => ({ ...content, l: 'bookings/x' })),
          tampered(eventsCursor, (content) => ({ ...content, extra: 1 })),
          tampered(eventsCursor, (content) => ({ ...content, p: `${content.p}${'x'.repeat(1100)}` })),
          'A'.repeat(5000),
        ]) {
          await expect(events.list({ limit: 1, cursor }), cursor.slice(0, 40)).rejects.toBeInstanceOf(InvalidCursorError);
        }
        await expect(locations.list({ limit: 1, cursor: eventsCursor })).rejects.toBeInstanceOf(InvalidCursorError);
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
        expect(await events.get(event.id)).toEqual({ ...event, seatsBooked: 5 });
        expect(await events.applyBooking(unique('missing'), 'b-3', 1)).toBe('unknown-event');
      });

      it('counts a booking for an unknown event later, once the event exists', async () => {
        const { events } = await makePorts();
        const event = anEvent();
        const bookingId = unique('bk');
        expect(await events.applyBooking(event.id, bookingId, 2)).toBe('unknown-event');
        await events.add(event);
        expect(await events.applyBooking(event.id, bookingId, 2)).toBe('applied');
        expect((await events.get(event.id))?.seatsBooked).toBe(2);
      });

      it('applies concurrent duplicate deliveries once', async () => {
        const { events } = await makePorts();
        const event = anEvent();
        await events.add(event);
        await Promise.all(Array.from({ length: 10 }, () => events.applyBooking(event.id, 'b-dup', 2)));
        expect((await events.get(event.id))?.seatsBooked).toBe(2);
      });
    });

    describe('trace context on stored items', () => {
      /** Runs `work` as a hop with the ports bound to it, as a function's trigger does; answers the hop's traceparent. */
      const inAHop = async <P extends object>(ports: P, work: (bound: P) => Promise<unknown>): Promise<string | undefined> =>
        inHop({ name: 'contract', kind: 'http', fn: 'contract' }, async (hop) => {
          await work(bindHop(ports, hop));
          return hop.traceparent;
        });

      it("a write in a hop stores the writer's traceparent on the item, a later write replaces it, and no answer shows it", async () => {
        const { locations, events, bookings, players, storedTraceparent } = await makePorts();
        const location = aLocation();
        const event = anEvent();
        const booking = aBooking(event.id, 2);
        const player = { id: unique('pl'), name: 'Ada', owner: 'user-1' };
        const writer = await inAHop({ locations, events, bookings, players }, async (bound) => {
          await bound.locations.add(location);
          await bound.events.add(event);
          await bound.bookings.rememberEvent({ eventId: event.id, capacity: 5, seatsBooked: 0 });
          await bound.bookings.book(booking);
          await bound.players.add(player);
        });
        expect(writer).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
        // Answers are domain objects only: toEqual fails on any field more.
        expect(await locations.get(location.id)).toEqual(location);
        expect(await events.get(event.id)).toEqual(event);
        expect(await events.findByName(event.name)).toEqual(event);
        expect(await bookings.getEvent(event.id)).toEqual({ eventId: event.id, capacity: 5, seatsBooked: 2 });
        expect(await bookings.listForEvent(event.id, { limit: 10 })).toEqual({ items: [booking] });
        expect(await bookings.listForEvent(event.id, { limit: 10 }, booking.owner)).toEqual({ items: [booking] });
        expect(await players.get(player.id)).toEqual(player);
        const listedEvents = (await readPages((page) => events.list(page), 100)).flatMap((page) => page.items);
        expect(listedEvents.find((listed) => listed.id === event.id)).toEqual(event);
        const listedLocations = (await readPages((page) => locations.list(page), 100)).flatMap((page) => page.items);
        expect(listedLocations.find((listed) => listed.id === location.id)).toEqual(location);

        // An update in another hop (the consumer counting a booking) names that hop; one outside any hop names none.
        const counter = await inAHop({ events }, (bound) => bound.events.applyBooking(event.id, unique('bk'), 2));
        expect(await events.get(event.id)).toEqual({ ...event, seatsBooked: 2 });
        if (storedTraceparent === undefined) return;
        expect(await storedTraceparent.location(location.id)).toBe(writer);
        expect(await storedTraceparent.knownEvent(event.id)).toBe(writer);
        expect(await storedTraceparent.booking(booking)).toBe(writer);
        expect(await storedTraceparent.player(player.id)).toBe(writer);
        expect(counter).not.toBe(writer);
        expect(await storedTraceparent.event(event.id)).toBe(counter);
        await events.applyBooking(event.id, unique('bk'), 1);
        expect(await storedTraceparent.event(event.id)).toBeUndefined();
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
        expect(await bookings.listForEvent(eventId, { limit: 10 })).toEqual({ items: [first] });
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
        expect((await bookings.listForEvent(eventId, { limit: 100 })).items).toHaveLength(10);
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
        expect((await bookings.listForEvent(eventId, { limit: 100 })).items).toHaveLength(1);
      });

      it("pages an event's bookings by creation time, then id: full pages, no cursor after the last", async () => {
        const { bookings } = await makePorts();
        const eventId = unique('ev');
        await bookings.rememberEvent({ eventId, capacity: 100, seatsBooked: 0 });
        expect(await bookings.listForEvent(eventId, { limit: 3 })).toEqual({ items: [] });
        const times = ['2026-05-01T10:00:03.000Z', '2026-05-01T10:00:01.000Z', '2026-05-01T10:00:02.000Z', '2026-05-01T10:00:01.000Z', '2026-05-01T09:59:59.999Z', '2026-05-02T00:00:00.000Z'];
        const made = times.map((createdAt) => aBooking(eventId, 1, createdAt));
        for (const booking of made) await bookings.book(booking);
        const expected = [...made].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.id < b.id ? -1 : 1));

        const pages = await readPages((page) => bookings.listForEvent(eventId, page), 4);
        expect(pages.map((page) => page.items.length)).toEqual([4, 2]);
        expect(expectWellFormed(pages, 4, listOrder.bookings.positionOf)).toEqual(expected);
        // A page exactly as long as what is left is the last one: no cursor to an empty page.
        expect(await bookings.listForEvent(eventId, { limit: 6 })).toEqual({ items: expected });
        expect((await readPages((page) => bookings.listForEvent(eventId, page), 1)).map((page) => page.items[0])).toEqual(expected);
      });

      it('shows every booking that existed throughout once, while bookings are added between pages', async () => {
        const { bookings } = await makePorts();
        const eventId = unique('ev');
        await bookings.rememberEvent({ eventId, capacity: 100, seatsBooked: 0 });
        const before = Array.from({ length: 6 }, (_, index) => aBooking(eventId, 1, `2026-05-01T10:00:0${index}.000Z`));
        for (const booking of before) await bookings.book(booking);
        const seen: Booking[] = [];
        let cursor: string | undefined;
        let added = 0;
        do {
          const page = await bookings.listForEvent(eventId, { limit: 2, cursor });
          seen.push(...page.items);
          cursor = page.cursor;
          // One booking before and one after the cursor's position, as concurrent clients would add them.
          await bookings.book(aBooking(eventId, 1, `2026-05-01T09:00:0${added}.000Z`));
          await bookings.book(aBooking(eventId, 1, `2026-05-01T11:00:0${added}.000Z`));
          added += 1;
        } while (cursor !== undefined);
        const ids = seen.map((booking) => booking.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(seen.filter((booking) => before.some((original) => original.id === booking.id))).toEqual(before);
      });

      it('scopes an idempotency key to its owner: two callers with the same key book twice, each replays only its own', async () => {
        const { bookings } = await makePorts();
        const eventId = unique('ev');
        const key = unique('shared-key');
        await bookings.rememberEvent({ eventId, capacity: 10, seatsBooked: 0 });
        const alice = aBooking(eventId, 2, '2026-05-01T10:00:00.000Z', 'alice');
        const bob = aBooking(eventId, 3, '2026-05-01T10:00:01.000Z', 'bob');
        expect(await bookings.book(alice, key)).toEqual({ outcome: 'booked', booking: alice });
        // Bob's same key is another key: his booking is made, alice's never shown to him.
        expect(await bookings.book(bob, key)).toEqual({ outcome: 'booked', booking: bob });
        expect(await bookings.book({ ...alice, id: unique('bk') }, key)).toEqual({ outcome: 'replayed', booking: alice });
        expect(await bookings.book({ ...bob, id: unique('bk') }, key)).toEqual({ outcome: 'replayed', booking: bob });
        expect((await bookings.getEvent(eventId))?.seatsBooked).toBe(5);
        // A sub that contains the other's key text cannot spell the same stored key either.
        const tricky = aBooking(eventId, 1, '2026-05-01T10:00:02.000Z', `alice","${key}`);
        expect((await bookings.book(tricky, key)).outcome).toBe('booked');
      });

      it("lists one owner's bookings from the owner's own index: full pages, cursors that name only that owner's bookings", async () => {
        const { bookings } = await makePorts();
        const eventId = unique('ev');
        await bookings.rememberEvent({ eventId, capacity: 100, seatsBooked: 0 });
        // Alice's bookings interleaved with many of bob's: a page of alice's must not be a page of everyone's, filtered.
        const mine: Booking[] = [];
        for (let index = 0; index < 7; index += 1) {
          mine.push(aBooking(eventId, 1, `2026-05-01T10:0${index}:00.000Z`, 'alice'));
          for (let other = 0; other < 3; other += 1) await bookings.book(aBooking(eventId, 1, `2026-05-01T10:0${index}:0${other + 1}.000Z`, 'bob'));
        }
        for (const booking of mine) await bookings.book(booking);
        const pages = await readPages((page) => bookings.listForEvent(eventId, page, 'alice'), 3);
        expect(pages.map((page) => page.items.length)).toEqual([3, 3, 1]);
        expect(expectWellFormed(pages, 3, listOrder.bookings.positionOf)).toEqual(mine);
        for (const page of pages) {
          if (page.cursor === undefined) continue;
          const { p } = JSON.parse(Buffer.from(page.cursor, 'base64url').toString('utf8')) as { p: string };
          expect(mine.map(listOrder.bookings.positionOf)).toContain(p);
        }
        // Everyone's (an admin's view) is still the whole list.
        expect((await bookings.listForEvent(eventId, { limit: 100 })).items).toHaveLength(28);
        expect(await bookings.listForEvent(eventId, { limit: 5 }, 'nobody')).toEqual({ items: [] });
      });

      it("refuses a cursor of another owner's list or of everyone's list; a position crafted into the owner's list shows only the owner's bookings", async () => {
        const { bookings } = await makePorts();
        const eventId = unique('ev');
        await bookings.rememberEvent({ eventId, capacity: 10, seatsBooked: 0 });
        const alice = [aBooking(eventId, 1, '2026-05-01T10:00:00.000Z', 'alice'), aBooking(eventId, 1, '2026-05-01T10:00:02.000Z', 'alice')];
        const bob = [aBooking(eventId, 1, '2026-05-01T10:00:01.000Z', 'bob'), aBooking(eventId, 1, '2026-05-01T10:00:03.000Z', 'bob')];
        for (const booking of [...alice, ...bob]) await bookings.book(booking);
        const alicesCursor = (await bookings.listForEvent(eventId, { limit: 1 }, 'alice')).cursor!;
        const everyonesCursor = (await bookings.listForEvent(eventId, { limit: 1 })).cursor!;
        await expect(bookings.listForEvent(eventId, { limit: 1, cursor: alicesCursor }, 'bob')).rejects.toBeInstanceOf(InvalidCursorError);
        await expect(bookings.listForEvent(eventId, { limit: 1, cursor: everyonesCursor }, 'bob')).rejects.toBeInstanceOf(InvalidCursorError);
        // Bob rewrites alice's cursor into his own list, keeping her position: he still sees only his own.
        const crafted = tampered(alicesCursor, (content) => ({ l: listOrder.bookings.list(eventId, 'bob'), p: content.p }));
        expect((await bookings.listForEvent(eventId, { limit: 10, cursor: crafted }, 'bob')).items).toEqual([bob[0], bob[1]]);
      });

      it("refuses another event's bookings cursor", async () => {
        const { bookings } = await makePorts();
        const [first, second] = [unique('ev'), unique('ev')];
        for (const eventId of [first, second]) {
          await bookings.rememberEvent({ eventId, capacity: 10, seatsBooked: 0 });
          await bookings.book(aBooking(eventId));
          await bookings.book(aBooking(eventId));
        }
        const cursor = (await bookings.listForEvent(first, { limit: 1 })).cursor;
        expect(cursor).toBeDefined();
        await expect(bookings.listForEvent(second, { limit: 1, cursor })).rejects.toBeInstanceOf(InvalidCursorError);
        expect((await bookings.listForEvent(first, { limit: 1, cursor })).items).toHaveLength(1);
      });
    });

    describe('PlayerRepository', () => {
      it('adds, gets and removes players', async () => {
        const { players } = await makePorts();
        const player = { id: unique('pl'), name: 'Mario', owner: 'user-1' };
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
        expect((await readPages((page) => gameMap.list(page), 100)).flatMap((page) => page.items)).toContainEqual({ id, name: 'Mario', position: { x: 3, y: 4 } });
        await gameMap.remove(id);
        await gameMap.remove(id);
        expect(await gameMap.position(id)).toBeUndefined();
        expect((await readPages((page) => gameMap.list(page), 100)).flatMap((page) => page.items).map((player) => player.id)).not.toContain(id);
      });

      it('lists the map by player id in pages, each player once', async () => {
        const { gameMap } = await makePorts();
        const ids = Array.from({ length: 7 }, () => unique('pl'));
        for (const id of ids) await gameMap.placeIfAbsent({ id, name: 'Luigi', position: { x: 1, y: 1 } });
        const listed = expectWellFormed(await readPages((page) => gameMap.list(page), 3), 3, listOrder.map.positionOf);
        expect(listed.map((player) => player.id).filter((id) => ids.includes(id))).toEqual([...ids].sort());
        const cursor = (await gameMap.list({ limit: 1 })).cursor ?? '';
        await expect(gameMap.list({ limit: 1, cursor: tampered(cursor, (content) => ({ ...content, l: 'events' })) })).rejects.toBeInstanceOf(InvalidCursorError);
      });
    });
  });
}
