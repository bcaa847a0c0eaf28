import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, type ReadableSpan, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { HOP_ATTRIBUTES, type HopKind } from '../shared/tracing.js';

/**
 * The spans of the last traces, in memory, for the local modes only (`GET /_local/traces`, the page at
 * `/_local/`): never imported by a deployed entry file. Spans arrive through OpenTelemetry's own SDK
 * (a span processor over @opentelemetry/sdk-trace-base, a dev dependency): the functions instrument
 * through the API alone, as deployed, and the local mode plays the part a deployment's exporter plays.
 */

/** One hop as `GET /_local/traces/{traceId}` shows it. */
export interface LocalSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  links?: { traceId: string; spanId: string }[];
  name: string;
  function: string;
  kind: HopKind;
  /** ISO time the hop started. */
  start: string;
  durationMs: number;
  status: 'ok' | 'error';
  attributes: Record<string, unknown>;
}

/** One line of `GET /_local/traces`. */
export interface TraceSummary {
  traceId: string;
  /** `METHOD path` of the request that started it (or the first hop's name). */
  root: string;
  /** The root request's status, when it was one. */
  status?: number;
  /** Whether any hop failed. */
  failed: boolean;
  hops: number;
  totalMs: number;
  start: string;
}

const KINDS: ReadonlySet<string> = new Set(['http', 'change-stream', 'queue']);

const millis = ([seconds, nanos]: [number, number]): number => seconds * 1e3 + nanos / 1e6;

/** Sub-millisecond starts, for ordering hops that began within the same millisecond (ISO keeps only ms). */
const preciseStart = new WeakMap<LocalSpan, number>();

/** An SDK span as the local console shows it. */
export function localSpanOf(span: ReadableSpan): LocalSpan {
  const attributes: Record<string, unknown> = { ...span.attributes };
  const kind = String(attributes[HOP_ATTRIBUTES.kind]);
  const local: LocalSpan = {
    traceId: span.spanContext().traceId,
    spanId: span.spanContext().spanId,
    name: span.name,
    function: String(attributes['faas.name'] ?? 'unknown'),
    kind: (KINDS.has(kind) ? kind : 'http') as HopKind,
    start: new Date(millis(span.startTime)).toISOString(),
    durationMs: Math.round(millis(span.duration) * 100) / 100,
    status: span.status.code === 2 ? 'error' : 'ok',
    attributes,
  };
  preciseStart.set(local, millis(span.startTime));
  const parent = span.parentSpanContext?.spanId;
  if (parent !== undefined) local.parentSpanId = parent;
  if (span.links.length > 0) local.links = span.links.map((link) => ({ traceId: link.context.traceId, spanId: link.context.spanId }));
  return local;
}

/** Keeps the spans of the last `maxTraces` traces (the oldest trace is dropped whole). */
export class SpanStore {
  private readonly traces = new Map<string, LocalSpan[]>();

  constructor(private readonly maxTraces = 1_000) {}

  add(span: LocalSpan): void {
    const spans = this.traces.get(span.traceId);
    if (spans !== undefined) {
      spans.push(span);
      return;
    }
    this.traces.set(span.traceId, [span]);
    if (this.traces.size > this.maxTraces) this.traces.delete(this.traces.keys().next().value!);
  }

  /** The spans of one trace, in start order; undefined when it is unknown (or was dropped). */
  trace(traceId: string): LocalSpan[] | undefined {
    const spans = this.traces.get(traceId);
    return spans && [...spans].sort((a, b) => startOf(a) - startOf(b));
  }

  /** The newest `limit` traces, newest first (by their first hop's start). */
  recent(limit: number): TraceSummary[] {
    const summaries = [...this.traces.values()].map(summaryOf);
    summaries.sort((a, b) => b.start.localeCompare(a.start));
    return summaries.slice(0, limit);
  }

  get size(): number {
    return this.traces.size;
  }
}

const startOf = (span: LocalSpan): number => preciseStart.get(span) ?? Date.parse(span.start);

function summaryOf(spans: LocalSpan[]): TraceSummary {
  const ordered = [...spans].sort((a, b) => startOf(a) - startOf(b));
  const ids = new Set(spans.map((span) => span.spanId));
  const root = ordered.find((span) => span.parentSpanId === undefined || !ids.has(span.parentSpanId)) ?? ordered[0]!;
  const first = startOf(ordered[0]!);
  const last = Math.max(...spans.map((span) => startOf(span) + span.durationMs));
  const method = root.attributes['http.request.method'];
  const path = root.attributes['url.path'];
  const status = root.attributes['http.response.status_code'];
  const summary: TraceSummary = {
    traceId: root.traceId,
    root: typeof method === 'string' && typeof path === 'string' ? `${method} ${path}` : root.name,
    failed: spans.some((span) => span.status === 'error'),
    hops: spans.length,
    totalMs: Math.round((last - first) * 100) / 100,
    start: ordered[0]!.start,
  };
  if (typeof status === 'number') summary.status = status;
  return summary;
}

/** Feeds `store` with every span that ends in this process. */
export function spanStoreProcessor(store: { add(span: LocalSpan): void }): SpanProcessor {
  return {
    onStart: () => undefined,
    onEnd: (span) => store.add(localSpanOf(span)),
    forceFlush: () => Promise.resolve(),
    shutdown: () => Promise.resolve(),
  };
}

/**
 * Registers an OpenTelemetry SDK whose spans go to `store`, for this process (the API's global tracer
 * provider): what a local mode does at start. Returns a function that unregisters it.
 */
export function recordSpansInto(store: { add(span: LocalSpan): void }): () => void {
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [spanStoreProcessor(store)] }));
  return () => trace.disable();
}
