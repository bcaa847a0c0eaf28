import type { QueueClient } from '@azure/storage-queue';
import type { DomainEvent } from '../../functions/domain/domain-events.js';
import type { Publisher } from '../../functions/ports.js';
import { HopBound, TRACEPARENT_FIELD } from '../shared/trace-carriers.js';

/** How message text is stored in the queue: host.json `extensions.queues.messageEncoding`. */
export type QueueMessageEncoding = 'base64' | 'none';

/**
 * Publishes domain events as JSON to one Storage Queue, in the encoding the consuming host expects
 * (base64 by default: the Functions host decodes every message it reads with it). A Storage Queue
 * message has no attributes, so the publishing hop's `traceparent` is a top-level field of the JSON,
 * where CloudEvents' distributed-tracing extension puts it; the domain event's schema ignores it, and
 * a message without it (one sent by hand) is consumed alike, in a trace of its own.
 */
export class StorageQueuePublisher extends HopBound implements Publisher {
  constructor(
    private readonly queue: QueueClient,
    private readonly encoding: QueueMessageEncoding = 'base64',
  ) {
    super();
  }

  async publish(event: DomainEvent): Promise<void> {
    const traceparent = this.boundHop?.traceparent;
    const message = traceparent === undefined ? event : { ...event, [TRACEPARENT_FIELD]: traceparent };
    await this.queue.sendMessage(encodeQueueMessage(JSON.stringify(message), this.encoding));
  }
}

/** Message text as stored in the queue under `encoding`. */
export function encodeQueueMessage(text: string, encoding: QueueMessageEncoding): string {
  return encoding === 'base64' ? Buffer.from(text, 'utf8').toString('base64') : text;
}
