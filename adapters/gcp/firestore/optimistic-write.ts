import { retryWithJitter, type JitterPolicy } from '../../shared/retry.js';
import { failedWith, GrpcStatus } from './client.js';

/**
 * 60 attempts, 5 ms doubling to 200 ms: a lost update-time precondition costs one short round trip
 * and holds no lock, so many quick retries are cheap; contenders from other instances (this one's
 * queue takes turns, see KeyedQueue) need more rounds than on DynamoDB before one of them wins.
 */
const WRITE_RETRY: JitterPolicy = { maxAttempts: 60, baseDelayMs: 5, maxDelayMs: 200 };

/** How often a write is tried before contention is reported as an error. */
export const MAX_WRITE_ATTEMPTS = WRITE_RETRY.maxAttempts;

/** A write that still lost to concurrent writers after MAX_WRITE_ATTEMPTS: a hot spot beyond what retrying can absorb. */
export class WriteContentionError extends Error {
  constructor(attempts: number, cause: unknown) {
    super(`Firestore write lost to concurrent writers ${attempts} times in a row`, { cause });
    this.name = 'WriteContentionError';
  }
}

/** A document changed between our read and our write (update-time precondition failed) or a transaction was aborted. */
const isConflict = (error: unknown): boolean => failedWith(error, GrpcStatus.FAILED_PRECONDITION) || failedWith(error, GrpcStatus.ABORTED);

/**
 * Runs a read-then-write attempt again while it loses to a concurrent writer. Losing is the normal
 * case when many requests book one event, not a failure; a lost attempt wrote nothing, so running it
 * again (reading afresh) is safe; bounded so a pathological hot spot ends in an error.
 */
export function retryOnConflict<T>(attempt: () => Promise<T>): Promise<T> {
  return retryWithJitter(WRITE_RETRY, isConflict, attempt, (attempts, error) => new WriteContentionError(attempts, error));
}

/**
 * Runs tasks one after another per key, within this process. A Cloud Functions instance serves many
 * requests at once; bookings of one event in the same instance would otherwise race each other for
 * the same document and all but one lose every round. Queued, they take turns at the cost of one
 * round trip each, and only requests from other instances still conflict (and are retried).
 * Correctness never depends on the queue: the write's precondition does that.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    // Forget the key once its last task is done, so the map never grows with the number of events.
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
