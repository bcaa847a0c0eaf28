import type { Logger } from '../../functions/ports.js';
import { describeError } from '../shared/describe-error.js';

export interface DeadLetter<T> {
  item: T;
  attempts: number;
  error: Record<string, unknown>;
}

/** What the owner of several deliveries watches: progress and failures. */
export interface DeliveryStatus<T> {
  readonly name: string;
  readonly idle: boolean;
  /** Items waiting or being delivered. */
  readonly depth: number;
  drain(): Promise<void>;
  readonly deadLetters: readonly DeadLetter<T>[];
  /** Sends the dead letter at `index` back to be delivered again (its attempts start over); false when there is none. */
  redrive(index: number): boolean;
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
    readonly name: string,
    /** `last`: this is the final attempt, after which a failure dead-letters the item. */
    private readonly deliver: (item: T, attempt: number, last: boolean) => Promise<void>,
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

  get depth(): number {
    return this.pending;
  }

  redrive(index: number): boolean {
    const [letter] = this.deadLetters.splice(index, 1);
    if (letter === undefined) return false;
    this.enqueue(letter.item);
    return true;
  }

  private async deliverWithRetries(item: T): Promise<void> {
    for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
      try {
        await this.deliver(item, attempt, attempt === this.maxAttempts);
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
