import type { Booking } from './booking.js';
import type { Event } from './event.js';
import type { Location } from './location.js';
import type { PlacedPlayer } from './player.js';

/**
 * The order of every list, declared once so that every platform pages the same way: each item has a
 * position string and lists are sorted by it. Positions are ASCII (UTC instants in ISO form, our ids),
 * so byte order (DynamoDB, Firestore), UTF-16 order (JavaScript) and Cosmos DB's order agree.
 */

/** A date-time as a fixed-width UTC instant (`2026-12-01T18:00:00.000Z`): sorts as text in time order, whatever offset it was written with. */
const utcInstant = (dateTime: string): string => new Date(dateTime).toISOString();

const INSTANT_THEN_ID = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z#[\w-]+$/;
const ID = /^[\w-]+$/;

export const listOrder = {
  /** Locations by id: stable, and the same on every engine (names would sort differently per collation). */
  locations: { list: 'locations', positionOf: (location: Location): string => location.id, isPosition: (position: string) => ID.test(position) },
  /** Events by start (as an instant), then id. */
  events: {
    list: 'events',
    positionOf: (event: Pick<Event, 'startDate' | 'id'>): string => `${utcInstant(event.startDate)}#${event.id}`,
    isPosition: (position: string) => INSTANT_THEN_ID.test(position),
  },
  /**
   * An event's bookings by creation time, then id; each event's bookings are a list of their own, and so
   * are one owner's bookings of it (what a caller who is not an admin pages through: its cursors can only
   * name a position in its own list, read from its own index).
   */
  bookings: {
    list: (eventId: string, owner?: string): string => (owner === undefined ? `bookings/${eventId}` : `bookings/${eventId}/owner/${owner}`),
    positionOf: (booking: Pick<Booking, 'createdAt' | 'id'>): string => `${utcInstant(booking.createdAt)}#${booking.id}`,
    isPosition: (position: string) => INSTANT_THEN_ID.test(position),
  },
  /** Players on the map by id. */
  map: { list: 'map', positionOf: (player: PlacedPlayer): string => player.id, isPosition: (position: string) => ID.test(position) },
} as const;
