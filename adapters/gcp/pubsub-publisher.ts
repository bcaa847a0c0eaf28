import { PubSub, type ClientConfig, type Topic } from '@google-cloud/pubsub';
import type { DomainEvent } from '../../functions/domain/domain-events.js';
import type { Publisher } from '../../functions/ports.js';
import { HopBound, TRACEPARENT_FIELD } from '../shared/trace-carriers.js';

/**
 * The Pub/Sub client. The endpoint is the client's business: it honours PUBSUB_EMULATOR_HOST
 * (npm run start:gcp, tests), or pass `apiEndpoint`. On an emulator, placeholder credentials keep the
 * auth library from probing the GCE metadata server first (slow, and no answer off Google Cloud).
 */
export function createPubSub(config: ClientConfig = {}): PubSub {
  const onEmulator = (config.apiEndpoint ?? process.env['PUBSUB_EMULATOR_HOST'] ?? '') !== '';
  const credentials = onEmulator ? { credentials: { client_email: 'emulator@localhost', private_key: 'unused-by-the-emulator' } } : {};
  return new PubSub({ ...credentials, ...config });
}

/**
 * Publishes domain events as JSON message data to one topic, with the event type as an attribute (for
 * subscription filters) and the publishing hop's `traceparent` as another (the consumer continues it, queue-trigger.ts).
 */
export class PubSubPublisher extends HopBound implements Publisher {
  constructor(private readonly topic: Topic) {
    super();
  }

  async publish(event: DomainEvent): Promise<void> {
    // Resolves once Pub/Sub has stored the message; rejects (and the outbox record is retried) otherwise.
    const traceparent = this.boundHop?.traceparent;
    const attributes: Record<string, string> = traceparent === undefined ? { type: event.type } : { type: event.type, [TRACEPARENT_FIELD]: traceparent };
    await this.topic.publishMessage({ data: Buffer.from(JSON.stringify(event), 'utf8'), attributes });
  }
}
