import type { Booking, KnownEvent } from './domain/booking.js';
import type { DomainEvent } from './domain/domain-events.js';
import type { Event } from './domain/event.js';
import type { Location } from './domain/location.js';
import type { PlacedPlayer, Player, Position } from './domain/player.js';
import type { Page, PageRequest } from './paging.js';

/**
 * Ports: what the core needs from the outside world. Every platform implements them
 * (adapters/memory, adapters/aws, ...) and test/contract/ checks each implementation with one suite.
 *
 * Lists are paged (functions/paging.ts) in the order functions/domain/list-order.ts declares; a cursor
 * that is not one the same list handed out throws InvalidCursorError. Gets are strongly consistent;
 * a list may lag a write by the time the database takes to update an index (DynamoDB's GSIs: usually
 * well under a second), but never shows an item twice or skips one that existed while it was read.
 */

export interface LocationRepository {
  add(location: Location): Promise<void>;
  get(id: string): Promise<Location | undefined>;
  /** By id. */
  list(page: PageRequest): Promise<Page<Location>>;
}

export interface EventRepository {
  /** Stores a new event; returns 'name-taken' when another event already has this name (names are unique). */
  add(event: Event): Promise<'added' | 'name-taken'>;
  get(id: string): Promise<Event | undefined>;
  findByName(name: string): Promise<Event | undefined>;
  /** By start, then id. */
  list(page: PageRequest): Promise<Page<Event>>;
  /**
   * Adds `seats` to the event's seatsBooked once per booking id, atomically: applying the same
   * booking again changes nothing. Returns 'unknown-event' when there is no such event. What remembers
   * the applied bookings must not grow the event's own record (a hall may sell a million seats).
   */
  applyBooking(eventId: string, bookingId: string, seats: number): Promise<'applied' | 'already-applied' | 'unknown-event'>;
}

export type BookOutcome =
  | { outcome: 'booked'; booking: Booking }
  /** The idempotency key was used before: the first booking, unchanged. */
  | { outcome: 'replayed'; booking: Booking }
  | { outcome: 'insufficient-seats'; seatsLeft: number }
  | { outcome: 'unknown-event' };

/** The booking service's store: its view of events and the bookings made against them. */
export interface BookingRepository {
  /** Records an event the service learned about; does nothing if it is already known (keeps seatsBooked). */
  rememberEvent(event: KnownEvent): Promise<void>;
  getEvent(eventId: string): Promise<KnownEvent | undefined>;
  /**
   * Reserves the booking's seats and stores the booking as one atomic step: never beyond the event's
   * capacity, even under concurrent calls. With an idempotency key, the key is stored in the same step,
   * and a second call with the same key returns the first booking without reserving again. The key is the
   * booking owner's: it is stored as `callerScopedKey(booking.owner, key)` (functions/domain/booking.ts),
   * so another owner's same key is another key.
   */
  book(booking: Booking, idempotencyKey?: string): Promise<BookOutcome>;
  /**
   * The event's bookings by creation time, then id; with `owner`, only that owner's, read from an index
   * of the event's bookings by owner (full pages, cursors naming only that owner's bookings).
   */
  listForEvent(eventId: string, page: PageRequest, owner?: string): Promise<Page<Booking>>;
}

export interface PlayerRepository {
  add(player: Player): Promise<void>;
  get(id: string): Promise<Player | undefined>;
  /** Returns false when there was no such player. */
  remove(id: string): Promise<boolean>;
}

/** The game map: which player stands where. */
export interface GameMapRepository {
  /** Puts the player on the map unless it is already there (a replayed insert must not move it back). */
  placeIfAbsent(player: PlacedPlayer): Promise<void>;
  position(playerId: string): Promise<Position | undefined>;
  /** Takes the player off the map; no-op if it is not there. */
  remove(playerId: string): Promise<void>;
  /** By player id. */
  list(page: PageRequest): Promise<Page<PlacedPlayer>>;
}

/** Sends domain events to the queue the deployment wires this publisher to. At-least-once. */
export interface Publisher {
  publish(event: DomainEvent): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export interface IdSource {
  newId(): string;
}

/** Structured logging; adapters pass one that adds the request id to every line. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}
