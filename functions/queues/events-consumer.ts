import { MalformedMessageError, NotFoundError } from '../errors.js';
import type { EventRepository } from '../ports.js';
import type { QueueMessage } from './contract.js';
import { readDomainEvent } from './envelope.js';

export interface EventsConsumerDeps {
  events: EventRepository;
}

/**
 * Updates an event's seatsBooked from EventBooked, once per booking id: duplicates change nothing and
 * the order of bookings does not matter (the sum is the same).
 */
export async function eventsConsumer(message: QueueMessage, deps: EventsConsumerDeps): Promise<void> {
  const domainEvent = readDomainEvent(message);
  if (domainEvent.type !== 'EventBooked') {
    throw new MalformedMessageError(`eventsConsumer does not handle ${domainEvent.type} (message ${message.id})`);
  }
  const { eventId, bookingId, seats } = domainEvent.data;
  if ((await deps.events.applyBooking(eventId, bookingId, seats)) === 'unknown-event') {
    // Retried, then dead-lettered: an event the events service does not have is worth a look.
    throw new NotFoundError(`EventBooked ${bookingId} names unknown event ${eventId}`);
  }
}
