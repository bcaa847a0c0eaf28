import { envelope, EVENTS_SERVICE_SOURCE } from '../domain/domain-events.js';
import { eventSchema } from '../domain/event.js';
import { locationSchema } from '../domain/location.js';
import { ENTITY, entityOf } from '../domain/stored-records.js';
import type { Clock, Publisher } from '../ports.js';
import type { ChangeRecord } from './contract.js';
import { parseStoredDocument } from './stored-document.js';

export interface EventsOutboxDeps {
  publisher: Publisher;
  clock: Clock;
}

/**
 * Transactional outbox of the events service, fed by its table's change stream: an inserted location
 * becomes LocationCreated, an inserted event EventCreated. Envelope ids derive from the entity, so a
 * redelivered record publishes the same message again, which consumers recognise.
 */
export async function eventsOutbox(record: ChangeRecord, deps: EventsOutboxDeps): Promise<void> {
  if (record.kind !== 'insert') return;
  switch (entityOf(record.after)) {
    case ENTITY.location: {
      const location = parseStoredDocument(locationSchema, record.after, 'location');
      await deps.publisher.publish(envelope('LocationCreated', location.id, EVENTS_SERVICE_SOURCE, deps.clock.now(), location));
      return;
    }
    case ENTITY.event: {
      const { id, name, startDate, endDate, locationId, hall, capacity } = parseStoredDocument(eventSchema, record.after, 'event');
      const data = { id, name, startDate, endDate, locationId, hall, capacity };
      await deps.publisher.publish(envelope('EventCreated', id, EVENTS_SERVICE_SOURCE, deps.clock.now(), data));
      return;
    }
    default:
      return; // helper documents (uniqueness markers) announce nothing
  }
}
