import type { CancellationReason } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient, type TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import * as z from 'zod/mini';
import { IDEMPOTENCY_KEY_LIFETIME_SECONDS } from '../../../functions/limits.js';
import { bookingSchema, knownEventSchema, type Booking, type KnownEvent } from '../../../functions/domain/booking.js';
import { listOrder } from '../../../functions/domain/list-order.js';
import { ENTITY } from '../../../functions/domain/stored-records.js';
import type { Page, PageRequest } from '../../../functions/paging.js';
import type { BookingRepository, BookOutcome } from '../../../functions/ports.js';
import { bookIdempotently, type IdempotencyStore, type ReservationOutcome } from '../../shared/idempotency.js';
import { boundTo, HopBound, stampWriter } from '../../shared/trace-carriers.js';
import { putIfAbsent, tracedUpdate } from './document-client.js';
import { readItemsPage } from './paging.js';
import { cancellationReasons, conditionFailed, retryOnTransactionConflict } from './transactions.js';

const eventKey = (eventId: string) => ({ pk: `EVENT#${eventId}`, sk: 'EVENT' });
/** An event's bookings form a list partition of their own, sorted by list position (creation time, then id). */
const bookingsPartition = (eventId: string) => `BOOKINGS#${eventId}`;
const bookingKey = (booking: Booking) => ({ pk: bookingsPartition(booking.eventId), sk: listOrder.bookings.positionOf(booking) });
const idempotencyItemKey = (key: string) => ({ pk: `IDEMPOTENCY#${key}`, sk: 'IDEMPOTENCY' });

/**
 * The `owner` index of the bookings table (infra/aws/tables.yml): one partition per event and owner
 * (event ids hold no `#`, so the key cannot be spelled by another pair), sorted like the event's list.
 */
const OWNER_INDEX = { indexName: 'owner', partitionKey: 'ownerPk', sortKey: 'ownerSk' } as const;
const ownerPartition = (eventId: string, owner: string) => `BOOKINGS#${eventId}#OWNER#${owner}`;
const ownerIndexKey = (booking: Booking) => ({ ownerPk: ownerPartition(booking.eventId, booking.owner), ownerSk: listOrder.bookings.positionOf(booking) });

/** Positions in the booking transaction, to read its CancellationReasons. */
const RESERVE = 0;
const COMPLETE_KEY = 2;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/**
 * Idempotency keys as items of the table: the key's item is written by the booking transaction
 * itself, conditional on its absence, so it needs no claim of its own and a refused booking leaves
 * nothing to release. Kept for IDEMPOTENCY_KEY_LIFETIME_SECONDS; the table's TTL on `expiresAt`
 * deletes them later (within about two days).
 */
class DynamoIdempotencyStore extends HopBound implements IdempotencyStore<TransactItem> {
  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    super();
  }

  async claim(key: string) {
    const booking = await this.replay(key);
    return booking && { booking, completed: true };
  }

  completion(key: string, booking: Booking): TransactItem {
    return {
      Put: {
        TableName: this.tableName,
        Item: stampWriter({ ...idempotencyItemKey(key), entity: 'idempotency-key', booking, expiresAt: Math.floor(Date.now() / 1000) + IDEMPOTENCY_KEY_LIFETIME_SECONDS }, this.boundHop?.traceparent),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }

  async replay(key: string): Promise<Booking | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: idempotencyItemKey(key), ConsistentRead: true }));
    return Item && idempotencyItemSchema.parse(Item).booking;
  }

  async release(): Promise<void> {}
}

const seatsLeftSchema = z.object({ seatsLeft: z.number().check(z.int()) });
const idempotencyItemSchema = z.object({ booking: bookingSchema });

/**
 * The booking service's table. The known event
 * `{ pk: 'EVENT#<id>', sk: 'EVENT', entity: 'known-event', eventId, capacity, seatsBooked, seatsLeft }`;
 * its bookings `{ pk: 'BOOKINGS#<eventId>', sk: '<created instant>#<id>', entity: 'booking', ...booking }`
 * (one partition per event, paged by sort key), each also in the `owner` index by `ownerPk`
 * (`BOOKINGS#<eventId>#OWNER#<owner>`) and `ownerSk` (its list position); idempotency keys are items of
 * their own, `{ pk: 'IDEMPOTENCY#<callerScopedKey(owner, key)>', sk: 'IDEMPOTENCY', booking, expiresAt }`.
 * `seatsLeft` is stored so the reservation is one conditional update with no read before it.
 * Reads are strongly consistent: the port promises read-your-writes.
 */
