import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { httpTrigger, apiGatewayV1EventToRawRequest, apiGatewayV2EventToRawRequest } from '../../../adapters/aws/http-trigger.js';
import { lambdaLog } from '../../../adapters/aws/logger.js';
import { MemoryTable } from '../../../adapters/memory/memory-table.js';
import {
  MemoryBookingRepository,
  MemoryEventRepository,
  MemoryGameMapRepository,
  MemoryLocationRepository,
  MemoryPlayerRepository,
} from '../../../adapters/memory/repositories.js';
import { bookingsApiRoutes, eventsApiRoutes, playersApiRoutes } from '../../../functions/routes.js';
import { fixedClock, sequentialIds } from '../../support/doubles.js';
import { lambdaContext } from '../../support/lambda-context.js';
import { USER_SUB, userToken, withAuthorization } from '../../support/tokens.js';
import { loadEvent } from '../../support/load-event.js';

const LOCATION_ID = '650bdfd0-9e44-43fb-b882-c7176da35917';
const EVENT_ID = 'f604e4eb-0809-483a-82da-68930b347b2b';
const PLAYER_ID = 'f2bc48cc-ddc5-444a-bbe8-0678e1703ef3';

/** In-memory stores holding what the fixtures refer to: the location, the event 'Opera Aida', player Ada. */
async function world(options: { withEvent?: boolean } = {}) {
  const table = new MemoryTable();
  const locations = new MemoryLocationRepository(table);
  const events = new MemoryEventRepository(table);
  const bookings = new MemoryBookingRepository();
  const players = new MemoryPlayerRepository();
  const gameMap = new MemoryGameMapRepository();
  const ids = sequentialIds();
  await locations.add({ id: LOCATION_ID, name: 'Olympiastadion', address: 'Olympischer Platz 3', country: 'DE', openTime: 8, closeTime: 23, halls: [{ name: 'Main', location: 'ground floor', capacity: 10 }] });
  if (options.withEvent !== false) {
    await events.add({ id: EVENT_ID, name: 'Opera Aida', duration: 180, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: LOCATION_ID, hall: 'Main', capacity: 10, seatsBooked: 0 });
  }
  await bookings.rememberEvent({ eventId: EVENT_ID, capacity: 10, seatsBooked: 0 });
  await players.add({ id: PLAYER_ID, name: 'Ada', owner: USER_SUB });
  await gameMap.placeIfAbsent({ id: PLAYER_ID, name: 'Ada', position: { x: 0, y: 0 } });
  return {
    eventsApi: httpTrigger(eventsApiRoutes, { locations, events, ids }),
    bookingsApi: httpTrigger(bookingsApiRoutes, { bookings, clock: fixedClock(), ids }),
    playersApi: httpTrigger(playersApiRoutes, { players, gameMap, ids }),
    bookings,
  };
}

type FunctionName = 'eventsApi' | 'bookingsApi' | 'playersApi';
type Payload = APIGatewayProxyEventV2 | APIGatewayProxyEvent;

/** Invokes with an admin's token, as the fixtures carry none (see withAuthorization). */
async function invoke(fn: FunctionName, payload: Payload, options: { withEvent?: boolean } = {}) {
  const handlers = await world(options);
  const result = await handlers[fn](withAuthorization(payload), lambdaContext());
  const body = result.body ? JSON.parse(result.body) : undefined;
  return { result, body, handlers };
}

beforeAll(() => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined); // keep test output readable
});

