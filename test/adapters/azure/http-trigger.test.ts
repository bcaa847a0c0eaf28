import azf from '@azure/functions';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { httpTrigger } from '../../../adapters/aws/http-trigger.js';
import { lambdaLog } from '../../../adapters/aws/logger.js';
import { httpTriggerOptions, httpRequestToRawRequest, routeTemplateOf } from '../../../adapters/azure/http-trigger.js';
import { MemoryTable } from '../../../adapters/memory/memory-table.js';
import {
  MemoryBookingRepository,
  MemoryEventRepository,
  MemoryGameMapRepository,
  MemoryLocationRepository,
  MemoryPlayerRepository,
} from '../../../adapters/memory/repositories.js';
import { bookingsApiRoutes, eventsApiRoutes, httpFunctions, playersApiRoutes, type HttpFunctionName } from '../../../functions/routes.js';
import { invocationContext } from '../../support/azure-context.js';
import { fixedClock, sequentialIds } from '../../support/doubles.js';
import { lambdaContext } from '../../support/lambda-context.js';
import { loadEvent } from '../../support/load-event.js';
import { ADMIN_AUTHORIZATION, BAD_TOKENS, USER_AUTHORIZATION, USER_SUB } from '../../support/tokens.js';

const LOCATION_ID = '650bdfd0-9e44-43fb-b882-c7176da35917';
const EVENT_ID = 'f604e4eb-0809-483a-82da-68930b347b2b';
const FULL_EVENT_ID = '0b7e4c1a-2f3d-4e5f-8a9b-1c2d3e4f5a6b';
const PLAYER_ID = 'f2bc48cc-ddc5-444a-bbe8-0678e1703ef3';
const AWS_REQUEST_ID = lambdaContext().awsRequestId;
const AZURE_INVOCATION_ID = invocationContext().invocationId;

/** The same stored world for each platform: two locations, the event 'Opera Aida', a full event, two players on the map. */
async function world() {
  const table = new MemoryTable();
  const locations = new MemoryLocationRepository(table);
  const events = new MemoryEventRepository(table);
  const bookings = new MemoryBookingRepository();
  const players = new MemoryPlayerRepository();
  const gameMap = new MemoryGameMapRepository();
  const ids = sequentialIds();
  for (const id of [LOCATION_ID, 'a1b2c3d4-0000-4000-8000-000000000001']) {
    await locations.add({ id, name: 'Olympiastadion', address: 'Olympischer Platz 3', country: 'DE', openTime: 8, closeTime: 23, halls: [{ name: 'Main', location: 'ground floor', capacity: 10 }] });
  }
  await events.add({ id: EVENT_ID, name: 'Opera Aida', duration: 180, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: LOCATION_ID, hall: 'Main', capacity: 10, seatsBooked: 0 });
  await bookings.rememberEvent({ eventId: EVENT_ID, capacity: 10, seatsBooked: 0 });
  await bookings.rememberEvent({ eventId: FULL_EVENT_ID, capacity: 1, seatsBooked: 1 });
  for (const [id, name] of [[PLAYER_ID, 'Ada'], ['a1b2c3d4-0000-4000-8000-000000000009', 'Bob']] as const) {
    await players.add({ id, name, owner: USER_SUB });
    await gameMap.placeIfAbsent({ id, name, position: { x: 0, y: 0 } });
  }
  return {
    eventsApi: { locations, events, ids },
    bookingsApi: { bookings, clock: fixedClock(), ids },
    playersApi: { players, gameMap, ids },
  };
}

interface Case {
  name: string;
  fn: HttpFunctionName;
  method: string;
  /** Path and query as a client sends them (URL-encoded). */
  target: string;
  headers?: Record<string, string>;
  body?: string;
}

