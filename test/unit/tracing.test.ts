import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Route } from '../../functions/http/contract.js';
import { dispatchHttp } from '../../adapters/shared/http-dispatch.js';
import { jsonLogger } from '../../adapters/shared/json-logger.js';
import { parseTraceparent } from '../../adapters/shared/trace-context.js';
import { currentTraceparent, inHop } from '../../adapters/shared/tracing.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';

let seen: string | undefined;
const routes: Route<void>[] = [
  { method: 'GET', path: '/things/{id}', access: 'public', handler: async () => ({ status: 200, body: { traceparent: (seen = currentTraceparent()) } }) },
  { method: 'GET', path: '/boom', access: 'public', handler: async () => Promise.reject(new Error('boom')) },
];

async function get(path: string, headers: Record<string, string> = {}, lines: string[] = []) {
  const logger = jsonLogger({ requestId: 'req-1' }, (line) => lines.push(line));
  return dispatchHttp(routes, undefined, { method: 'GET', path, query: {}, headers }, { requestId: 'req-1', logger, fn: 'thingsApi' });
}

describe('HTTP trace context with no SDK registered (the API is a no-op)', () => {
  it('continues an incoming traceparent: same trace, a new span of ours, the caller as parent', async () => {
    const lines: string[] = [];
    const answer = await get('/things/1', { traceparent: `00-${T}-${S}-01`, tracestate: 'rojo=1' }, lines);
    const served = parseTraceparent(answer.headers['traceresponse']);
    expect(served?.traceId).toBe(T);
    expect(served?.spanId).not.toBe(S);
    expect(answer.headers['traceresponse']).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
    // the handler (and what it writes or publishes) sees the request's own span
    expect(seen).toBe(answer.headers['traceresponse']);
    const line = JSON.parse(lines.find((text) => text.includes('HTTP request'))!) as Record<string, unknown>;
    expect(line).toMatchObject({ traceId: T, spanId: served?.spanId, requestId: 'req-1' });
  });

  it('starts a new trace without one, or with an invalid one, and names it in error bodies', async () => {
    const fresh = await get('/things/1');
    const invalid = await get('/boom', { traceparent: `00-${T.toUpperCase()}-${S}-01` });
    const freshTrace = parseTraceparent(fresh.headers['traceresponse'])!;
    const invalidTrace = parseTraceparent(invalid.headers['traceresponse'])!;
    expect(freshTrace.traceId).not.toBe(T);
    expect(invalidTrace.traceId).not.toBe(T.toLowerCase());
    expect(freshTrace.traceId).not.toBe(invalidTrace.traceId);
    expect(invalid.status).toBe(500);
    expect(JSON.parse(invalid.body)).toMatchObject({ error: { requestId: 'req-1', traceId: invalidTrace.traceId } });
    const notFound = await get('/nowhere');
    expect(notFound.status).toBe(404);
    expect(JSON.parse(notFound.body).error.traceId).toBe(parseTraceparent(notFound.headers['traceresponse'])!.traceId);
  });

  it('keeps concurrent requests apart', async () => {
    const traces = Array.from({ length: 20 }, (_, index) => `${index.toString(16).padStart(2, '0')}${T.slice(2)}`);
    const answers = await Promise.all(traces.map((traceId) => get('/things/1', { traceparent: `00-${traceId}-${S}-01` })));
    answers.forEach((answer, index) => {
      expect(parseTraceparent(answer.headers['traceresponse'])?.traceId).toBe(traces[index]);
      expect(parseTraceparent((JSON.parse(answer.body) as { traceparent: string }).traceparent)?.traceId).toBe(traces[index]);
    });
  });

  it('has no current hop outside one', () => {
    expect(currentTraceparent()).toBeUndefined();
  });
});

describe('with an OpenTelemetry SDK registered', () => {
  const exporter = new InMemorySpanExporter();
  beforeAll(() => {
    trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
  });
  afterEach(() => exporter.reset());
  afterAll(() => trace.disable());

  it("answers, logs and records the SDK's span, named by its route, child of the caller's", async () => {
    const lines: string[] = [];
    const answer = await get('/things/7', { traceparent: `00-${T}-${S}-01` }, lines);
    const [span] = exporter.getFinishedSpans();
    expect(span).toBeDefined();
    expect(span!.name).toBe('GET /things/{id}');
    expect(span!.spanContext().traceId).toBe(T);
    expect(span!.parentSpanContext?.spanId).toBe(S);
    expect(answer.headers['traceresponse']).toBe(`00-${T}-${span!.spanContext().spanId}-01`);
    expect(span!.attributes).toMatchObject({ 'faas.name': 'thingsApi', 'faas.trigger': 'http', 'http.route': '/things/{id}', 'http.response.status_code': 200, 'myevents.kind': 'http' });
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ traceId: T, spanId: span!.spanContext().spanId });
  });

  it('marks a 500 and a thrown hop as errors, and links a hop to the contexts it names', async () => {
    await get('/boom');
    const link = { traceId: T, spanId: S, flags: 1 };
    await expect(inHop({ name: 'process q', kind: 'queue', fn: 'consumer', parent: link, links: [link] }, async () => Promise.reject(new Error('poison')))).rejects.toThrow('poison');
    const [http, queue] = exporter.getFinishedSpans();
    expect(http!.status.code).toBe(2);
    expect(queue!.status).toMatchObject({ code: 2, message: 'poison' });
    expect(queue!.links.map((each) => each.context.spanId)).toEqual([S]);
    expect(queue!.parentSpanContext?.spanId).toBe(S);
    expect(queue!.attributes).toMatchObject({ 'faas.trigger': 'pubsub', 'myevents.kind': 'queue' });
  });
});
