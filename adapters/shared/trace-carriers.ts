import type { QueueMessage } from '../../functions/queues/contract.js';
import type { ChangeRecord } from '../../functions/streams/contract.js';
import { parseTraceparent } from './trace-context.js';
import { currentTraceparent, HOP_ATTRIBUTES, inHop, type HopOptions } from './tracing.js';

/**
 * Where the W3C trace context travels between hops on the cloud platforms, and how the next hop
 * continues it: one rule for every platform's repositories, publishers and triggers.
 *
 * - A stored item carries the `traceparent` of the hop that last wrote it (field TRACEPARENT_FIELD),
 *   so the change stream's function continues the writer's trace (no framework carries a context
 *   through DynamoDB Streams, a Cosmos DB change feed or a Firestore trigger; the item is the carrier).
 * - A message carries its publisher's `traceparent`: an SQS or Pub/Sub attribute, or, on Storage
 *   Queue (no attributes), a top-level `traceparent` field of the JSON message, the place CloudEvents'
 *   distributed-tracing extension gives it (our domain events are CloudEvents-style envelopes).
 */

/** The field (attribute, property) of a stored item or a JSON message that holds the writer's `traceparent`. */
export const TRACEPARENT_FIELD = 'traceparent';

/**
 * The item as the running hop writes it: with that hop's `traceparent`, or without one when no hop
 * runs (a script, a contract test), so a rewritten item (a replace) never keeps an older writer's.
 */
export function stampWriter<T extends Record<string, unknown>>(item: T): T {
  const traceparent = currentTraceparent();
  if (traceparent !== undefined) return { ...item, [TRACEPARENT_FIELD]: traceparent };
  if (!(TRACEPARENT_FIELD in item)) return item;
  const rest = { ...item };
  delete rest[TRACEPARENT_FIELD];
  return rest;
}

const storedTraceparent = (document: Record<string, unknown> | undefined): string | undefined => {
  const value = document?.[TRACEPARENT_FIELD];
  return typeof value === 'string' ? value : undefined;
};

/**
 * Runs the handling of one change as one hop of `fn`, a child of the hop that wrote the item.
 *
 * A delete is not a write of the item: DynamoDB Streams' OldImage and a Firestore delete event hold
 * the item as it was last written, so its `traceparent` is the last writer's, not the deleting
 * request's, which no stream can carry. Such a change starts a trace of its own, linked to that last
 * writer (not its child: the deletion did not happen in that trace). A platform whose delete is a
 * write (Cosmos DB's soft delete: the deleting request rewrites the item) says so with
 * `deleteIsWrite`, and its removal is a child of the deleting request like any other change.
 */
export function inChangeHop(fn: string, change: ChangeRecord, work: () => Promise<void>, deleteIsWrite = false): Promise<void> {
  const writer = parseTraceparent(storedTraceparent(change.after ?? (deleteIsWrite ? change.before : undefined)));
  const lastWriter = writer === undefined ? parseTraceparent(storedTraceparent(change.before)) : undefined;
  // Name, links and attributes are worked out only when an SDK records spans (tracing.ts).
  const options: HopOptions = { name: 'change', kind: 'change-stream', fn, spanDetails: () => ({ name: `${fn} change`, ...(lastWriter && { links: [lastWriter] }), attributes: { 'myevents.change.kind': change.kind } }) };
  if (writer !== undefined) options.parent = writer;
  return inHop(options, work);
}

/**
 * Runs the handling of one message as one hop of `fn` (OpenTelemetry's messaging conventions: a span
 * per message, per delivery attempt): a child of the hop that published it and linked to it, so a
 * batch's spans each name their own producer.
 */
export function inMessageHop(fn: string, queue: string, producerTraceparent: string | undefined, message: QueueMessage, work: () => Promise<void>): Promise<void> {
  const producer = parseTraceparent(producerTraceparent);
  // Name, links and attributes are worked out only when an SDK records spans (tracing.ts): a batch pays for none of them without one.
  const options: HopOptions = {
    name: 'process',
    kind: 'queue',
    fn,
    spanDetails: () => ({ name: `process ${queue}`, ...(producer && { links: [producer] }), attributes: { [HOP_ATTRIBUTES.attempt]: message.attempt, 'messaging.message.id': message.id } }),
  };
  if (producer !== undefined) options.parent = producer;
  return inHop(options, work);
}

/** The `traceparent` a JSON message (a Storage Queue message, as the host hands it over: parsed, or text) carries at its top level. */
export function traceparentOfJsonMessage(item: unknown): string | undefined {
  let message = item;
  if (typeof item === 'string' || Buffer.isBuffer(item)) {
    try {
      message = JSON.parse(item.toString()) as unknown;
    } catch {
      return undefined; // not JSON: the handler reports it, we only have no trace to continue
    }
  }
  return typeof message === 'object' && message !== null && !Array.isArray(message) ? storedTraceparent(message as Record<string, unknown>) : undefined;
}
