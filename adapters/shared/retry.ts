/**
 * How an engine retries a write that lost a race: each engine names its own limits next to why
 * (adapters/aws/dynamodb/transactions.ts, adapters/gcp/firestore/optimistic-write.ts,
 * adapters/azure/cosmos/documents.ts); the loop itself is this one.
 */
export interface JitterPolicy {
  /** Tries in all, the first included, before the loss is reported as an error. */
  maxAttempts: number;
  /** The delay ceiling of the first retry; it doubles with each attempt... */
  baseDelayMs: number;
  /** ...up to this ceiling. */
  maxDelayMs: number;
}

/**
 * Runs `attempt` again while it fails with an error `isRetryable` accepts, waiting a random time
 * between 0 and a ceiling that doubles per attempt ("full jitter"): contenders that collided spread
 * out instead of colliding again in lockstep. A lost attempt must have written nothing, so running it
 * again is safe. After `maxAttempts` the last error is thrown, or what `giveUp` makes of it.
 * Hand-written rather than a retry library: ten lines, and each engine's tests drive it with fake timers.
 */
export async function retryWithJitter<T>(
  policy: JitterPolicy,
  isRetryable: (error: unknown) => boolean,
  attempt: () => Promise<T>,
  giveUp: (attempts: number, error: unknown) => unknown = (_attempts, error) => error,
): Promise<T> {
  for (let number = 1; ; number += 1) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetryable(error)) throw error;
      if (number >= policy.maxAttempts) throw giveUp(number, error);
      const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** number);
      await new Promise((done) => setTimeout(done, Math.random() * ceiling));
    }
  }
}
