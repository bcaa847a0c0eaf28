import { MalformedMessageError } from '../errors.js';
import type { BookingRepository } from '../ports.js';
import type { QueueMessage } from './contract.js';
import { readDomainEvent } from './envelope.js';

export interface BookingsConsumerDeps {
  bookings: BookingRepository;
}

/**
 * Keeps the booking service's own view of events. EventCreated carries the hall capacity, so
 * LocationCreated needs no state here: it is validated and acknowledged. Idempotent and order-free:
 * remembering an event that is already known keeps its seatsBooked.
 */
export async function bookingsConsumer(message: QueueMessage, deps: BookingsConsumerDeps): Promise<void> {
  const domainEvent = readDomainEvent(message);
  switch (domainEvent.type) {
    case 'EventCreated':
      await deps.bookings.rememberEvent({ eventId: domainEvent.data.id, capacity: domainEvent.data.capacity, seatsBooked: 0 });
      return;
    case 'LocationCreated':
      return;
    default:
      throw new MalformedMessageError(`bookingsConsumer does not handle ${domainEvent.type} (message ${message.id})`);
  }
}