describe('AWS HTTP adapter over every HTTP fixture', () => {
  it.each<[string, FunctionName, number, (body: any) => void, { withEvent?: boolean }?]>([ // eslint-disable-line @typescript-eslint/no-explicit-any
    ['http-api-v2/create-location.json', 'eventsApi', 201, (body) => expect(body).toMatchObject({ name: 'Olympiastadion', halls: [{ capacity: 10 }] })],
    ['http-api-v2/get-location.json', 'eventsApi', 200, (body) => expect(body.id).toBe(LOCATION_ID)],
    ['http-api-v2/list-events.json', 'eventsApi', 200, (body) => expect(body.map((event: { id: string }) => event.id)).toEqual([EVENT_ID])],
    ['http-api-v2/create-event.json', 'eventsApi', 201, (body) => expect(body).toMatchObject({ name: 'Opera Aida', capacity: 10, seatsBooked: 0 }), { withEvent: false }],
    ['http-api-v2/get-event-by-name.json', 'eventsApi', 200, (body) => expect(body.id).toBe(EVENT_ID)],
    ['http-api-v2/book-seats.json', 'bookingsApi', 201, (body) => expect(body).toMatchObject({ eventId: EVENT_ID, seats: 2 })],
    ['http-api-v2/book-seats-base64.json', 'bookingsApi', 201, (body) => expect(body).toMatchObject({ eventId: EVENT_ID, seats: 2 })],
    ['http-api-v2/create-player.json', 'playersApi', 201, (body) => expect(body).toMatchObject({ name: 'Ada', position: null })],
    ['http-api-v2/delete-player.json', 'playersApi', 204, (body) => expect(body).toBeUndefined()],
    ['http-api-v2/get-map.json', 'playersApi', 200, (body) => expect(body).toEqual([{ id: PLAYER_ID, name: 'Ada', position: { x: 0, y: 0 } }])],
    ['http-api-v2/with-cookies.json', 'playersApi', 200, (body) => expect(body).toHaveLength(1)],
    ['http-api-v2/malformed-json.json', 'eventsApi', 400, (body) => expect(body.error.code).toBe('MALFORMED_JSON')],
    ['rest-api-v1/create-location.json', 'eventsApi', 201, (body) => expect(body.name).toBe('Olympiastadion')],
    ['rest-api-v1/get-event.json', 'eventsApi', 200, (body) => expect(body.id).toBe(EVENT_ID)],
    ['rest-api-v1/book-seats.json', 'bookingsApi', 201, (body) => expect(body.seats).toBe(2)],
    ['rest-api-v1/get-map.json', 'playersApi', 200, (body) => expect(body).toHaveLength(1)],
  ])('%s through %s answers %i', async (fixture, fn, status, check, options) => {
    const { result, body } = await invoke(fn, loadEvent<Payload>(`aws/${fixture}`), options);
    expect(result.statusCode).toBe(status);
    expect(result.headers).toMatchObject({ 'content-type': 'application/json; charset=utf-8', 'x-request-id': lambdaContext().awsRequestId });
    check(body);
  });

  it('logs one JSON line per request with the service and the Lambda request id (the one callers see)', async () => {
    // Prepare
    const write = vi.spyOn(lambdaLog, 'write');
    write.mockClear();

    // Act
    await invoke('eventsApi', loadEvent<Payload>('aws/http-api-v2/get-location.json'));

    // Assess
    expect(write.mock.calls.map(([line]) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ level: 'INFO', message: 'HTTP request', service: 'myevents', requestId: lambdaContext().awsRequestId, method: 'GET', status: 200 }),
    ]);
  });

  it('replays the first booking when API Gateway delivers the same Idempotency-Key twice', async () => {
    const handlers = await world();
    const payload = withAuthorization(loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/book-seats.json'));
    const first = await handlers.bookingsApi(payload, lambdaContext());
    const second = await handlers.bookingsApi(payload, lambdaContext());
    expect(second.body).toBe(first.body);
    expect(second.headers?.['idempotent-replayed']).toBe('true');
    expect(await handlers.bookings.getEvent(EVENT_ID)).toMatchObject({ seatsBooked: 2 });
  });

  it('passes the Link header of a paged list through, and the next page is reachable from it', async () => {
    const handlers = await world();
    const payload = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/list-events.json');
    payload.rawQueryString = 'limit=1';
    payload.queryStringParameters = { limit: '1' };
    const another = withAuthorization(loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/create-event.json'));
    another.body = JSON.stringify({ ...JSON.parse(String(another.body)), name: 'Opera Tosca' });
    expect((await handlers.eventsApi(another, lambdaContext())).statusCode).toBe(201);
    const first = await handlers.eventsApi(payload, lambdaContext());
    const link = String(first.headers?.['link']);
    expect(link).toMatch(/^<\/events\?limit=1&cursor=[\w-]+>; rel="next"$/);
    const next = new URL(link.slice(1, link.indexOf('>')), 'https://api.example.com');
    payload.rawQueryString = next.search.slice(1);
    payload.queryStringParameters = Object.fromEntries(next.searchParams);
    const second = await handlers.eventsApi(payload, lambdaContext());
    expect(second.statusCode).toBe(200);
    expect(JSON.parse(String(second.body))).toHaveLength(1);
    expect(second.headers?.['link']).toBeUndefined();
  });

  it('answers a route of another function with 404 and a wrong method with 405', async () => {
    expect((await invoke('eventsApi', loadEvent('aws/http-api-v2/get-map.json'))).result.statusCode).toBe(404);
    const wrongMethod = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/get-map.json');
    wrongMethod.requestContext.http.method = 'PUT';
    expect((await invoke('playersApi', wrongMethod)).result.statusCode).toBe(405);
  });

  it('answers an oversized body with 413 and a non-JSON content-type with 415', async () => {
    const oversized = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/create-location.json');
    oversized.body = JSON.stringify({ pad: 'x'.repeat(1024 * 1024) });
    expect((await invoke('eventsApi', oversized)).result.statusCode).toBe(413);
    const textPlain = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/create-location.json');
    textPlain.headers['content-type'] = 'text/plain';
    expect((await invoke('eventsApi', textPlain)).result.statusCode).toBe(415);
  });
});

