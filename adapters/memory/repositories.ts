import { bookingSchema, knownEventSchema, type Booking, type KnownEvent } from '../../functions/domain/booking.js';
import { eventSchema, type Event } from '../../functions/domain/event.js';
import { locationSchema, type Location } from '../../functions/domain/location.js';
import { playerSchema, type PlacedPlayer, type Player, type Position } from '../../functions/domain/player.js';
import { listOrder } from '../../functions/domain/list-order.js';
import { ENTITY } from '../../functions/domain/stored-records.js';
import { decodeCursor, pageOfSorted, type Page, type PageRequest } from '../../functions/paging.js';
import type {
  BookingRepository,
  BookOutcome,
  EventRepository,
  GameMapRepository,
  LocationRepository,
  PlayerRepository,
} from '../../functions/ports.js';
import { bookIdempotently, type IdempotencyStore, type ReservationOutcome } from '../shared/idempotency.js';
import { HopBound } from '../shared/trace-carriers.js';
import { MemoryTable } from './memory-table.js';

/** In-memory implementations of the ports: for unit tests and the embedded local mode. */

interface ListOrder<T> {
  list: string;
  positionOf: (item: T) => string;
  isPosition: (position: string) => boolean;
}

/** One page of `items` in the list's order. Sorts the whole list on every call: fine for memory, where lists are small. */
function pageOf<T>(items: T[], order: ListOrder<T>, page: PageRequest): Page<T> {
  const after = page.cursor === undefined ? undefined : decodeCursor(order.list, page.cursor, order.isPosition);
  const sorted = items
    .map((item) => ({ item, position: order.positionOf(item) }))
    .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0))
    .map(({ item }) => item);
  return pageOfSorted(sorted, order.positionOf, after, page.limit, order.list);
}

/** Documents of one kind stored under `<prefix>#<id>` with their entity tag, parsed on the way out as on the databases. */
abstract class MemoryRepositoryById<T extends { id: string }> extends HopBound {
  constructor(
    protected readonly table: MemoryTable,
    private readonly prefix: string,
    private readonly entity: string,
    private readonly schema: { parse(document: unknown): T },
  ) {
    super();
  }

  async add(item: T): Promise<void> {
    this.table.put(`${this.prefix}#${item.id}`, { entity: this.entity, ...item }, this.boundHop?.traceparent);
  }

  async get(id: string): Promise<T | undefined> {
    const document = this.table.get(`${this.prefix}#${id}`);
    return document && this.schema.parse(document);
  }

  protected all(): T[] {
    return this.table.list(`${this.prefix}#`).map((document) => this.schema.parse(document));
  }

  protected delete(id: string): boolean {
    return this.table.delete(`${this.prefix}#${id}`, this.boundHop?.traceparent) !== undefined;
  }
}

export class MemoryLocationRepository extends MemoryRepositoryById<Location> implements LocationRepository {
  constructor(table = new MemoryTable()) {
    super(table, 'location', ENTITY.location, locationSchema);
  }

  async list(page: PageRequest): Promise<Page<Location>> {
    return pageOf(this.all(), listOrder.locations, page);
  }
}

export class MemoryEventRepository extends HopBound implements EventRepository {
  constructor(private readonly table = new MemoryTable()) {
    super();
  }

  async add(event: Event): Promise<'added' | 'name-taken'> {
    const traceparent = this.boundHop?.traceparent;
    if (!this.table.putIfAbsent(`event-name#${event.name}`, { entity: 'event-name', eventId: event.id }, traceparent)) return 'name-taken';
    this.table.put(`event#${event.id}`, { entity: ENTITY.event, ...event }, traceparent);
    return 'added';
  }

  async get(id: string): Promise<Event | undefined> {
    const document = this.table.get(`event#${id}`);
    return document && eventSchema.parse(document);
  }

  async findByName(name: string): Promise<Event | undefined> {
    const marker = this.table.get(`event-name#${name}`);
    return typeof marker?.['eventId'] === 'string' ? this.get(marker['eventId']) : undefined;
  }

  async list(page: PageRequest): Promise<Page<Event>> {
    const all = this.table.list('event#').map((document) => eventSchema.parse(document));
    return pageOf(all, listOrder.events, page);
  }

  async applyBooking(eventId: string, bookingId: string, seats: number): Promise<'applied' | 'already-applied' | 'unknown-event'> {
    // A marker document per applied booking, as on the databases: the event document never grows.
    const document = this.table.get(`event#${eventId}`);
    if (!document) return 'unknown-event';
    const traceparent = this.boundHop?.traceparent;
    if (!this.table.putIfAbsent(`applied-booking#${bookingId}`, { entity: 'applied-booking', eventId, bookingId }, traceparent)) return 'already-applied';
    const event = eventSchema.parse(document);
    this.table.put(`event#${eventId}`, { ...document, seatsBooked: event.seatsBooked + seats }, traceparent);
    return 'applied';
  }
}

