import type { Logger } from '../../functions/ports.js';
import { describeError } from '../shared/describe-error.js';

export interface DeadLetter<T> {
  item: T;
  attempts: number;
  error: Record<string, unknown>;
}

/** What the owner of several deliveries watches: progress and failures. */
export interface DeliveryStatus<T> {
  readonly idle: boolean;
  drain(): Promise<void>;
  readonly deadLetters: readonly DeadLetter<T>[];
}

/**
 * Delivers items one at a time, in order, retrying a failing item up to `maxAttempts` times before
 * moving it to `deadLetters` and going on: the in-process stand-in for a queue with a redrive policy
 * or a stream mapping with bounded retries and an on-failure destination.
 */
export class SerialDelivery<T> implements DeliveryStatus<T> {
  readonly deadLetters: DeadLetter<T>[] = [];
  private tail: Promise<void> = Promise.resolve();
  private pending = 0;

  constructor(
    private readonly name: string,
    private readonly deliver: (item: T, attempt: number) => Promise<void>,
    private readonly logger: Logger,
    private readonly maxAttempts = 5,
  ) {}

  enqueue(item: T): void {
    this.pending += 1;
    this.tail = this.tail.then(() => this.deliverWithRetries(item)).finally(() => {
      this.pending -= 1;
    });
  }

  /** Resolves once everything enqueued (including while waiting) has been delivered or dead-lettered. */
  async drain(): Promise<void> {
    while (this.pending > 0) await this.tail;
  }

  get idle(): boolean {
    return this.pending === 0;
  }

  private async deliverWithRetries(item: T): Promise<void> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      try {
        await this.deliver(item, attempt);
        return;
      } catch (error) {
        if (attempt === this.maxAttempts) {
          this.deadLetters.push({ item, attempts: attempt, error: describeError(error) });
          this.logger.error(`${this.name}: moved to dead letters`, { attempts: attempt, error: describeError(error) });
        } else {
          this.logger.warn(`${this.name}: delivery failed, retrying`, { attempt, error: describeError(error) });
        }
      }
    }
  }
}