const json = { 'content-type': 'application/json' };
const newLocation = JSON.stringify({ name: 'Arena', address: 'Main St 1', country: 'DE', openTime: 8, closeTime: 23, halls: [{ name: 'A', location: 'ground floor', capacity: 2 }] });
const newEvent = JSON.stringify({ name: 'Tosca', duration: 180, startDate: '2026-12-02T19:00:00Z', endDate: '2026-12-02T22:00:00Z', locationId: LOCATION_ID, hall: 'Main' });

/** One shared table of requests, each answered by both platforms' handlers. */
const CASES: Case[] = [
  { name: 'create a location', fn: 'eventsApi', method: 'POST', target: '/locations', headers: json, body: newLocation },
  { name: 'get a location', fn: 'eventsApi', method: 'GET', target: `/locations/${LOCATION_ID}` },
  { name: 'list locations, first page with a Link', fn: 'eventsApi', method: 'GET', target: '/locations?limit=1' },
  { name: 'create an event', fn: 'eventsApi', method: 'POST', target: '/events', headers: json, body: newEvent },
  { name: 'create an event whose name is taken', fn: 'eventsApi', method: 'POST', target: '/events', headers: json, body: newEvent.replace('Tosca', 'Opera Aida') },
  { name: 'list events', fn: 'eventsApi', method: 'GET', target: '/events?limit=10' },
  { name: 'get an event', fn: 'eventsApi', method: 'GET', target: `/events/${EVENT_ID}` },
  { name: 'get an event by id', fn: 'eventsApi', method: 'GET', target: `/events/id/${EVENT_ID}` },
  { name: 'get an event by an encoded name', fn: 'eventsApi', method: 'GET', target: '/events/name/Opera%20Aida' },
  { name: 'unknown event', fn: 'eventsApi', method: 'GET', target: '/events/no-such-event' },
  { name: 'malformed JSON', fn: 'eventsApi', method: 'POST', target: '/events', headers: json, body: '{"name": ' },
  { name: 'schema violation', fn: 'eventsApi', method: 'POST', target: '/locations', headers: json, body: '{"name":""}' },
  { name: 'a declared content-type other than JSON', fn: 'eventsApi', method: 'POST', target: '/locations', headers: { 'content-type': 'text/plain' }, body: newLocation },
  { name: 'a body over 1 MiB', fn: 'eventsApi', method: 'POST', target: '/locations', headers: json, body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }) },
  { name: 'a wrong method', fn: 'eventsApi', method: 'DELETE', target: '/events' },
  { name: 'a route of another function', fn: 'eventsApi', method: 'GET', target: '/map' },
  { name: 'a bad limit', fn: 'eventsApi', method: 'GET', target: '/events?limit=0' },
  { name: 'a bad cursor', fn: 'eventsApi', method: 'GET', target: '/events?cursor=not-a-cursor' },
  { name: 'book seats with an Idempotency-Key', fn: 'bookingsApi', method: 'POST', target: `/events/${EVENT_ID}/bookings`, headers: { ...json, 'idempotency-key': '7c1d' }, body: '{"seats":2}' },
  { name: 'book more seats than are left', fn: 'bookingsApi', method: 'POST', target: `/events/${FULL_EVENT_ID}/bookings`, headers: json, body: '{"seats":1}' },
  { name: 'book for an unknown event', fn: 'bookingsApi', method: 'POST', target: '/events/no-such-event/bookings', headers: json, body: '{"seats":1}' },
  { name: 'book too many seats at once', fn: 'bookingsApi', method: 'POST', target: `/events/${EVENT_ID}/bookings`, headers: json, body: '{"seats":11}' },
  { name: "list an event's bookings", fn: 'bookingsApi', method: 'GET', target: `/events/${EVENT_ID}/bookings` },
  { name: 'create a player', fn: 'playersApi', method: 'POST', target: '/players', headers: json, body: '{"name":"Mario"}' },
  { name: 'create a location without the admin scope', fn: 'eventsApi', method: 'POST', target: '/locations', headers: { ...json, authorization: USER_AUTHORIZATION }, body: newLocation },
  { name: 'create a player with an expired token', fn: 'playersApi', method: 'POST', target: '/players', headers: { ...json, authorization: `Bearer ${BAD_TOKENS['expired']}` }, body: '{"name":"Mario"}' },
  { name: 'get a player', fn: 'playersApi', method: 'GET', target: `/players/${PLAYER_ID}` },
  { name: 'delete a player', fn: 'playersApi', method: 'DELETE', target: `/players/${PLAYER_ID}` },
  { name: 'delete an unknown player', fn: 'playersApi', method: 'DELETE', target: '/players/no-such-player' },
  { name: 'the map, first page with a Link', fn: 'playersApi', method: 'GET', target: '/map?limit=1' },
];

