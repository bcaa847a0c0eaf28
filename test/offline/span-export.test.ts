import { SpanKind } from '@opentelemetry/api';
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import type { LocalSpan } from '../../adapters/local/span-store.js';
import { isSpanBatch, parentProcessExporter, type SpanBatch } from '../../offline/shared/span-export.js';
import { deliveryCounter, markDeadLetter } from '../../offline/shared/span-receive.js';

/** What npm start's and start:gcp's function processes send their parent, and what the parent adds (offline/shared/span-export.ts). */
const queueSpan = (attempt: number, status: LocalSpan['status'] = 'error', fn = 'eventsConsumer'): LocalSpan => ({
  traceId: 'a'.repeat(32),
  spanId: 'b'.repeat(16),
  name: 'process events',
  function: fn,
  kind: 'queue',
  start: new Date(0).toISOString(),
  durationMs: 1,
  status,
  attributes: { 'myevents.delivery.attempt': attempt, 'messaging.message.id': 'm-1' },
});

describe('span export of the local stacks', () => {
  it('sends our hops as the console shows them, and leaves out the spans client libraries make', async () => {
    const sent: SpanBatch[] = [];
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(parentProcessExporter((batch) => sent.push(batch)))] });
    const tracer = provider.getTracer('test');
    tracer.startSpan('POST /events', { kind: SpanKind.SERVER, attributes: { 'myevents.kind': 'http', 'faas.name': 'eventsApi' } }).end();
    tracer.startSpan('DocumentReference.Set').end();
    await provider.forceFlush();
    expect(sent).toHaveLength(1);
    expect(isSpanBatch(sent[0])).toBe(true);
    expect(sent[0]!.spans).toEqual([expect.objectContaining({ name: 'POST /events', function: 'eventsApi', kind: 'http', status: 'ok' })]);
    expect(isSpanBatch({ type: 'build', spans: [] })).toBe(false);
  });

  it("never throws when the parent is gone: the spans are lost, the function's work is not", async () => {
    const results: unknown[] = [];
    const exporter = parentProcessExporter(() => {
      throw new Error('channel closed');
    });
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor({ export: (spans, done) => exporter.export(spans, (result) => (results.push(result), done(result))), shutdown: () => exporter.shutdown() })] });
    provider.getTracer('test').startSpan('x', { attributes: { 'myevents.kind': 'http' } }).end();
    await provider.forceFlush();
    expect(results).toEqual([{ code: 0 }]);
  });

  it("marks the failed delivery numbered the catalogue's maxDeliveries as dead-lettered, and nothing else", () => {
    expect(markDeadLetter(queueSpan(5)).attributes['myevents.dead_lettered']).toBe(true);
    expect(markDeadLetter(queueSpan(4)).attributes['myevents.dead_lettered']).toBeUndefined();
    expect(markDeadLetter(queueSpan(5, 'ok')).attributes['myevents.dead_lettered']).toBeUndefined();
    expect(markDeadLetter({ ...queueSpan(5), kind: 'change-stream', function: 'eventsOutbox' }).attributes['myevents.dead_lettered']).toBeUndefined();
  });

  it('numbers the deliveries of one message in one function when the platform does not say (start:gcp)', () => {
    const number = deliveryCounter(2);
    expect([1, 1, 1].map(() => number(queueSpan(1)).attributes['myevents.delivery.attempt'])).toEqual([1, 2, 3]);
    expect(number(queueSpan(1, 'error', 'bookingsConsumer')).attributes['myevents.delivery.attempt']).toBe(1);
    number({ ...queueSpan(1), attributes: { 'messaging.message.id': 'm-2' } }); // a third message: the oldest (m-1 of eventsConsumer) is forgotten
    expect(number(queueSpan(1)).attributes['myevents.delivery.attempt']).toBe(1);
  });
});
