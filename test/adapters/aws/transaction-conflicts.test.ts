import { TransactionCanceledException, TransactionConflictException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoBookingRepository } from '../../../adapters/aws/dynamodb/booking-repository.js';
import { retryOnTransactionConflict } from '../../../adapters/aws/dynamodb/transactions.js';
import type { Booking } from '../../../functions/domain/booking.js';

/** The bound on attempts in transactions.ts (MAX_ATTEMPTS; not exported). */
const MAX_ATTEMPTS = 20;

const cancelled = (...reasons: CancellationReason[]) =>
  new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: reasons });
const conflict = () => cancelled({ Code: 'TransactionConflict' }, { Code: 'None' });
const plainConflict = () => new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: {} });

/** Settles a promise while the fake clock runs every backoff timer it schedules. */
async function settle<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  const settled = Promise.allSettled([promise]).then(([result]) => result!);
  await vi.runAllTimersAsync();
  return settled;
}

/** A write that throws the given errors in turn, then resolves with 'written'. */
const writeFailing = (...errors: Error[]) => {
  const write = vi.fn(async () => 'written');
  for (const error of errors) write.mockRejectedValueOnce(error);
  return write;
};

const booking: Booking = { id: 'bk-1', eventId: 'ev-1', seats: 2, createdAt: '2026-05-01T10:00:00.000Z', owner: 'user-1' };

/** A document client whose TransactWrite sends fail with the given errors in turn, then succeed; Gets find nothing. */
function stubDocuments(...transactErrors: Error[]) {
  const sent = { get: 0, transactWrite: 0 };
  const send = vi.fn(async (command: unknown) => {
    if (command instanceof GetCommand) {
      sent.get += 1;
      return {};
    }
    if (command instanceof TransactWriteCommand) {
      const error = transactErrors[sent.transactWrite];
      sent.transactWrite += 1;
      if (error) throw error;
      return {};
    }
    throw new Error(`unexpected command ${String(command)}`);
  });
  return { documents: { send } as unknown as DynamoDBDocumentClient, sent };
}

describe('booking transaction conflicts (stubbed DynamoDB client: DynamoDB Local never produces conflicts)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  describe('retryOnTransactionConflict', () => {
    it('retries a transaction cancelled for TransactionConflict until it goes through', async () => {
      // Prepare
      const write = writeFailing(conflict(), conflict(), conflict());

      // Act
      const result = await settle(retryOnTransactionConflict(write));

      // Assess
      expect(result).toEqual({ status: 'fulfilled', value: 'written' });
      expect(write).toHaveBeenCalledTimes(4);
    });

    it('retries a plain write rejected with TransactionConflictException', async () => {
      // Prepare
      const write = writeFailing(plainConflict());

      // Act
      const result = await settle(retryOnTransactionConflict(write));

      // Assess
      expect(result).toEqual({ status: 'fulfilled', value: 'written' });
      expect(write).toHaveBeenCalledTimes(2);
    });

    it('does not retry a cancellation for a failed condition only', async () => {
      // Prepare
      const conditionFailed = cancelled({ Code: 'ConditionalCheckFailed' }, { Code: 'None' });
      const write = writeFailing(conditionFailed);

      // Act
      const result = await settle(retryOnTransactionConflict(write));

      // Assess
      expect(result).toEqual({ status: 'rejected', reason: conditionFailed });
      expect(write).toHaveBeenCalledTimes(1);
    });

    it(`gives up after ${MAX_ATTEMPTS} attempts on a write that always conflicts`, async () => {
      // Prepare
      const lastConflict = conflict();
      const write = vi.fn(async (): Promise<string> => {
        throw lastConflict;
      });

      // Act
      const result = await settle(retryOnTransactionConflict(write));

      // Assess
      expect(result).toEqual({ status: 'rejected', reason: lastConflict });
      expect(write).toHaveBeenCalledTimes(MAX_ATTEMPTS);
    });
  });

  describe('DynamoBookingRepository.book()', () => {
    it('books after two conflicting transactions, sending the transaction three times', async () => {
      // Prepare
      // With a key the transaction has three items: reservation, booking, idempotency key.
      const reserveConflict = () => cancelled({ Code: 'TransactionConflict' }, { Code: 'None' }, { Code: 'None' });
      const { documents, sent } = stubDocuments(reserveConflict(), reserveConflict());
      const repository = new DynamoBookingRepository(documents, 'bookings');

      // Act
      const result = await settle(repository.book(booking, 'key-1'));

      // Assess
      expect(result).toEqual({ status: 'fulfilled', value: { outcome: 'booked', booking } });
      expect(sent).toEqual({ get: 1, transactWrite: 3 });
    });

    it('reports the seats left when the reservation condition failed on an existing event', async () => {
      // Prepare
      const oldEvent = { pk: { S: 'EVENT#ev-1' }, sk: { S: 'EVENT' }, capacity: { N: '10' }, seatsBooked: { N: '9' }, seatsLeft: { N: '1' } };
      const { documents, sent } = stubDocuments(cancelled({ Code: 'ConditionalCheckFailed', Item: oldEvent }, { Code: 'None' }));
      const repository = new DynamoBookingRepository(documents, 'bookings');

      // Act
      const result = await settle(repository.book(booking));

      // Assess
      expect(result).toEqual({ status: 'fulfilled', value: { outcome: 'insufficient-seats', seatsLeft: 1 } });
      expect(sent).toEqual({ get: 0, transactWrite: 1 });
    });

    it('reports an unknown event when the reservation condition failed with no old item', async () => {
      // Prepare
      const { documents, sent } = stubDocuments(cancelled({ Code: 'ConditionalCheckFailed' }, { Code: 'None' }));
      const repository = new DynamoBookingRepository(documents, 'bookings');

      // Act
      const result = await settle(repository.book(booking));

      // Assess
      expect(result).toEqual({ status: 'fulfilled', value: { outcome: 'unknown-event' } });
      expect(sent).toEqual({ get: 0, transactWrite: 1 });
    });
  });
});