/** The case as API Gateway HTTP API (payload 2.0) delivers it. */
/** A host route template as a regular expression: regex constraints, catch-alls (which may be empty) and parameters. */
function templatePattern(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => {
      const constrained = /^\{\w+:regex\(\^?(.*?)\$?\)\}$/.exec(segment);
      if (constrained) return `(?:${constrained[1]})`;
      if (segment.startsWith('{*')) return '\u0000';
      if (segment.startsWith('{')) return '[^/]+';
      return segment;
    })
    .join('/')
    .replace('/\u0000', '(?:/.*)?');
  return new RegExp(`^${source}$`);
}

function apiGatewayEvent(testCase: Case): APIGatewayProxyEventV2 {
  const event = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/list-events.json');
  const url = new URL(testCase.target, 'https://k7x2m9q4rb.execute-api.us-east-1.amazonaws.com');
  event.rawPath = url.pathname;
  event.rawQueryString = url.search.slice(1);
  event.routeKey = `${testCase.method} ${url.pathname}`;
  event.requestContext.http.method = testCase.method;
  event.requestContext.http.path = decodeURIComponent(url.pathname);
  event.headers = { ...event.headers, authorization: ADMIN_AUTHORIZATION, ...testCase.headers };
  if (url.search === '') delete event.queryStringParameters;
  else event.queryStringParameters = Object.fromEntries(url.searchParams);
  if (testCase.body !== undefined) event.body = testCase.body;
  return event;
}

/** The case as the Functions host delivers it. */
function azureRequest(testCase: Case) {
  return new azf.HttpRequest({
    method: testCase.method,
    url: `https://myevents.azurewebsites.net${testCase.target}`,
    headers: { accept: 'application/json', authorization: ADMIN_AUTHORIZATION, ...testCase.headers },
    ...(testCase.body === undefined ? {} : { body: { string: testCase.body } }),
  });
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** An answer with the platform's request id and the request's trace and span ids replaced by placeholders: the things allowed to differ. */
function normalised(status: number, headers: Record<string, string>, body: string | undefined, requestId: string): Answer {
  const [, traceId = '<none>', spanId = '<none>'] = /^00-([0-9a-f]{32})-([0-9a-f]{16})-01$/.exec(headers['traceresponse'] ?? '') ?? [];
  const placeholders = (text: string) => text.split(requestId).join('<request id>').split(traceId).join('<trace id>').split(spanId).join('<span id>');
  const text = placeholders(body ?? '');
  const normalisedHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), placeholders(value)]));
  return { status, headers: normalisedHeaders, body: text === '' ? undefined : JSON.parse(text) };
}

async function answerOnAws(testCase: Case): Promise<Answer> {
  const deps = await world();
  const handler = { eventsApi: httpTrigger(eventsApiRoutes, deps.eventsApi), bookingsApi: httpTrigger(bookingsApiRoutes, deps.bookingsApi), playersApi: httpTrigger(playersApiRoutes, deps.playersApi) }[testCase.fn];
  const result = (await handler(apiGatewayEvent(testCase), lambdaContext())) as APIGatewayProxyStructuredResultV2;
  return normalised(result.statusCode ?? 0, (result.headers ?? {}) as Record<string, string>, result.body, AWS_REQUEST_ID);
}

