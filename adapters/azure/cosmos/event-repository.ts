import type { Container } from '@azure/cosmos';
import { eventSchema, type Event } from '../../../functions/domain/event.js';
import { listOrder } from '../../../functions/domain/list-order.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { Page, PageRequest } from '../../../functions/paging.js';
import type { EventRepository } from '../../../functions/ports.js';
import { HopBound, stampWriter } from '../../shared/trace-carriers.js';
import {
  conditionalBatch,
  createIfAbsent,
  derivedId,
  readDocument,
  retryOnLostRace,
  stripSystemFields,
  type CosmosDocument,
} from './documents.js';
import { LIST_POSITION, readListPage } from './paging.js';

/** Each event is a logical partition of its own, holding the event and the markers of the bookings it counted. */
export const eventPartition = (id: string): string => `event:${id}`;
/** One marker document per event name, in a partition of its own: the name is the key of its partition. */
const namePartition = (name: string): string => `event-name:${name}`;
const NAME_MARKER_ID = 'event-name';
const appliedMarkerId = (bookingId: string): string => derivedId('applied-booking', bookingId);

/** The stored document of an event: its domain fields verbatim (the change feed reads them), its partition and list position. */
export function eventDocument(event: Event, traceparent?: string): CosmosDocument {
  return stampWriter({ ...event, pk: eventPartition(event.id), entity: ENTITY.event, [LIST_POSITION]: listOrder.events.positionOf(event) }, traceparent);
}

/**
 * Events in the events container:
 * `{ id, pk: 'event:<id>', entity: 'event', ...event, listPosition: '<start instant>#<id>' }`, with
 * `{ id: 'event-name', pk: 'event-name:<name>', eventId }` per name (Cosmos DB's unique keys only hold
 * within a logical partition, so the name becomes a partition key) and
 * `{ id: 'applied-booking:<bookingId>', pk: 'event:<id>' }` per booking counted, beside the event.
 */
export class CosmosEventRepository extends HopBound implements EventRepository {
  constructor(private readonly container: Container) {
    super();
  }

  async add(event: Event): Promise<'added' | 'name-taken'> {
    // The name is claimed first: the event document is what the change feed announces, so it is
    // written only once its name is ours. The two live in different partitions (no batch spans
    // partitions); if the process dies in between, the name stays claimed by an event that does not
    // exist, and findByName answers undefined for it.
    const claimed = await createIfAbsent(this.container, stampWriter({ id: NAME_MARKER_ID, pk: namePartition(event.name), entity: 'event-name', eventId: event.id }, this.boundHop?.traceparent));
    if (!claimed) return 'name-taken';
    await this.container.items.create(eventDocument(event, this.boundHop?.traceparent));
    return 'added';
  }

  async get(id: string): Promise<Event | undefined> {
    const document = await readDocument(this.container, id, eventPartition(id));
    return document?.['entity'] === ENTITY.event ? eventSchema.parse(document) : undefined;
  }

  async findByName(name: string): Promise<Event | undefined> {
    const marker = await readDocument(this.container, NAME_MARKER_ID, namePartition(name));
    const eventId = marker?.['eventId'];
    return typeof eventId === 'string' ? this.get(eventId) : undefined;
  }

  list(page: PageRequest): Promise<Page<Event>> {
    return readListPage({ container: this.container, entity: ENTITY.event, order: listOrder.events, parse: (document) => eventSchema.parse(document) }, page);
  }

  async applyBooking(eventId: string, bookingId: string, seats: number): Promise<'applied' | 'already-applied' | 'unknown-event'> {
    // The count and the marker in one batch of the event's partition; the count's IfMatch comes
    // first, so a concurrent writer makes the batch fail before the marker is written. The event is
    // read before the marker: a marker written after our read changed the event's ETag too.
    const partition = eventPartition(eventId);
    const markerId = appliedMarkerId(bookingId);
    return retryOnLostRace(`Counting booking ${bookingId} on event ${eventId}`, async () => {
      const document = await readDocument(this.container, eventId, partition);
      if (document?.['entity'] !== ENTITY.event) return 'unknown-event';
      if (await readDocument(this.container, markerId, partition)) return 'already-applied';
      const event = eventSchema.parse(document);
      const outcome = await conditionalBatch(this.container, partition, [
        { operationType: 'Replace', id: eventId, ifMatch: String(document._etag), resourceBody: stampWriter({ ...stripSystemFields(document), seatsBooked: event.seatsBooked + seats }, this.boundHop?.traceparent) },
        { operationType: 'Create', resourceBody: stampWriter({ id: markerId, pk: partition, entity: 'applied-booking', eventId, bookingId, seats }, this.boundHop?.traceparent) },
      ]);
      return outcome === 'committed' ? 'applied' : outcome;
    });
  }
}

