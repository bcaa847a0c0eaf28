import type { DomainEvent } from '../../functions/domain/domain-events.js';
import type { Clock, IdSource, Publisher } from '../../functions/ports.js';

/** A clock that stands still unless moved. */
export function fixedClock(iso = '2026-05-01T10:00:00.000Z'): Clock & { set(iso: string): void } {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next) => (now = new Date(next)) };
}

/** Ids `id-1`, `id-2`, ... so expectations can name them. */
export function sequentialIds(prefix = 'id'): IdSource {
  let next = 0;
  return { newId: () => `${prefix}-${++next}` };
}

/** A publisher that records what it was given. */
export class RecordingPublisher implements Publisher {
  readonly published: DomainEvent[] = [];
  async publish(event: DomainEvent): Promise<void> {
    this.published.push(structuredClone(event));
  }
}
