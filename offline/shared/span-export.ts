import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { localSpanOf, type LocalSpan } from '../../adapters/local/span-store.js';
import { HOP_ATTRIBUTES } from '../../adapters/shared/tracing.js';

/**
 * The exporter of `npm start`'s and `start:gcp`'s function processes: what a deployment's exporter does
 * (X-Ray, Cloud Trace), done for the local console. The functions instrument through @opentelemetry/api
 * alone, and their bundles carry their own copy of it; the API keeps its registered provider in one
 * global per process, so a provider registered here (sls offline's process, where serverless-offline
 * runs every handler and our stream and queue mappings in process; each of start:gcp's function hosts)
 * is the one every bundle's spans go to. Finished spans go, batched by OpenTelemetry's own
 * BatchSpanProcessor, over the IPC channel these processes already have to the process that started
 * them, whose front door keeps them (adapters/local/span-store.ts; span-receive.ts adds there what the
 * queue knows and the function cannot). Never imported by a deployed entry file.
 */

/** One IPC message: finished spans, as the local console shows them. */
export interface SpanBatch {
  type: 'myevents:spans';
  spans: LocalSpan[];
}

export const isSpanBatch = (message: unknown): message is SpanBatch =>
  typeof message === 'object' && message !== null && (message as { type?: unknown }).type === 'myevents:spans' && Array.isArray((message as { spans?: unknown }).spans);

/**
 * A SpanExporter that sends to the parent process. Written here because OpenTelemetry has no IPC
 * exporter; it is the few lines of the SpanExporter interface. Fire and forget: a parent gone away (or a
 * full channel) loses spans, never fails or slows a request. 0 is ExportResultCode.SUCCESS
 * (@opentelemetry/core, which we do not depend on directly). Only our hops are sent: the Google Cloud
 * clients trace their own calls too once a provider is registered (`DocumentReference.Set`), each as a
 * trace of its own, since our hop is not the API's active context (adapters/shared/tracing.ts).
 */
export function parentProcessExporter(send: (message: SpanBatch) => void): SpanExporter {
  return {
    export(spans, done) {
      try {
        const hops = spans.filter((span) => span.attributes[HOP_ATTRIBUTES.kind] !== undefined);
        if (hops.length > 0) send({ type: 'myevents:spans', spans: hops.map(localSpanOf) });
      } catch {
        // the parent is gone: nobody to show them to
      }
      done({ code: 0 });
    },
    shutdown: () => Promise.resolve(),
  };
}

/** Spans reach the console within this (the done-when of issue 22 asks for 2 s end to end). */
const EXPORT_DELAY_MS = 100;

/**
 * Registers an OpenTelemetry SDK whose finished spans go to the parent process, if this process has
 * an IPC channel to one; `onSpanStart` is told the trace id of every span as it starts, in the
 * starting code's async context (npm start's invocation lines read them). Returns false, registering nothing, without a channel (sls offline run alone).
 */
export function exportSpansToParent(onSpanStart?: (traceId: string) => void): boolean {
  const channel = process.send?.bind(process);
  if (channel === undefined) return false;
  const send = (message: SpanBatch): void => {
    if (process.connected) channel(message, undefined, {}, () => undefined);
  };
  const processors: SpanProcessor[] = [new BatchSpanProcessor(parentProcessExporter(send), { scheduledDelayMillis: EXPORT_DELAY_MS })];
  if (onSpanStart) processors.push({ onStart: (span) => onSpanStart(span.spanContext().traceId), onEnd: () => undefined, forceFlush: () => Promise.resolve(), shutdown: () => Promise.resolve() });
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: processors }));
  return true;
}
