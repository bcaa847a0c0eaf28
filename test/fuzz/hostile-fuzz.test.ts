import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import * as fc from 'fast-check';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { httpTrigger } from '../../adapters/aws/http-trigger.js';
import { lambdaLog } from '../../adapters/aws/logger.js';
import { createLocalApp } from '../../adapters/local/local-app.js';
import type { RawHttpRequest, RawHttpResponse } from '../../adapters/shared/http-dispatch.js';
import { silentLogger } from '../../adapters/shared/json-logger.js';
import { httpFunctions } from '../../functions/routes.js';
import { fixedClock, sequentialIds } from '../support/doubles.js';
import { assessResponse, describeRequest, FUZZ_SEED, fuzzRoutes, requestsFor, type FuzzRoute } from '../support/fuzz-requests.js';
import { dispatcherOver, memoryRepositories, seed, snapshot, type Send, type Seeded } from '../support/hostile-world.js';
import { lambdaContext } from '../support/lambda-context.js';
import { loadEvent } from '../support/load-event.js';

/** Generated requests per route and per way in: the figure README's "Reliability" section quotes. */
const RUNS_PER_ROUTE = 1_000;
/**
 * A route's thousand requests take 1–2 s alone (each token is verified, ES256), more on a machine shared
 * with other suites: a generous limit instead of vitest's 5 s, so only a hang fails (this is no timed assertion).
 */
const FUZZ_TIMEOUT_MS = 60_000;

beforeAll(() => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined); // one log line per request otherwise
});

/** The raw request as API Gateway's HTTP API (payload 2.0) delivers it to the Lambda. */
function toApiGatewayV2Event(request: RawHttpRequest): APIGatewayProxyEventV2 {
  const event = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/get-location.json');
  const rawQueryString = new URLSearchParams(request.query).toString();
  return {
    ...event,
    routeKey: '$default',
    rawPath: request.path,
    rawQueryString,
    headers: { ...event.headers, ...request.headers },
    queryStringParameters: Object.keys(request.query).length > 0 ? { ...request.query } : undefined,
    requestContext: { ...event.requestContext, http: { ...event.requestContext.http, method: request.method, path: request.path } },
    pathParameters: undefined,
    body: request.body,
    isBase64Encoded: false,
  };
}

/**
 * Runs RUNS_PER_ROUTE generated requests to `route` through `send`: every answer is a 4xx in our shape
 * or a 2xx, and a rejected request leaves what the API shows unchanged.
 */
async function fuzzRoute(route: FuzzRoute, send: Send, seeded: Seeded, settle: () => Promise<void>, probe: Send): Promise<number> {
  let baseline = await snapshot(probe, seeded);
  let rejected = 0;
  await fc.assert(
    fc.asyncProperty(requestsFor(route, seeded), async (request) => {
      const response = await send(request);
      assessResponse(request, response);
      if (response.status >= 400) {
        rejected += 1;
        expect(await snapshot(probe, seeded), `state changed by a rejected ${describeRequest(request)}`).toEqual(baseline);
      } else {
        await settle();
        baseline = await snapshot(probe, seeded);
      }
    }),
    { seed: FUZZ_SEED, numRuns: RUNS_PER_ROUTE },
  );
  return rejected;
}

describe(`fuzzing every route with ${RUNS_PER_ROUTE} generated requests (seed ${FUZZ_SEED})`, () => {
  describe('through the AWS adapter: API Gateway v2 events into the Lambda handler, in-memory ports', () => {
    it.each(fuzzRoutes)('$method $path never answers 5xx', async (route) => {
      // Prepare
      const repositories = memoryRepositories();
      const ids = sequentialIds();
      const clock = fixedClock();
      const probe = dispatcherOver(repositories, ids, clock);
      const seeded = await seed(probe, repositories);
      const deps = {
        eventsApi: { locations: repositories.locations, events: repositories.events, ids },
        bookingsApi: { bookings: repositories.bookings, clock, ids },
        playersApi: { players: repositories.players, gameMap: repositories.gameMap, ids },
      };
      const handler = route.fn === 'eventsApi' ? httpTrigger(httpFunctions.eventsApi, deps.eventsApi)
        : route.fn === 'bookingsApi' ? httpTrigger(httpFunctions.bookingsApi, deps.bookingsApi)
        : httpTrigger(httpFunctions.playersApi, deps.playersApi);
      const send: Send = async (request) => {
        const result = await handler(toApiGatewayV2Event(request), lambdaContext());
        return { status: result.statusCode ?? 0, headers: {}, body: String(result.body ?? '') } satisfies RawHttpResponse;
      };
      // Act and assess (per generated request)
      const rejected = await fuzzRoute(route, send, seeded, async () => undefined, probe);
      expect(rejected).toBeGreaterThan(RUNS_PER_ROUTE / 2); // the generator is hostile: most requests are refused
    }, FUZZ_TIMEOUT_MS);
  });

  describe('through memory mode (createLocalApp)', () => {
    it.each(fuzzRoutes)('$method $path never answers 5xx', async (route) => {
      // Prepare
      const app = createLocalApp({ logger: silentLogger, ids: sequentialIds(), clock: fixedClock() });
      const send: Send = (request) => app.handle(request, 'req-fuzz');
      const seeded = await seed(send, () => app.settle());
      // Act and assess (per generated request)
      const rejected = await fuzzRoute(route, send, seeded, () => app.settle(), send);
      expect(rejected).toBeGreaterThan(RUNS_PER_ROUTE / 2);
      expect(app.deadLetters()).toEqual([]);
    }, FUZZ_TIMEOUT_MS);
  });
});
