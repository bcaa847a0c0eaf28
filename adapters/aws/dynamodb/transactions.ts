import { TransactionCanceledException, TransactionConflictException, type CancellationReason } from '@aws-sdk/client-dynamodb';
import { retryWithJitter, type JitterPolicy } from '../../shared/retry.js';

/**
 * 20 attempts, 10 ms doubling to 500 ms: a conflict means another transaction holds the item for the
 * length of its own round trip (tens of ms), and every retry is a billed write; 20 rounds outlast a
 * burst of a few hundred bookings of one event, anything hotter should end in an error, not a queue.
 */
const TRANSACTION_RETRY: JitterPolicy = { maxAttempts: 20, baseDelayMs: 10, maxDelayMs: 500 };

/** The per-item reasons of a cancelled transaction (in TransactItems order), or undefined for any other error. */
export function cancellationReasons(error: unknown): CancellationReason[] | undefined {
  return error instanceof TransactionCanceledException ? (error.CancellationReasons ?? []) : undefined;
}

/** True when the transaction item at `index` was cancelled because its condition expression failed. */
export function conditionFailed(reasons: CancellationReason[], index: number): boolean {
  return reasons[index]?.Code === 'ConditionalCheckFailed';
}

function isTransactionConflict(error: unknown): boolean {
  if (error instanceof TransactionConflictException) return true;
  return cancellationReasons(error)?.some((reason) => reason.Code === 'TransactionConflict') ?? false;
}

/**
 * Runs a write, again while DynamoDB cancels it for a transaction conflict. DynamoDB does not queue
 * writes to an item that another transaction is changing: it cancels one of them with
 * `TransactionConflict` (or `TransactionConflictException` for a plain write). Under contention (many
 * bookings of one event) that is the normal case, not a failure, and the SDK does not retry it. A
 * cancelled transaction wrote nothing, so running it again is safe; full jitter spreads the contenders
 * out so they do not collide again in lockstep. Bounded, so a pathological hot spot ends in an error.
 */
export function retryOnTransactionConflict<T>(write: () => Promise<T>): Promise<T> {
  return retryWithJitter(TRANSACTION_RETRY, isTransactionConflict, write);
}
