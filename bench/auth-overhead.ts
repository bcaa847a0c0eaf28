/**
 * Child of `npm run bench` (bench/run.ts, section `auth`): what a token costs through the Lambda handler
 * (HTTP API 2.0, in-memory ports), next to the same request without one (issue 20). A public route must
 * not verify what it is sent; a protected route must refuse a repeated forged token from memory. Log
 * lines go to this process's stdout (/dev/null under run.ts); figures to fd 3 as JSON.
 */
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { httpTrigger } from '../adapters/aws/http-trigger.js';
import { DEV_AUDIENCE, DEV_ISSUER, mintDevToken, trustDevKeyUnlessConfigured } from '../adapters/local/dev-auth.js';
import { MemoryBookingRepository, MemoryEventRepository, MemoryLocationRepository } from '../adapters/memory/repositories.js';
import { randomIds, systemClock } from '../adapters/shared/system.js';
import { bookingsApiRoutes, eventsApiRoutes } from '../functions/routes.js';
import { lambdaContext } from '../test/support/lambda-context.js';
import { loadEvent } from '../test/support/load-event.js';
import { microsPerCall, reportFigures } from './stats.js';

await trustDevKeyUnlessConfigured();
const eventId = 'f604e4eb-0809-483a-82da-68930b347b2b';
const bookings = new MemoryBookingRepository();
await bookings.rememberEvent({ eventId, capacity: 10, seatsBooked: 0 });
const eventsApi = httpTrigger(eventsApiRoutes, { locations: new MemoryLocationRepository(), events: new MemoryEventRepository(), ids: randomIds });
const bookingsApi = httpTrigger(bookingsApiRoutes, { bookings, clock: systemClock, ids: randomIds });
const context: Context = lambdaContext('myevents-bench-auth');

// A forged token: well-formed, right issuer and audience, signed by a key nobody trusts.
const { privateKey, publicKey } = await generateKeyPair('ES256');
const forged = await new SignJWT({ scope: 'admin' })
  .setProtectedHeader({ alg: 'ES256', kid: (await exportJWK(publicKey)).x ?? 'other' })
  .setSubject('mallory')
  .setIssuer(DEV_ISSUER)
  .setAudience(DEV_AUDIENCE)
  .setIssuedAt()
  .setExpirationTime('1h')
  .sign(privateKey);
const valid = await mintDevToken({ subject: 'alice' });

const listEvents = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/list-events.json');
const listBookings: APIGatewayProxyEventV2 = {
  ...listEvents,
  routeKey: 'GET /events/{id}/bookings',
  rawPath: `/events/${eventId}/bookings`,
  requestContext: { ...listEvents.requestContext, http: { ...listEvents.requestContext.http, path: `/events/${eventId}/bookings` } },
};
const withToken = (event: APIGatewayProxyEventV2, token: string): APIGatewayProxyEventV2 => ({ ...event, headers: { ...event.headers, authorization: `Bearer ${token}` } });

const expect = (status: number, handler: typeof eventsApi, event: APIGatewayProxyEventV2) => async (): Promise<void> => {
  const answered = (await handler(event, context)).statusCode;
  if (answered !== status) throw new Error(`answered ${answered}, expected ${status}`);
};

const cases: Record<string, () => unknown> = {
  'public GET /events, no token (baseline)': expect(200, eventsApi, listEvents),
  'public GET /events, forged token': expect(200, eventsApi, withToken(listEvents, forged)),
  'protected GET /events/{id}/bookings, no token: 401 (baseline)': expect(401, bookingsApi, listBookings),
  'protected GET /events/{id}/bookings, the same forged token again: 401': expect(401, bookingsApi, withToken(listBookings, forged)),
  'protected GET /events/{id}/bookings, a remembered valid token: 200': expect(200, bookingsApi, withToken(listBookings, valid)),
};

const samples = await microsPerCall(cases, { samples: Number(process.env['BENCH_SAMPLES'] ?? 30), iterations: 1000 });
reportFigures(samples);
