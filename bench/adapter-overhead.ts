/**
 * Child of `npm run bench` (bench/run.ts), one process per log level (LOG_LEVEL / POWERTOOLS_LOG_LEVEL,
 * read at start as on Lambda): the cost of each platform's HTTP adapter over the core handler it calls,
 * `GET /events/{id}` on in-memory ports, and of the pieces in between. Log lines go to this process's
 * stdout, which run.ts sends to /dev/null (a real write, as on Lambda); figures go to fd 3 as JSON.
 */
import azf from '@azure/functions';
import type { Request, Response } from '@google-cloud/functions-framework';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { Hono } from 'hono';
import { handle as honoHandle } from 'hono/aws-lambda';
import { httpTrigger as awsHttpTrigger } from '../adapters/aws/http-trigger.js';
import { logLevel, portLogger } from '../adapters/aws/logger.js';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { httpTrigger as azureHttpTrigger } from '../adapters/azure/http-trigger.js';
import { httpTrigger as gcpHttpTrigger } from '../adapters/gcp/http-trigger.js';
import { MemoryEventRepository, MemoryLocationRepository } from '../adapters/memory/repositories.js';
import { dispatchHttp } from '../adapters/shared/http-dispatch.js';
import { jsonLogger, silentLogger } from '../adapters/shared/json-logger.js';
import { matchRoute } from '../adapters/shared/router.js';
import { randomIds } from '../adapters/shared/system.js';
import { formatTraceparent, newSpanId, parseTraceparent } from '../adapters/shared/trace-context.js';
import { inHop } from '../adapters/shared/tracing.js';
import type { ApiRequest } from '../functions/http/contract.js';
import { getEvent } from '../functions/http/events.js';
import { eventsApiRoutes } from '../functions/routes.js';
import { lambdaContext } from '../test/support/lambda-context.js';
import { loadEvent } from '../test/support/load-event.js';
import { microsPerCall, reportFigures } from './stats.js';

const eventId = 'f604e4eb-0809-483a-82da-68930b347b2b';
const path = `/events/${eventId}`;
const deps = { locations: new MemoryLocationRepository(), events: new MemoryEventRepository(), ids: randomIds };
await deps.events.add({
  id: eventId,
  name: 'Opera Aida',
  duration: 180,
  startDate: '2026-12-01T19:00:00Z',
  endDate: '2026-12-01T22:00:00Z',
  locationId: '650bdfd0-9e44-43fb-b882-c7176da35917',
  hall: 'Main',
  capacity: 10,
  seatsBooked: 0,
});

// The same request in each platform's shape.
const v2 = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/get-location.json');
v2.rawPath = path;
v2.requestContext.http.path = path;
v2.routeKey = 'GET /events/{id}';
v2.pathParameters = { id: eventId };
const context: Context = lambdaContext('myevents-bench-eventsApi');
const apiRequest: ApiRequest = { method: 'GET', path, params: { id: eventId }, query: {}, headers: v2.headers as Record<string, string>, body: undefined };

const expect200 = (status: number | undefined): void => {
  if (status !== 200) throw new Error(`answered ${status}`);
};
const expect404 = (status: number | undefined): void => {
  if (status !== 404) throw new Error(`answered ${status}`);
};

// Error answers through the same handler: an event that does not exist (NotFoundError from the core) and
// a path no route has (RouteNotFoundError from the router). The goal: within 1.5× of the 200 above.
const missingId = '0d6f3a52-5b0e-4c1e-9d67-2f1c0b7a9e41';
const missingEvent = structuredClone(v2);
missingEvent.rawPath = `/events/${missingId}`;
missingEvent.requestContext.http.path = missingEvent.rawPath;
missingEvent.pathParameters = { id: missingId };
const unknownRoute = structuredClone(v2);
unknownRoute.rawPath = '/nowhere';
unknownRoute.requestContext.http.path = '/nowhere';
unknownRoute.routeKey = '$default';
delete unknownRoute.pathParameters;

const lambda = awsHttpTrigger(eventsApiRoutes, deps);

// Hono's own Lambda adapter on the same route and core handler, for scale.
const hono = new Hono();
hono.get('/events/:id', async (c) => {
  const result = await getEvent({ ...apiRequest, params: { id: c.req.param('id') } }, deps);
  return c.json(result.body as object, 200);
});
const honoLambda = honoHandle(hono);