export class DynamoBookingRepository extends HopBound implements BookingRepository {
  private readonly idempotency: DynamoIdempotencyStore;

  constructor(
    private readonly documents: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    super();
    this.idempotency = new DynamoIdempotencyStore(documents, tableName);
  }

  async rememberEvent(event: KnownEvent): Promise<void> {
    // A redelivered EventCreated must not reset the seats booked since.
    await putIfAbsent(this.documents, {
      TableName: this.tableName,
      Item: stampWriter({ ...eventKey(event.eventId), entity: ENTITY.knownEvent, ...event, seatsLeft: event.capacity - event.seatsBooked }, this.boundHop?.traceparent),
    });
  }

  async getEvent(eventId: string): Promise<KnownEvent | undefined> {
    const { Item } = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: eventKey(eventId), ConsistentRead: true }));
    return Item && knownEventSchema.parse(Item);
  }

  book(booking: Booking, idempotencyKey?: string): Promise<BookOutcome> {
    // The claim's read is only a shortcut for a client's plain retry: the transaction's condition on
    // the key is what makes concurrent requests with one key book exactly once.
    return bookIdempotently(boundTo(this.idempotency, this.boundHop), booking, idempotencyKey, (completion) => retryOnTransactionConflict(() => this.reserve(booking, completion)));
  }

  listForEvent(eventId: string, page: PageRequest, owner?: string): Promise<Page<Booking>> {
    // An owner's bookings from the owner index (projecting every attribute, so no second read), eventually
    // consistent as every GSI is; everyone's from the table itself.
    const partitions = owner === undefined ? { partitionKey: 'pk', sortKey: 'sk', partitions: [bookingsPartition(eventId)] } : { ...OWNER_INDEX, partitions: [ownerPartition(eventId, owner)] };
    const order = { ...listOrder.bookings, list: listOrder.bookings.list(eventId, owner) };
    return readItemsPage(this.documents, { tableName: this.tableName, ...partitions }, order, (item) => bookingSchema.parse(item), page);
  }

  /** One attempt of the booking transaction; throws on a transaction conflict so the caller retries. */
  private async reserve(booking: Booking, completion: TransactItem | undefined): Promise<ReservationOutcome> {
    try {
      await this.documents.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Update: {
                TableName: this.tableName,
                Key: eventKey(booking.eventId),
                ...tracedUpdate({ set: ['seatsLeft = seatsLeft - :seats', 'seatsBooked = seatsBooked + :seats'] }, { ':seats': booking.seats }, this.boundHop?.traceparent),
                ConditionExpression: 'attribute_exists(pk) AND seatsLeft >= :seats',
                // Returned only on failure: tells an unknown event from a full one, and how many seats are left.
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
            { Put: { TableName: this.tableName, Item: stampWriter({ ...bookingKey(booking), ...ownerIndexKey(booking), entity: ENTITY.booking, ...booking }, this.boundHop?.traceparent) } },
            ...(completion === undefined ? [] : [completion]),
          ],
        }),
      );
      return { outcome: 'booked', booking };
    } catch (error) {
      const reasons = cancellationReasons(error);
      if (!reasons) throw error;
      return outcomeOfCancelled(reasons, error);
    }
  }
}

/** What a cancelled booking transaction means; rethrows what it cannot explain (conflicts are retried). */
function outcomeOfCancelled(reasons: CancellationReason[], error: unknown): ReservationOutcome {
  // The key's condition first: a twin holds the key (bookIdempotently answers with the twin's booking).
  if (conditionFailed(reasons, COMPLETE_KEY)) return 'key-taken';
  // The conditions were checked against items another transaction was changing: try again.
  if (reasons.some((reason) => reason.Code === 'TransactionConflict')) throw error;
  if (conditionFailed(reasons, RESERVE)) {
    const old = reasons[RESERVE]?.Item;
    if (old === undefined) return { outcome: 'unknown-event' };
    return { outcome: 'insufficient-seats', seatsLeft: seatsLeftSchema.parse(unmarshall(old)).seatsLeft };
  }
  throw error;
}
