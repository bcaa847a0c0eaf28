import type { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { trace } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaLog } from '../../../adapters/aws/logger.js';
import { queueTrigger } from '../../../adapters/aws/queue-trigger.js';
import { SqsPublisher } from '../../../adapters/aws/sqs-publisher.js';
import { MemoryBookingRepository } from '../../../adapters/memory/repositories.js';
import { inHop } from '../../../adapters/shared/tracing.js';
import { bookingsConsumer } from '../../../functions/index.js';
import { lambdaContext } from '../../support/lambda-context.js';
import { loadEvent } from '../../support/load-event.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';

const exporter = new InMemorySpanExporter();
beforeAll(() => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined);
  trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});
afterAll(() => trace.disable());

describe('W3C trace context through SQS', () => {
  it('puts the publishing hop\'s traceparent on the message as an attribute', async () => {
    const sent: SendMessageCommand[] = [];
    const client = { send: async (command: SendMessageCommand) => void sent.push(command) } as unknown as SQSClient;
    const publisher = new SqsPublisher('https://sqs.example/q', client);
    const event = { id: 'e1', type: 'EventCreated', source: 's', time: '2026-05-01T10:00:00.000Z', data: {} } as never;
    const hop = await inHop({ name: 'eventsOutbox change', kind: 'change-stream', fn: 'eventsOutbox', parent: { traceId: T, spanId: S, flags: 1 } }, async (current) => {
      await publisher.forHop(current).publish(event);
      return current;
    });
    expect(sent[0]!.input.MessageAttributes?.['traceparent']).toEqual({ DataType: 'String', StringValue: `00-${T}-${hop.context.spanId}-01` });
    await publisher.publish(event); // outside any hop: no attribute
    expect(sent[1]!.input.MessageAttributes?.['traceparent']).toBeUndefined();
  });

  it('continues it in the consumer: a span per message, child of and linked to its producer; a message without one starts a trace', async () => {
    exporter.reset();
    const event = loadEvent<SQSEvent>('aws/sqs/bookings-queue-batch.json');
    event.Records[0]!.messageAttributes = { traceparent: { dataType: 'String', stringValue: `00-${T}-${S}-01` } };
    const response = await queueTrigger(bookingsConsumer, { bookings: new MemoryBookingRepository() })(event, lambdaContext());
    const spans = exporter.getFinishedSpans();
    expect(spans).toHaveLength(event.Records.length);
    const traced = spans.find((span) => span.attributes['messaging.message.id'] === event.Records[0]!.messageId)!;
    expect(traced.spanContext().traceId).toBe(T);
    expect(traced.parentSpanContext?.spanId).toBe(S);
    expect(traced.links.map((link) => link.context.spanId)).toEqual([S]);
    expect(traced.attributes).toMatchObject({ 'faas.trigger': 'pubsub', 'myevents.kind': 'queue' });
    const failed = spans.find((span) => span.attributes['messaging.message.id'] === response.batchItemFailures[0]!.itemIdentifier)!;
    expect(failed.status.code).toBe(2);
    expect(failed.spanContext().traceId).not.toBe(T);
  });
});
