import { TransactionCanceledException, TransactionConflictException, type CancellationReason } from '@aws-sdk/client-dynamodb';

/** How often a transaction is tried before a conflict is reported as an error. */
const MAX_ATTEMPTS = 20;
const BASE_DELAY_MS = 10;
const MAX_DELAY_MS = 500;

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
export async function retryOnTransactionConflict<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await write();
    } catch (error) {
      if (attempt >= MAX_ATTEMPTS || !isTransactionConflict(error)) throw error;
      const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** attempt);
      await new Promise((done) => setTimeout(done, Math.random() * ceiling));
    }
  }
}
