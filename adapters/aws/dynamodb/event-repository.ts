import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { eventSchema, type Event } from '../../../functions/domain/event.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { EventRepository } from '../../../functions/ports.js';
import { queryPartition } from './document-client.js';
import { cancellationReasons, conditionFailed, retryOnTransactionConflict } from './transactions.js';

const EVENTS = 'EVENT';
/** One marker item per event name: DynamoDB has no unique constraint beyond the key, so the name becomes a key. */
const NAMES = 'EVENT_NAME';

/**
 * Events in the events service's table (shared with locations):
 * `{ pk: 'EVENT', sk: id, entity, ...event, appliedBookings? }` plus a marker
 * `{ pk: 'EVENT_NAME', sk: name, entity: 'event-name', eventId }` per name. `appliedBookings` (a String
 * Set) remembers which EventBooked messages were counted, so redeliveries count once. Reads are
 * strongly consistent: the port promises read-your-writes.
 */
export class DynamoEventRepository implements EventRepository {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async add(event: Event): Promise<'added' | 'name-taken'> {
    // Marker and event in one transaction: never an event without its name claimed, nor a claimed name without its event.
    const write = new TransactWriteCommand({
      TransactItems: [
        {
          Put: {
            TableName: this.tableName,
            Item: { pk: NAMES, sk: event.name, entity: 'event-name', eventId: event.id },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName: this.tableName, Item: { pk: EVENTS, sk: event.id, entity: ENTITY.event, ...event } } },
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
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: EVENTS, sk: id }, ConsistentRead: true }));
    return Item && eventSchema.parse(Item);
  }

  async findByName(name: string): Promise<Event | undefined> {
    const { Item: marker } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: { pk: NAMES, sk: name }, ConsistentRead: true }));
    const eventId = marker?.['eventId'];
    return typeof eventId === 'string' ? this.get(eventId) : undefined;
  }

  async list(): Promise<Event[]> {
    const items = await queryPartition(this.documents, this.tableName, EVENTS);
    return items.map((item) => eventSchema.parse(item));
  }

  async applyBooking(eventId: string, bookingId: string, seats: number): Promise<'applied' | 'already-applied' | 'unknown-event'> {
    try {
      // Counting the seats and remembering the booking id is one conditional update: atomic under
      // concurrent redeliveries, with no read before the write.
      await this.documents.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: EVENTS, sk: eventId },
          UpdateExpression: 'ADD seatsBooked :seats, appliedBookings :bookingIds',
          ConditionExpression: 'attribute_exists(pk) AND NOT contains(appliedBookings, :bookingId)',
          ExpressionAttributeValues: { ':seats': seats, ':bookingIds': new Set([bookingId]), ':bookingId': bookingId },
          // The old item comes back only when the condition fails: it tells "no event" from "counted before".
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'applied';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return error.Item === undefined ? 'unknown-event' : 'already-applied';
    }
  }
}