async function answerOnAzure(testCase: Case): Promise<Answer> {
  const deps = await world();
  const options = { eventsApi: httpTriggerOptions(eventsApiRoutes, deps.eventsApi), bookingsApi: httpTriggerOptions(bookingsApiRoutes, deps.bookingsApi), playersApi: httpTriggerOptions(playersApiRoutes, deps.playersApi) }[testCase.fn];
  const result = await options.handler(azureRequest(testCase), invocationContext());
  const response = new azf.HttpResponse('status' in result ? (result as ConstructorParameters<typeof azf.HttpResponse>[0]) : {});
  return normalised(response.status, Object.fromEntries(response.headers), await response.text(), AZURE_INVOCATION_ID);
}

beforeAll(() => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined); // keep test output readable
});

describe('Azure HTTP handlers answer exactly as the AWS adapter', () => {
  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    // Prepare: the same world for each platform, built twice.
    // Act
    const [aws, azure] = await Promise.all([answerOnAws(testCase), answerOnAzure(testCase)]);
    // Assess: identical once the request ids are set aside; and the request id is the invocation id.
    expect(azure).toEqual(aws);
    expect(azure.headers['x-request-id']).toBe('<request id>');
    expect(azure.headers['traceresponse']).toBe('00-<trace id>-<span id>-01');
  });

  it('covers every route of every HTTP function', () => {
    const covered = new Set(CASES.map((testCase) => `${testCase.fn} ${testCase.method}`));
    for (const [fn, routes] of Object.entries(httpFunctions)) {
      for (const route of routes) expect(covered, `${fn} ${route.method} ${route.path}`).toContain(`${fn} ${route.method}`);
    }
  });
});

describe('Azure HTTP registrations', () => {
  it.each(Object.keys(httpFunctions) as HttpFunctionName[])('%s takes every method, so the shared router answers 405 with Allow (and CORS preflights), not the host', (fn) => {
    const options = httpTriggerOptions(httpFunctions[fn] as never, {} as never);
    expect([...(options.methods ?? [])].sort()).toEqual(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
  });
});

describe('Azure HTTP converters', () => {
  it('keeps the path encoded, every query value and lower-cased headers', async () => {
    const request = new azf.HttpRequest({ method: 'GET', url: 'https://x.test/events/name/Opera%20Aida?tag=a&tag=b&limit=2', headers: { 'X-Custom': 'v' } });
    expect(await httpRequestToRawRequest(request)).toEqual({ method: 'GET', path: '/events/name/Opera%20Aida', query: { tag: 'a,b', limit: '2' }, headers: { 'x-custom': 'v' }, body: '' });
  });

  it('gives each function a host route that reaches its routes, given the host tries functions in alphabetical order', () => {
    // The Functions host tries function routes in alphabetical order of the function name, not by
    // specificity (azure-functions-host#3153, azure-functions-nodejs-library#300): every path must
    // reach its own function first. bookingsApi's literal route sorts before eventsApi's catch-all.
    const templates = Object.entries(httpFunctions)
      .map(([fn, routes]) => ({ fn, pattern: templatePattern(routeTemplateOf(routes)) }))
      .sort((a, b) => a.fn.localeCompare(b.fn));
    for (const [fn, routes] of Object.entries(httpFunctions)) {
      for (const route of routes) {
        const path = route.path.replace(/^\//, '').replace(/\{\w+\}/g, 'x-1');
        expect(templates.find((template) => template.pattern.test(path))?.fn, path).toBe(fn);
      }
    }
  });

  it('gives each function a host route that reaches its routes only', () => {
    expect(routeTemplateOf(bookingsApiRoutes)).toBe('events/{id}/bookings');
    expect(routeTemplateOf(eventsApiRoutes)).toBe('{root:regex(^(events|locations)$)}/{*rest}');
    expect(routeTemplateOf(playersApiRoutes)).toBe('{root:regex(^(map|players)$)}/{*rest}');
  });
});
