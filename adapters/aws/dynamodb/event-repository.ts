import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventSchema, type Event } from '../../../functions/domain/event.js';
import { listOrder } from '../../../functions/domain/list-order.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { Page, PageRequest } from '../../../functions/paging.js';
import type { EventRepository } from '../../../functions/ports.js';
import { HopBound, stampWriter } from '../../shared/trace-carriers.js';
import { tracedUpdate } from './document-client.js';
import { listIndexKey, readIndexedPage, type IndexedList } from './paging.js';
import { cancellationReasons, conditionFailed, retryOnTransactionConflict } from './transactions.js';

const EVENTS: IndexedList<Event> = { ...listOrder.events, prefix: 'EVENTS', parse: (item) => eventSchema.parse(item) };
const eventKey = (id: string) => ({ pk: `EVENT#${id}`, sk: 'EVENT' });
/** One marker item per event name: DynamoDB has no unique constraint beyond the key, so the name becomes a key. */
const nameKey = (name: string) => ({ pk: `EVENT_NAME#${name}`, sk: 'EVENT_NAME' });
/** One marker item per EventBooked counted, so that redeliveries count once and the event item never grows. */
const appliedKey = (bookingId: string) => ({ pk: `APPLIED_BOOKING#${bookingId}`, sk: 'APPLIED_BOOKING' });

/** The stored item of an event: its domain fields verbatim (the stream reads them), its key, and its place in the list index. */
export function eventItem(event: Event, traceparent?: string): Record<string, unknown> {
  return stampWriter({ ...eventKey(event.id), entity: ENTITY.event, ...event, ...listIndexKey(EVENTS.prefix, event.id, listOrder.events.positionOf(event)) }, traceparent);
}

/** Positions of the items in the applyBooking transaction, to read its CancellationReasons. */
const MARKER = 0;
const COUNTER = 1;

/**
 * Events in the events service's table (shared with locations), each in a partition of its own:
 * `{ pk: 'EVENT#<id>', sk: 'EVENT', entity, ...event, listPk: 'EVENTS#<shard>', listSk: '<start instant>#<id>' }`,
 * listed through the keys-only list index (paging.ts), plus `{ pk: 'EVENT_NAME#<name>', ... eventId }` per
 * name and `{ pk: 'APPLIED_BOOKING#<bookingId>', ... eventId }` per booking counted. Every key is
 * spread by id, so no partition key takes every write. Gets are strongly consistent.
 */
export class DynamoEventRepository extends HopBound implements EventRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    super();
  }

  async add(event: Event): Promise<'added' | 'name-taken'> {
    // Marker and event in one transaction: never an event without its name claimed, nor a claimed name without its event.
    const write = new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: this.tableName,
            Item: stampWriter({ ...nameKey(event.name), entity: 'event-name', eventId: event.id }, this.boundHop?.traceparent),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: this.tableName, Item: eventItem(event, this.boundHop?.traceparent) } },
      ],
    });
    try {
      // Two events created with the same name at once conflict on the marker; the retry then sees it taken.
      await retryOnTransactionConflict(() => this.documents.send(write));
      return 'added';
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons && conditionFailed(reasons, 0)) return 'name-taken';
      throw error;
    }
  }

  async get(id: string): Promise<Event | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: eventKey(id), ConsistentRead: true }));
    return Item && eventSchema.parse(Item);
  }

  async findByName(name: string): Promise<Event | undefined> {
    const { Item: marker } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: nameKey(name), ConsistentRead: true }));
    const eventId = marker?.['eventId'];
    return typeof eventId === 'string' ? this.get(eventId) : undefined;
  }

  list(page: PageRequest): Promise<Page<Event>> {
    return readIndexedPage(this.documents, this.tableName, EVENTS, page);
  }

  async applyBooking(eventId: string, bookingId: string, seats: number): Promise<'applied' | 'already-applied' | 'unknown-event'> {
    // The marker and the count in one transaction: a booking is counted exactly when its marker is
    // written, concurrent deliveries conflict and are retried, and no read comes before the write.
    const write = new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: this.tableName,
            Item: stampWriter({ ...appliedKey(bookingId), entity: 'applied-booking', eventId, seats }, this.boundHop?.traceparent),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Update: {
            TableName: this.tableName,
            Key: eventKey(eventId),
            ...tracedUpdate({ add: ['seatsBooked :seats'] }, { ':seats': seats }, this.boundHop?.traceparent),
            ConditionExpression: 'attribute_exists(pk)',
          },
        },
      ],
    });
    try {
      await retryOnTransactionConflict(() => this.documents.send(write));
      return 'applied';
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (reasons && conditionFailed(reasons, COUNTER)) return 'unknown-event';
      if (reasons && conditionFailed(reasons, MARKER)) return 'already-applied';
      throw error;
    }
  }
}
