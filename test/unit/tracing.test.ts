import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Route } from '../../functions/http/contract.js';
import type { APIGatewayProxyEventV2, SQSEvent, SQSRecord } from 'aws-lambda';
import { httpTrigger as awsHttpTrigger } from '../../adapters/aws/http-trigger.js';
import { queueTrigger as awsQueueTrigger } from '../../adapters/aws/queue-trigger.js';
import { dispatchHttp } from '../../adapters/shared/http-dispatch.js';
import { jsonLogger } from '../../adapters/shared/json-logger.js';
import { parseTraceparent } from '../../adapters/shared/trace-context.js';
import { hopView, type HopBindable } from '../../adapters/shared/trace-carriers.js';
import { inHop, type Hop } from '../../adapters/shared/tracing.js';
import { lambdaContext } from '../support/lambda-context.js';
import { loadEvent } from '../support/load-event.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';

/** A port that carries trace context (as a repository or a publisher does): what it would write, it answers. */
class Probe implements HopBindable {
  declare readonly boundHop?: Hop;
  forHop(hop: Hop): this {
    return hopView(this, hop);
  }
  traceparent(): string | undefined {
    return this.boundHop?.traceparent;
  }
}
const probe = new Probe();

let seen: string | undefined;
const routes: Route<{ probe: Probe }>[] = [
  { method: 'GET', path: '/things/{id}', access: 'public', handler: async (_request, deps) => ({ status: 200, body: { traceparent: (seen = deps.probe.traceparent()) } }) },
  { method: 'GET', path: '/boom', access: 'public', handler: async () => Promise.reject(new Error('boom')) },
];

async function get(path: string, headers: Record<string, string> = {}, lines: string[] = []) {
  const logger = jsonLogger({ requestId: 'req-1' }, (line) => lines.push(line));
  return dispatchHttp(routes, { probe }, { method: 'GET', path, query: {}, headers }, { requestId: 'req-1', logger, fn: 'thingsApi' });
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

  it('leaves the shared port bound to no hop', () => {
    expect(probe.traceparent()).toBeUndefined();
  });

  it('works out no span details (X-Ray header, attributes) when nothing records them', async () => {
    let asked = 0;
    const spanDetails = () => {
      asked += 1;
      return { attributes: { 'aws.xray.trace_id': 'x' } };
    };
    const answer = await dispatchHttp(routes, { probe }, { method: 'GET', path: '/things/1', query: {}, headers: {} }, { requestId: 'r', logger: jsonLogger({}, () => undefined), spanDetails });
    expect(answer.status).toBe(200);
    expect(asked).toBe(0);
  });

  it('turns work that throws at once into a rejected promise, as an async function would', async () => {
    const work = (): Promise<never> => {
      throw new Error('at once');
    };
    const hop = inHop({ name: 'x', kind: 'queue', fn: 'consumer' }, work);
    expect(hop).toBeInstanceOf(Promise);
    await expect(hop).rejects.toThrow('at once');
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

  it("records the X-Ray trace API Gateway started, on the request's span, through the AWS adapter", async () => {
    const lambda = awsHttpTrigger(routes, { probe });
    const event = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/get-location.json');
    event.rawPath = '/things/3';
    event.requestContext.http.path = '/things/3';
    event.headers = { ...event.headers, 'x-amzn-trace-id': 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' };
    expect((await lambda(event, lambdaContext('myevents-test-thingsApi'))).statusCode).toBe(200);
    const [span] = exporter.getFinishedSpans();
    expect(span!.attributes).toMatchObject({ 'aws.xray.trace_id': '1-5759e988-bd862e3fe1be46a994272793', 'http.request.method': 'GET', 'url.path': '/things/3' });
    expect(span!.links.map((each) => each.context)).toMatchObject([{ traceId: '5759e988bd862e3fe1be46a994272793', spanId: '53995c3f42cd8ad8' }]);
  });

  it('names an SQS message span by its queue, child of and linked to its producer, through the AWS adapter', async () => {
    const handled: string[] = [];
    const consumer = awsQueueTrigger(async (message) => void handled.push(message.id), undefined);
    const [record] = loadEvent<SQSEvent>('aws/sqs/bookings-queue-batch.json').Records;
    const traced: SQSRecord = { ...record!, messageAttributes: { traceparent: { dataType: 'String', stringValue: `00-${T}-${S}-01` } } };
    expect(await consumer({ Records: [traced] }, lambdaContext('myevents-test-bookingsConsumer'))).toEqual({ batchItemFailures: [] });
    const [span] = exporter.getFinishedSpans();
    const queue = record!.eventSourceARN.slice(record!.eventSourceARN.lastIndexOf(':') + 1);
    expect(span!.name).toBe(`process ${queue}`);
    expect(span!.parentSpanContext?.spanId).toBe(S);
    expect(span!.links.map((each) => each.context.spanId)).toEqual([S]);
    expect(span!.attributes).toMatchObject({ 'messaging.message.id': record!.messageId, 'myevents.delivery.attempt': 1 });
    expect(handled).toEqual([record!.messageId]);
  });
});
