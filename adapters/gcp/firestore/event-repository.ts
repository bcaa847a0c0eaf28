import { createHash } from 'node:crypto';
import { FieldValue } from '@google-cloud/firestore';
import { eventSchema, type Event } from '../../../functions/domain/event.js';
import { listOrder } from '../../../functions/domain/list-order.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { Page, PageRequest } from '../../../functions/paging.js';
import type { EventRepository } from '../../../functions/ports.js';
import { stampWriter } from '../../shared/trace-carriers.js';
import { CollectionRepository, documentId, failedWith, GrpcStatus, requiredDocumentId, tracedUpdate } from './client.js';
import { listFields, readListPage, type ListedCollection } from './paging.js';

const EVENTS: ListedCollection<Event> = { ...listOrder.events, parse: (document) => eventSchema.parse(document) };
const KIND = { event: 'EVENT', name: 'EVENT_NAME', applied: 'APPLIED_BOOKING' } as const;

/**
 * The name marker's id: a hash of the name, because a name of 200 characters may be longer than a
 * document id may be once escaped. The marker also stores the name itself.
 */
const nameMarkerId = (name: string): string => `${KIND.name}#${createHash('sha256').update(name, 'utf8').digest('hex')}`;

/** The stored document of an event: its domain fields verbatim (the trigger reads them) and its place in the list. */
export function eventDocument(event: Event, traceparent?: string): Record<string, unknown> {
  return stampWriter({ entity: ENTITY.event, ...event, ...listFields(EVENTS.list, listOrder.events.positionOf(event)) }, traceparent);
}

/**
 * Events in the events service's collection (shared with locations), one document each:
 * `EVENT#<id>` → `{ entity, ...event, listName: 'events', listPosition: '<start instant>#<id>' }`, plus
 * `EVENT_NAME#<sha256(name)>` → `{ eventId, name }` per name and `APPLIED_BOOKING#<bookingId>` →
 * `{ eventId, seats }` per booking counted. Every document is keyed by its own id, so no document
 * takes every write; the only shared one is each event's own, which counts its bookings.
 */
export class FirestoreEventRepository extends CollectionRepository implements EventRepository {
  async add(event: Event): Promise<'added' | 'name-taken'> {
    // Marker and event in one atomic batch with no read before it: `create` fails with ALREADY_EXISTS
    // when the name is taken, and then neither document is written.
    const batch = this.firestore.batch();
    batch.create(this.collection().doc(nameMarkerId(event.name)), stampWriter({ entity: 'event-name', eventId: event.id, name: event.name }, this.boundHop?.traceparent));
    batch.set(this.collection().doc(requiredDocumentId(KIND.event, event.id)), eventDocument(event, this.boundHop?.traceparent));
    try {
      await batch.commit();
      return 'added';
    } catch (error) {
      if (failedWith(error, GrpcStatus.ALREADY_EXISTS)) return 'name-taken';
      throw error;
    }
  }

  async get(id: string): Promise<Event | undefined> {
    const name = documentId(KIND.event, id);
    if (name === undefined) return undefined;
    const snapshot = await this.collection().doc(name).get();
    return snapshot.exists ? eventSchema.parse(snapshot.data()) : undefined;
  }

  async findByName(name: string): Promise<Event | undefined> {
    const marker = await this.collection().doc(nameMarkerId(name)).get();
    const eventId = marker.get('eventId') as unknown;
    return marker.exists && marker.get('name') === name && typeof eventId === 'string' ? this.get(eventId) : undefined;
  }

  list(page: PageRequest): Promise<Page<Event>> {
    return readListPage(this.collection(), EVENTS, page);
  }

  async applyBooking(eventId: string, bookingId: string, seats: number): Promise<'applied' | 'already-applied' | 'unknown-event'> {
    const eventDocumentId = documentId(KIND.event, eventId);
    if (eventDocumentId === undefined) return 'unknown-event';
    // The marker and the count in one atomic batch, without a read or a transaction: `create` fails
    // when the booking was counted before, `update` when there is no such event, and the increment is
    // applied by the server, so concurrent deliveries of different bookings never conflict.
    const batch = this.firestore.batch();
    batch.create(this.collection().doc(requiredDocumentId(KIND.applied, bookingId)), stampWriter({ entity: 'applied-booking', eventId, seats }, this.boundHop?.traceparent));
    batch.update(this.collection().doc(eventDocumentId), tracedUpdate({ seatsBooked: FieldValue.increment(seats) }, this.boundHop?.traceparent));
    try {
      await batch.commit();
      return 'applied';
    } catch (error) {
      if (failedWith(error, GrpcStatus.NOT_FOUND)) return 'unknown-event';
      if (failedWith(error, GrpcStatus.ALREADY_EXISTS)) return 'already-applied';
      throw error;
    }
  }
}
