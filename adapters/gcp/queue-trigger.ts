import type { MessageHandler, QueueMessage } from '../../functions/queues/contract.js';
import { describeError } from '../shared/describe-error.js';
import { bindHop, bindLogger, inMessageHop } from '../shared/trace-carriers.js';
import { functionNameOfPlatform, type Hop } from '../shared/tracing.js';
import { isMessagePublishedEvent, PUBSUB_MESSAGE_PUBLISHED, type MessagePublishedData, type ReceivedCloudEvent } from './guards.js';
import { gcpLogger } from './logger.js';

/** A messagePublished CloudEvent as a queue message: its data decoded from base64; its attempt from deliveryAttempt, when Pub/Sub sends one. */
export function pubSubEventToMessage(event: ReceivedCloudEvent<MessagePublishedData>): QueueMessage {
  const message = event.data?.message ?? {};
  const deliveryAttempt = event.data?.deliveryAttempt;
  return {
    id: message.messageId ?? event.id,
    body: Buffer.from(message.data ?? '', 'base64').toString('utf8'),
    attempt: typeof deliveryAttempt === 'number' && deliveryAttempt >= 1 ? deliveryAttempt : 1,
  };
}

/** The event handed to a Pub/Sub function is not a messagePublished CloudEvent: a deployment mistake, never retried into success. */
export class UnexpectedCloudEventError extends Error {
  constructor(type: unknown) {
    super(`Expected a ${PUBSUB_MESSAGE_PUBLISHED} CloudEvent, got type ${String(type)}`);
    this.name = 'UnexpectedCloudEventError';
  }
}

/**
 * A CloudEvent function for a Pub/Sub-triggered function: one message per invocation. A failure is
 * rethrown, so functions-framework answers 500 and Pub/Sub redelivers the message (deploy with
 * --retry) until the subscription's dead-letter policy moves it to the dead-letter topic. `fn`: the catalogue name
 * (compose.ts), for spans; without it, FUNCTION_TARGET.
 */
export function queueTrigger<Deps>(handleMessage: MessageHandler<Deps>, deps: Deps, fn?: string) {
  return async (event: ReceivedCloudEvent<unknown>): Promise<void> => {
    const logger = gcpLogger(event.id);
    if (!isMessagePublishedEvent(event)) throw new UnexpectedCloudEventError(event.type);
    const message = pubSubEventToMessage(event);
    // The topic, last segment of `//pubsub.googleapis.com/projects/<p>/topics/<topic>`.
    const topic = event.source?.slice(event.source.lastIndexOf('/') + 1) || 'topic';
    let hop: Hop | undefined; // the message's hop, so that its failure line carries its trace
    try {
      // A hop continuing the publisher's trace, its `traceparent` attribute (pubsub-publisher.ts).
      await inMessageHop(fn ?? functionNameOfPlatform(), topic, event.data?.message?.attributes?.['traceparent'], message, (started) => handleMessage(message, bindHop(deps, (hop = started))));
    } catch (error) {
      bindLogger(logger, hop).warn('Message failed; it will be retried, then dead-lettered', { messageId: message.id, attempt: message.attempt, error: describeError(error) });
      throw error;
    }
  };
}
