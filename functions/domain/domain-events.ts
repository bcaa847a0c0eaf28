import * as z from 'zod/mini';
import './zod-locale.js';
import { locationSchema } from './location.js';

/** Domain events, each published in a CloudEvents-style envelope. */
/** LocationCreated carries the whole location. */
export const locationCreatedData = locationSchema;

/** Carries the hall's capacity so the booking service needs nothing else (and ordering against LocationCreated never matters). */
export const eventCreatedData = z.object({
  id: z.string().check(z.minLength(1)),
  name: z.string(),
  startDate: z.string(),
  endDate: z.string(),
  locationId: z.string(),
  hall: z.string(),
  capacity: z.number().check(z.int(), z.nonnegative()),
});

export const eventBookedData = z.object({
  bookingId: z.string().check(z.minLength(1)),
  eventId: z.string().check(z.minLength(1)),
  seats: z.number().check(z.int(), z.positive()),
  createdAt: z.string(),
});

const envelopeBase = {
  /** Deterministic per fact (`EventCreated/<id>`), so consumers can recognise redeliveries. */
  id: z.string().check(z.minLength(1)),
  source: z.string().check(z.minLength(1)),
  time: z.string(),
};

export const domainEventSchema = z.discriminatedUnion('type', [
  z.object({ ...envelopeBase, type: z.literal('LocationCreated'), data: locationCreatedData }),
  z.object({ ...envelopeBase, type: z.literal('EventCreated'), data: eventCreatedData }),
  z.object({ ...envelopeBase, type: z.literal('EventBooked'), data: eventBookedData }),
]);

export type DomainEvent = z.infer<typeof domainEventSchema>;
export type DomainEventType = DomainEvent['type'];
export type DomainEventOf<T extends DomainEventType> = Extract<DomainEvent, { type: T }>;

export const EVENTS_SERVICE_SOURCE = '/myevents/events-service';
export const BOOKINGS_SERVICE_SOURCE = '/myevents/bookings-service';

/** Builds an envelope whose id is derived from the fact, not from the delivery. */
export function envelope<T extends DomainEventType>(
  type: T,
  subjectId: string,
  source: string,
  time: Date,
  data: DomainEventOf<T>['data'],
): DomainEventOf<T> {
  return { id: `${type}/${subjectId}`, type, source, time: time.toISOString(), data } as DomainEventOf<T>;
}
