import type { QueueMessage } from '../../functions/queues/contract.js';
import type { ChangeRecord } from '../../functions/streams/contract.js';
import { parseTraceparent, type TraceContext } from './trace-context.js';
import { HOP_ATTRIBUTES, inHop, type Hop, type HopOptions, type SpanDetails } from './tracing.js';

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
 * A port whose writes, messages or log lines carry the hop they are made in (a repository, a publisher, a
 * logger): `forHop` returns a view of it bound to that hop (`hopView`), which it reads as `boundHop`.
 */
export interface HopBindable {
  readonly boundHop?: Hop | undefined;
  forHop(hop: Hop): this;
}

/** What a port made once per instance extends to be HopBindable: `forHop` gives its view bound to the hop. */
export abstract class HopBound implements HopBindable {
  declare readonly boundHop?: Hop;

  forHop(hop: Hop): this {
    return hopView(this, hop);
  }
}

const bindable = (port: unknown): port is HopBindable => typeof (port as Partial<HopBindable> | null | undefined)?.forHop === 'function';

/**
 * A view of `port` bound to `hop`: everything else (its clients, tables, settings) is the port's own, shared
 * through the prototype, so a view costs one small object per request. A port read through views must keep
 * its state in ordinary properties (a `#private` field is not reachable through a view) and read `boundHop`
 * in methods (an arrow-function field keeps the instance it was made on as `this`, not the view). For ports
 * made once per instance only: V8 makes an object a prototype at a cost, which one made per request would pay each time.
 */
export function hopView<T extends object>(port: T, hop: Hop): T {
  const view = Object.create(port) as { boundHop: Hop };
  view.boundHop = hop;
  return view as T;
}

/**
 * The handler's dependencies for one hop: each port that carries trace context (HopBindable) replaced by
 * its view bound to `hop`, the others as they are. Every trigger adapter (HTTP, queue, change stream, on
 * every platform) hands its handler these, so concurrent hops of one instance each write their own context.
 */
export function bindHop<D>(deps: D, hop: Hop): D {
  let bound: Record<string, unknown> | undefined;
  for (const name in deps) {
    const port = deps[name];
    if (bindable(port)) (bound ??= { ...(deps as Record<string, unknown>) })[name] = port.forHop(hop);
  }
  return (bound ?? deps) as D;
}

/** `port` bound to `hop`, or itself when there is none (a repository's inner store, bound as its repository is). */
export const boundTo = <T extends HopBindable>(port: T, hop: Hop | undefined): T => (hop === undefined ? port : port.forHop(hop));

/**
 * `logger` bound to `hop` when it can be (a JSON logger's lines then carry the hop's traceId and spanId);
 * as it is without a hop (a trigger's failure line for work that failed before its hop began).
 */
export const bindLogger = <L>(logger: L, hop: Hop | undefined): L => (hop !== undefined && bindable(logger) ? (logger.forHop(hop) as L) : logger);

/**
 * The item as a hop writes it: with that hop's `traceparent`, or without one when no hop is bound
 * (a script, a contract test), so a rewritten item (a replace) never keeps an older writer's.
 */
export function stampWriter<T extends Record<string, unknown>>(item: T, traceparent: string | undefined): T {
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
export function inChangeHop(fn: string, change: ChangeRecord, work: (hop: Hop) => Promise<void>, deleteIsWrite = false): Promise<void> {
  const writer = parseTraceparent(storedTraceparent(change.after ?? (deleteIsWrite ? change.before : undefined)));
  const lastWriter = writer === undefined ? parseTraceparent(storedTraceparent(change.before)) : undefined;
  // Name, links and attributes are worked out only when an SDK records spans (tracing.ts).
  const options: HopOptions<ChangeDetails> = { name: 'change', kind: 'change-stream', fn, change, lastWriter, spanDetails: changeSpanDetails };
  if (writer !== undefined) options.parent = writer;
  return inHop(options, work);
}

/**
 * Runs the handling of one message as one hop of `fn` (OpenTelemetry's messaging conventions: a span
 * per message, per delivery attempt): a child of the hop that published it and linked to it, so a
 * batch's spans each name their own producer.
 */
export function inMessageHop(fn: string, queue: string, producerTraceparent: string | undefined, message: QueueMessage, work: (hop: Hop) => Promise<void>): Promise<void> {
  const producer = parseTraceparent(producerTraceparent);
  const options: HopOptions<MessageDetails> = { name: 'process', kind: 'queue', fn, queue, message, producer, spanDetails: messageSpanDetails };
  if (producer !== undefined) options.parent = producer;
  return inHop(options, work);
}

interface ChangeDetails {
  change: ChangeRecord;
  lastWriter: TraceContext | undefined;
}

const changeSpanDetails = ({ fn, change, lastWriter }: HopOptions<ChangeDetails>): SpanDetails => ({
  name: `${fn} change`,
  ...(lastWriter && { links: [lastWriter] }),
  attributes: { 'myevents.change.kind': change.kind },
});

interface MessageDetails {
  queue: string;
  message: QueueMessage;
  producer: TraceContext | undefined;
}

const messageSpanDetails = ({ queue, message, producer }: HopOptions<MessageDetails>): SpanDetails => ({
  name: `process ${queue}`,
  ...(producer && { links: [producer] }),
  attributes: { [HOP_ATTRIBUTES.attempt]: message.attempt, 'messaging.message.id': message.id },
});

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
