/**
 * Child of bench/untraced/variants.ts (`npm run bench -- --only=trace`): loads one build of
 * bench/untraced/entry.ts (with or without trace context; its path is the argument) and, each time its
 * parent asks, times one sample of each case in CPU time and sends back µs per call: the AWS Lambda
 * handler on GET /events/{id} (a new trace, and a traceparent continued) and a 100-message SQS batch
 * through bookingsConsumer (without and with the producer's traceparent), on in-memory ports, log level
 * WARN, no SDK registered. Log lines go to /dev/null.
 */
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyEventV2, SQSEvent, SQSRecord } from 'aws-lambda';
import { lambdaContext } from '../test/support/lambda-context.js';
import { loadEvent } from '../test/support/load-event.js';
import { microsPerCall } from './stats.js';
import type * as Entry from './untraced/entry.js';

const variant = (await import(pathToFileURL(process.argv[2]!).href)) as typeof Entry;

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const eventId = 'f604e4eb-0809-483a-82da-68930b347b2b';
const path = `/events/${eventId}`;
const v2 = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/get-location.json');
v2.rawPath = path;
v2.requestContext.http.path = path;
v2.routeKey = 'GET /events/{id}';
v2.pathParameters = { id: eventId };
const withParent = structuredClone(v2);
withParent.headers = { ...v2.headers, traceparent };
const context = lambdaContext('myevents-bench-eventsApi');

const sqsTemplate = loadEvent<SQSEvent>('aws/sqs/bookings-queue-batch.json').Records[0]!;
const sqsEvent: SQSEvent = { Records: Array.from({ length: 100 }, (_, index): SQSRecord => ({ ...structuredClone(sqsTemplate), messageId: `message-${index}` })) };
const sqsWithParent: SQSEvent = {
  Records: sqsEvent.Records.map((record) => ({ ...record, messageAttributes: { ...record.messageAttributes, traceparent: { dataType: 'String', stringValue: traceparent } } })),
};

const deps = { locations: new variant.MemoryLocationRepository(), events: new variant.MemoryEventRepository(), ids: variant.randomIds };
await deps.events.add({ id: eventId, name: 'Opera Aida', duration: 180, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: '650bdfd0-9e44-43fb-b882-c7176da35917', hall: 'Main', capacity: 10, seatsBooked: 0 });
const http = variant.httpTrigger(variant.eventsApiRoutes, deps);
const sqs = variant.queueTrigger(variant.bookingsConsumer, { bookings: new variant.MemoryBookingRepository() });

const expect200 = (status: number | undefined): void => {
  if (status !== 200) throw new Error(`answered ${status}`);
};
const noFailures = (response: { batchItemFailures: unknown[] } | void): void => {
  if (!response || response.batchItemFailures.length > 0) throw new Error('a message failed');
};

const httpCases = {
  'HTTP GET /events/{id}, a new trace': async () => expect200((await http(v2, context)).statusCode),
  'HTTP GET /events/{id}, a traceparent continued': async () => expect200((await http(withParent, context)).statusCode),
};
const batchCases = {
  'SQS batch of 100, no traceparent attribute': async () => noFailures(await sqs(sqsEvent, context)),
  'SQS batch of 100, each message continuing its producer': async () => noFailures(await sqs(sqsWithParent, context)),
};

// 5,000 requests and 60 batches per sample: with 1,000 and 20 the samples' spread (GC, JIT) was as wide as the budget.
process.on('message', async () => {
  const one = (samples: Record<string, number[]>): Record<string, number> => Object.fromEntries(Object.entries(samples).map(([name, [value]]) => [name, value!]));
  const figures = { ...one(await microsPerCall(httpCases, { samples: 1, iterations: 5000, warmup: 0 })), ...one(await microsPerCall(batchCases, { samples: 1, iterations: 60, warmup: 0 })) };
  process.send!(figures);
});