describe('API Gateway converters', () => {
  it('v2: decodes base64 bodies and folds cookies into a cookie header', () => {
    const base64 = apiGatewayV2EventToRawRequest(loadEvent('aws/http-api-v2/book-seats-base64.json'));
    expect(base64.body).toBe('{"seats":2}');
    const withCookies = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/with-cookies.json');
    expect(apiGatewayV2EventToRawRequest(withCookies).headers['cookie']).toBe(withCookies.cookies!.join('; '));
  });

  it('v2: keeps the query string and the encoded raw path', () => {
    expect(apiGatewayV2EventToRawRequest(loadEvent('aws/http-api-v2/list-events.json')).query).toEqual({ limit: '10' });
    expect(apiGatewayV2EventToRawRequest(loadEvent('aws/http-api-v2/get-event-by-name.json')).path).toBe('/events/name/Opera%20Aida');
  });

  it('v1: lower-cases header names and keeps every value of a repeated header', () => {
    const raw = apiGatewayV1EventToRawRequest(loadEvent('aws/rest-api-v1/book-seats.json'));
    expect(raw.headers['accept']).toBe('application/json, text/plain');
    expect(raw.headers['idempotency-key']).toBe('67189c25-55ce-4cdf-90ee-9a66cbd1ab96');
    expect(raw.path).toBe(`/events/${EVENT_ID}/bookings`);
  });
});

describe("a caller's bookings through the Lambda handler (issue 20)", () => {
  it('the same Idempotency-Key from two callers books twice; a non-admin page is full and its cursor names only its own booking', async () => {
    const handlers = await world();
    const book = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/book-seats.json');
    const as = (subject: string, extra: Partial<APIGatewayProxyEventV2> = {}) => async (event: APIGatewayProxyEventV2) =>
      withAuthorization({ ...event, ...extra }, `Bearer ${await userToken(subject)}`);
    const answer = async (event: APIGatewayProxyEventV2) => {
      const result = (await handlers.bookingsApi(event, lambdaContext())) as { statusCode: number; headers?: Record<string, string>; body: string };
      return { status: result.statusCode, headers: result.headers ?? {}, body: JSON.parse(result.body) };
    };
    const sameKey = { ...book, body: '{"seats":1}', headers: { ...book.headers, 'content-length': '12', 'idempotency-key': 'shared-key' } };
    const alices = await answer(await as('alice')(sameKey));
    const bobs = await answer(await as('bob')(sameKey));
    expect([alices.status, bobs.status, bobs.body.owner]).toEqual([201, 201, 'bob']);
    expect(bobs.body.id).not.toBe(alices.body.id);
    await answer(await as('alice')({ ...sameKey, headers: { ...sameKey.headers, 'idempotency-key': 'another' } }));

    const list = { ...book, body: undefined, routeKey: 'GET /events/{id}/bookings', rawQueryString: 'limit=1', queryStringParameters: { limit: '1' }, requestContext: { ...book.requestContext, http: { ...book.requestContext.http, method: 'GET' } } } as APIGatewayProxyEventV2;
    const bobsPage = await answer(await as('bob')(list));
    expect(bobsPage.body.map((booking: { owner: string }) => booking.owner)).toEqual(['bob']);
    expect(bobsPage.headers['link']).toBeUndefined();
    const alicesPage = await answer(await as('alice')(list));
    expect(alicesPage.body).toHaveLength(1);
    const cursor = new URL(/<([^>]+)>/.exec(alicesPage.headers['link'] ?? '')![1]!, 'http://x').searchParams.get('cursor')!;
    expect(Buffer.from(cursor, 'base64url').toString('utf8')).toContain(alicesPage.body[0].id);
    expect(Buffer.from(cursor, 'base64url').toString('utf8')).not.toContain(bobs.body.id);
  });
});
