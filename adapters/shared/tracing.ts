import { ROOT_CONTEXT, trace, type Attributes, type ProxyTracerProvider, type Span, type SpanContext, type SpanKind, type SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { formatTraceparent, newSpanId, newTraceId, SAMPLED, type TraceContext } from './trace-context.js';

/**
 * One span per hop (an HTTP request, a change-stream record, a queue message), instrumented through
 * `@opentelemetry/api` only: without a registered SDK its tracer is a no-op, so the ids are ours (random,
 * trace-context.ts) and nothing is exported; with one (a deployment's exporter, the local span store, the
 * in-memory exporter of the tests) the SDK's span ids are the ones we answer, store and log.
 *
 * The hop is passed explicitly, never kept as "current": `inHop` hands it to its work, and each trigger
 * adapter gives the handler ports bound to it (trace-carriers.ts `bindHop`). The ports are built once per
 * instance and shared by concurrent requests, so each request's views of them carry its own hop. An
 * AsyncLocalStorage did this before: once used, it turns node's promise hooks on for every promise of the
 * process (≈ 1.5 µs per request on node 20 and 22), and the API's context manager is a no-op until an SDK
 * registers one.
 */

/** What a hop is, in the words of the local page (`kind`) and of OpenTelemetry's FaaS conventions (`faas.trigger`). */
export type HopKind = 'http' | 'change-stream' | 'queue';

const FAAS_TRIGGER: Record<HopKind, string> = { http: 'http', 'change-stream': 'datasource', queue: 'pubsub' };
/**
 * The API's SpanKind.SERVER and CONSUMER, ERROR, written as their values (fixed by the
 * OpenTelemetry specification) so that the API's enum modules stay out of every bundle.
 */
const SERVER: SpanKind = 1;
const CONSUMER: SpanKind = 4;
const ERROR: SpanStatusCode = 2;
const SPAN_KIND: Record<HopKind, SpanKind> = { http: SERVER, 'change-stream': CONSUMER, queue: CONSUMER };

/** Attribute names we add beside the conventional ones. */
export const HOP_ATTRIBUTES = {
  kind: 'myevents.kind',
  attempt: 'myevents.delivery.attempt',
  deadLettered: 'myevents.dead_lettered',
  xrayTraceId: 'aws.xray.trace_id',
} as const;

/** The hop running now. */
export interface Hop {
  /** This hop's own context: what it answers (`traceresponse`), stores and publishes. */
  readonly context: TraceContext;
  /** `context` as a `traceparent` value, written once per hop: the answer's `traceresponse`, stored items and messages carry it. */
  readonly traceparent: string;
  /** The hop it continues, if any. */
  readonly parentSpanId?: string;
  setAttribute(name: string, value: string | number | boolean): void;
  /** Names the span once it is known what it does (an HTTP request once routed: `POST /events/{id}/bookings`). */
  rename(name: string, route?: string): void;
}

interface HopBase {
  /** Span name: `POST /events/{id}/bookings`, `bookingsOutbox insert`, `process events`. */
  name: string;
  kind: HopKind;
  /** The function of the catalogue that runs this hop (`faas.name`). */
  fn: string;
  /** The context this hop continues (its parent); none: a new trace starts. */
  parent?: TraceContext;
  /** Contexts this hop is linked to (a message's producer; the X-Ray trace API Gateway started). */
  links?: readonly TraceContext[];
  attributes?: Attributes;
}

/** A span's name, links and attributes beyond the hop's own. */
export interface SpanDetails {
  name?: string;
  links?: readonly TraceContext[];
  attributes?: Attributes;
}

/**
 * A hop, and `D`, what its `spanDetails` works from: a more precise name, more links and attributes, asked only
 * when an SDK records the span, so that what costs to work out on every request (the X-Ray header parsed, the
 * request's attributes gathered) is not worked out for nothing. A function of the options, not a closure: one
 * is made per request or record, and a keepNames build (serverless.yml) names each closure as it is made.
 */
export type HopOptions<D extends object = object> = HopBase &
  D & {
    spanDetails?(options: HopBase & D): SpanDetails;
  };

/**
 * The running function's name as the platform gives it, for spans whose adapter does not say: Google's
 * functions framework sets FUNCTION_TARGET (our entry point is the function's name), Lambda
 * AWS_LAMBDA_FUNCTION_NAME (`<service>-<stage>-<function>` as serverless.yml names it).
 */
export function functionNameOfPlatform(env: Record<string, string | undefined> = process.env): string {
  const lambda = env['AWS_LAMBDA_FUNCTION_NAME'];
  return env['FUNCTION_TARGET'] ?? (lambda === undefined ? 'unknown' : lambda.slice(lambda.lastIndexOf('-') + 1));
}

/**
 * A context of ours as the SDK reads it (a parent, a link). Its `tracestate` is not handed over: we pass it
 * on ourselves (TraceContext.tracestate), and the API's TraceState parser alone is ≈ 1 KB of every bundle.
 */
const remoteSpanContext = (context: TraceContext): SpanContext => ({ traceId: context.traceId, spanId: context.spanId, traceFlags: context.flags, isRemote: true });

/**
 * The registered SDK's tracer, or undefined when there is none. Asked per hop rather than kept (a provider
 * registered or removed later is the one used), and asked of the API's global proxy so that without an
 * SDK no span, context or attribute object is built at all: the no-op path cost ≈ 3 µs per request.
 */
const sdkTracer = (): Tracer | undefined => (trace.getTracerProvider() as ProxyTracerProvider).getDelegateTracer('myevents');

/** A class rather than an object of closures: one is made per request, and closures cost there. */
class OpenHop implements Hop {
  readonly parentSpanId?: string;
  readonly traceparent: string;
  constructor(
    readonly context: TraceContext,
    readonly span: Span | undefined,
    parent: TraceContext | undefined,
  ) {
    this.traceparent = formatTraceparent(context);
    if (parent !== undefined) this.parentSpanId = parent.spanId;
  }

  setAttribute(name: string, value: string | number | boolean): void {
    this.span?.setAttribute(name, value);
  }

  rename(name: string, route?: string): void {
    if (this.span === undefined) return;
    this.span.updateName(name);
    if (route !== undefined) this.span.setAttribute('http.route', route);
  }
}

/** A hop over an SDK's span, or over our own ids when no SDK is registered. */
function openHop<D extends object>(options: HopOptions<D>): OpenHop {
  const { parent } = options;
  // Without an SDK no span, attribute or link is built (spanDetails is not even asked): the hop is our ids alone.
  const tracer = sdkTracer();
  const span = tracer === undefined ? undefined : startSpan(tracer, options);
  const recorded = span?.isRecording() ? span.spanContext() : undefined;
  const context: TraceContext = {
    traceId: recorded?.traceId ?? parent?.traceId ?? newTraceId(),
    spanId: recorded?.spanId ?? newSpanId(),
    flags: recorded?.traceFlags ?? parent?.flags ?? SAMPLED,
  };
  if (parent?.tracestate !== undefined) context.tracestate = parent.tracestate;
  return new OpenHop(context, span, parent);
}

function startSpan<D extends object>(tracer: Tracer, options: HopOptions<D>): Span {
  const { parent } = options;
  const details = options.spanDetails?.(options);
  const links = [...(options.links ?? []), ...(details?.links ?? [])];
  return tracer.startSpan(
    details?.name ?? options.name,
    {
      kind: SPAN_KIND[options.kind],
      root: parent === undefined,
      ...(links.length > 0 && { links: links.map((link) => ({ context: remoteSpanContext(link) })) }),
      attributes: { ...options.attributes, ...details?.attributes, 'faas.name': options.fn, 'faas.trigger': FAAS_TRIGGER[options.kind], [HOP_ATTRIBUTES.kind]: options.kind },
    },
    parent === undefined ? ROOT_CONTEXT : trace.setSpanContext(ROOT_CONTEXT, remoteSpanContext(parent)),
  );
}

/**
 * Runs `work` as one hop, handed to it (what it writes, publishes and logs is bound to it: trace-carriers.ts
 * `bindHop`): its span ends when `work` settles, and is marked as an error when `work` throws (the error is
 * thrown on) or when `work` says so.
 */
export function inHop<T, D extends object = object>(options: HopOptions<D>, work: (hop: Hop) => Promise<T>, failed?: (result: T) => boolean): Promise<T> {
  const hop = openHop(options);
  // No span to end or mark: `work`'s own promise, with no async frame around it (each costs a promise and a tick per hop).
  if (hop.span === undefined) {
    try {
      return work(hop);
    } catch (error) {
      return Promise.reject(error as Error); // as an async function would: a rejected promise, never a throw
    }
  }
  return recorded(hop, hop.span, work, failed);
}

async function recorded<T>(hop: OpenHop, span: Span, work: (hop: Hop) => Promise<T>, failed: ((result: T) => boolean) | undefined): Promise<T> {
  try {
    const result = await work(hop);
    if (failed?.(result)) span.setStatus({ code: ERROR });
    return result;
  } catch (error) {
    span.setStatus({ code: ERROR, message: error instanceof Error ? error.message : String(error) });
    if (error instanceof Error) span.recordException(error);
    throw error;
  } finally {
    span.end();
  }
}
