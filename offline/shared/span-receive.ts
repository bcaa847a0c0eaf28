import type { LocalSpan } from '../../adapters/local/span-store.js';
import { HOP_ATTRIBUTES } from '../../adapters/shared/tracing.js';
import { functionCatalogue, type FunctionName } from '../../functions/catalogue.js';

/**
 * What npm start and start:gcp add to the spans their function processes send (span-export.ts) before
 * the local console keeps them: what the queue knows and the function cannot.
 */

/**
 * A queue hop whose delivery failed for the last time is marked dead-lettered, as memory mode marks it
 * (adapters/local/traced-delivery.ts): the function cannot know, but the queue's policy is the catalogue's
 * (`maxDeliveries`: SQS's maxReceiveCount in infra/aws/queues.yml, the Pub/Sub subscription's
 * maxDeliveryAttempts in gcp-stack.ts), so the failed delivery numbered `maxDeliveries` is the last one.
 */
export function markDeadLetter(span: LocalSpan): LocalSpan {
  if (span.kind !== 'queue' || span.status !== 'error') return span;
  const spec = (functionCatalogue as Record<string, (typeof functionCatalogue)[FunctionName] | undefined>)[span.function];
  const attempt = Number(span.attributes[HOP_ATTRIBUTES.attempt]);
  if (spec?.trigger !== 'queue' || attempt < spec.maxDeliveries) return span;
  return { ...span, attributes: { ...span.attributes, [HOP_ATTRIBUTES.deadLettered]: true } };
}

/**
 * Numbers start:gcp's Pub/Sub deliveries: functions-framework turns a push request into an event without
 * its `deliveryAttempt` (pubsub_middleware.js keeps the message alone), so every delivery of a message
 * says attempt 1 there. The n-th span of one message id in one function is its n-th delivery. Bounded:
 * the oldest message ids are forgotten first.
 */
export function deliveryCounter(limit = 10_000): (span: LocalSpan) => LocalSpan {
  const seen = new Map<string, number>();
  return (span) => {
    const id = span.attributes['messaging.message.id'];
    if (span.kind !== 'queue' || typeof id !== 'string') return span;
    const key = `${span.function} ${id}`;
    const attempt = (seen.get(key) ?? 0) + 1;
    seen.delete(key);
    seen.set(key, attempt);
    if (seen.size > limit) seen.delete(seen.keys().next().value!);
    return attempt === Number(span.attributes[HOP_ATTRIBUTES.attempt]) ? span : { ...span, attributes: { ...span.attributes, [HOP_ATTRIBUTES.attempt]: attempt } };
  };
}