/** Checks and writes the key's record, called by the reservation with no await in between. */
interface KeyCompletion {
  taken(): boolean;
  write(traceparent: string | undefined): void;
}

/** Idempotency keys as records of the table, written by the reservation itself (no claim, nothing to release); never expire. */
class MemoryIdempotencyStore implements IdempotencyStore<KeyCompletion> {
  constructor(private readonly table: MemoryTable) {}

  async claim(key: string) {
    const booking = await this.replay(key);
    return booking && { booking, completed: true };
  }

  completion(key: string, booking: Booking): KeyCompletion {
    return { taken: () => this.table.get(`idempotency#${key}`) !== undefined, write: (traceparent) => this.table.put(`idempotency#${key}`, { entity: 'idempotency-key', booking }, traceparent) };
  }

  async replay(key: string): Promise<Booking | undefined> {
    const previous = this.table.get(`idempotency#${key}`);
    return previous && bookingSchema.parse(previous['booking']);
  }

  async release(): Promise<void> {}
}

export class MemoryBookingRepository extends HopBound implements BookingRepository {
  private readonly idempotency: MemoryIdempotencyStore;

  constructor(private readonly table = new MemoryTable()) {
    super();
    this.idempotency = new MemoryIdempotencyStore(table);
  }

  async rememberEvent(event: KnownEvent): Promise<void> {
    this.table.putIfAbsent(`known-event#${event.eventId}`, { entity: ENTITY.knownEvent, ...event }, this.boundHop?.traceparent);
  }

  async getEvent(eventId: string): Promise<KnownEvent | undefined> {
    const document = this.table.get(`known-event#${eventId}`);
    return document && knownEventSchema.parse(document);
  }

  book(booking: Booking, idempotencyKey?: string): Promise<BookOutcome> {
    return bookIdempotently(this.idempotency, booking, idempotencyKey, async (completion) => this.reserve(booking, completion));
  }

  /** No await between the checks and the writes: the whole reservation is one synchronous step. */
  private reserve(booking: Booking, completion: KeyCompletion | undefined): ReservationOutcome {
    if (completion?.taken()) return 'key-taken';
    const document = this.table.get(`known-event#${booking.eventId}`);
    if (!document) return { outcome: 'unknown-event' };
    const event = knownEventSchema.parse(document);
    const seatsLeft = event.capacity - event.seatsBooked;
    if (booking.seats > seatsLeft) return { outcome: 'insufficient-seats', seatsLeft };
    const traceparent = this.boundHop?.traceparent;
    this.table.put(`known-event#${booking.eventId}`, { ...document, seatsBooked: event.seatsBooked + booking.seats }, traceparent);
    this.table.put(`booking#${booking.eventId}#${booking.id}`, { entity: ENTITY.booking, ...booking }, traceparent);
    completion?.write(traceparent);
    return { outcome: 'booked', booking };
  }

  async listForEvent(eventId: string, page: PageRequest, owner?: string): Promise<Page<Booking>> {
    const all = this.table.list(`booking#${eventId}#`).map((document) => bookingSchema.parse(document));
    const listed = owner === undefined ? all : all.filter((booking) => booking.owner === owner);
    return pageOf(listed, { ...listOrder.bookings, list: listOrder.bookings.list(eventId, owner) }, page);
  }
}

export class MemoryPlayerRepository extends MemoryRepositoryById<Player> implements PlayerRepository {
  constructor(table = new MemoryTable()) {
    super(table, 'player', ENTITY.player, playerSchema);
  }

  async remove(id: string): Promise<boolean> {
    return this.delete(id);
  }
}

export class MemoryGameMapRepository implements GameMapRepository {
  private readonly placed = new Map<string, PlacedPlayer>();

  async placeIfAbsent(player: PlacedPlayer): Promise<void> {
    if (!this.placed.has(player.id)) this.placed.set(player.id, structuredClone(player));
  }

  async position(playerId: string): Promise<Position | undefined> {
    const position = this.placed.get(playerId)?.position;
    return position && { ...position };
  }

  async remove(playerId: string): Promise<void> {
    this.placed.delete(playerId);
  }

  async list(page: PageRequest): Promise<Page<PlacedPlayer>> {
    return pageOf([...this.placed.values()].map((player) => structuredClone(player)), listOrder.map, page);
  }
}