const azure = azureHttpTrigger(eventsApiRoutes, deps);
const azureRequest = new azf.HttpRequest({ method: 'GET', url: `https://myevents.azurewebsites.net${path}`, headers: v2.headers as Record<string, string> });
// The host's context logs through its worker; here into the same stdout as every other line.
const azureContext = new azf.InvocationContext({ functionName: 'eventsApi', invocationId: '3f1c8a52-4d7e-4b8e-9a1f-5c2d7e8b9a10', logHandler: (_level, ...args) => process.stdout.write(`${args.join(' ')}\n`) });

// functions-framework hands over an Express request (body already read, none for GET) and response: the fields our adapter reads.
const gcp = gcpHttpTrigger(eventsApiRoutes, deps);
const gcpRequest = { method: 'GET', originalUrl: path, url: path, headers: v2.headers, rawHeaders: Object.entries(v2.headers).flat(), readableEnded: true, complete: true, executionId: 'a1b2c3d4e5' } as unknown as Request;
let gcpStatus = 0;
const gcpResponse = { status: (status: number) => (gcpStatus = status), setHeader: () => undefined, end: () => undefined } as unknown as Response;

const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
const noop = async (): Promise<void> => undefined;
const bareMiddy = middy(noop);
// What the AWS adapters used before issue 13, measured beside what they use now.
const powertoolsLogger = new PowertoolsLogger({ serviceName: 'myevents' });
const middyWithContext = middy(noop).use(injectLambdaContext(powertoolsLogger, { resetKeys: true }));
const accessLogFields = { method: 'GET', path, status: 200, durationMs: 0 };
// The AWS line without its write(2): what the line itself costs, apart from the system call.
const builtOnly = jsonLogger({ service: 'myevents', function: 'eventsApi', requestId: context.awsRequestId }, () => undefined, logLevel);

const cases: Record<string, () => unknown> = {
  'core handler (getEvent)': async () => expect200((await getEvent(apiRequest, deps)).status),
  'AWS Lambda handler (HTTP API 2.0)': async () => expect200((await lambda(v2, context)).statusCode),
  'AWS Lambda handler, 404 unknown event (NotFoundError)': async () => expect404((await lambda(missingEvent, context)).statusCode),
  'AWS Lambda handler, 404 unknown path (RouteNotFoundError)': async () => expect404((await lambda(unknownRoute, context)).statusCode),
  'Azure Functions handler': async () => expect200((await azure(azureRequest, azureContext)).status),
  'GCP functions-framework handler': async () => {
    await gcp(gcpRequest, gcpResponse);
    expect200(gcpStatus);
  },
  'hono/aws-lambda (same route, same core call)': async () => expect200((await honoLambda(v2 as unknown as Parameters<typeof honoLambda>[0], context)).statusCode),
  'shared dispatch, silent logger': async () => expect200((await dispatchHttp(eventsApiRoutes, deps, { method: 'GET', path, query: {}, headers: {} }, { requestId: 'r', logger: silentLogger })).status),
  // Trace context (issue 22), no SDK registered: what the dispatch above includes since then.
  'shared dispatch, silent logger, continuing a traceparent': async () =>
    expect200((await dispatchHttp(eventsApiRoutes, deps, { method: 'GET', path, query: {}, headers: { traceparent } }, { requestId: 'r', logger: silentLogger })).status),
  'one hop, no SDK (tracing.ts inHop around nothing)': () => inHop({ name: 'GET', kind: 'http', fn: 'eventsApi' }, async () => undefined),
  'traceparent read, a span id made, traceresponse written': () => formatTraceparent({ ...parseTraceparent(traceparent)!, spanId: newSpanId() }),
  'route matching (matchRoute)': () => matchRoute(eventsApiRoutes, 'GET', path),
  'one access-log line (AWS logger)': () => portLogger(context.awsRequestId).info('HTTP request', accessLogFields),
  'the same line built, not written': () => builtOnly.info('HTTP request', accessLogFields),
  'one access-log line (Powertools Logger, before)': () => powertoolsLogger.info('HTTP request', { requestId: context.awsRequestId, ...accessLogFields }),
  'middy, no middleware': () => bareMiddy(undefined, context),
  'middy + injectLambdaContext': () => middyWithContext(undefined, context),
};

const samples = await microsPerCall(cases, { samples: Number(process.env['BENCH_SAMPLES'] ?? 30), iterations: 1000 });
reportFigures(samples);
