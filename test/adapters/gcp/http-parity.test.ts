import { http } from '@google-cloud/functions-framework';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { apiGatewayHandler } from '../../../adapters/aws/http-adapter.js';
import { lambdaLog } from '../../../adapters/aws/logger.js';
import { httpFunction } from '../../../adapters/gcp/http-adapter.js';
import { MemoryTable } from '../../../adapters/memory/memory-table.js';
import {
  MemoryBookingRepository,
  MemoryEventRepository,
  MemoryGameMapRepository,
  MemoryLocationRepository,
  MemoryPlayerRepository,
} from '../../../adapters/memory/repositories.js';
import { httpFunctions, type HttpFunctionDeps, type HttpFunctionName } from '../../../functions/routes.js';
import type { Route } from '../../../functions/http/contract.js';
import { fixedClock, sequentialIds } from '../../support/doubles.js';
import { serveFunction, type ServedFunction } from '../../support/functions-framework.js';
import { lambdaContext } from '../../support/lambda-context.js';

const REQUEST_ID = '5f0c1d2e-parity';
const KNOWN_EVENT = 'ev-known';
const LOCATION = { name: 'Olympiastadion', address: 'Olympischer Platz 3', country: 'DE', openTime: 8, closeTime: 23, halls: [{ name: 'Main', location: 'ground floor', capacity: 3 }] };
const EVENT = { name: 'Opera Aida', duration: 180, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: 'id-1', hall: 'Main' };
const json = { 'content-type': 'application/json' };

/** Identical in-memory stores for each platform: same ids (id-1, id-2, ...), same clock, one event known to the booking service. */
async function world(): Promise<HttpFunctionDeps> {
  const table = new MemoryTable();
  const ids = sequentialIds();
  const bookings = new MemoryBookingRepository();
  await bookings.rememberEvent({ eventId: KNOWN_EVENT, capacity: 3, seatsBooked: 0 });
  return {
    eventsApi: { locations: new MemoryLocationRepository(table), events: new MemoryEventRepository(table), ids },
    bookingsApi: { bookings, clock: fixedClock(), ids },
    playersApi: { players: new MemoryPlayerRepository(), gameMap: new MemoryGameMapRepository(), ids },
  };
}

interface Case {
  name: string;
  fn: HttpFunctionName;
  method: string;
  /** Path and query, URL-encoded as a client sends them. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

/** Run in order against both platforms: later cases read what earlier ones created. */
const CASES: Case[] = [
  { name: 'create a location', fn: 'eventsApi', method: 'POST', url: '/locations', headers: json, body: JSON.stringify(LOCATION) },
  { name: 'get the location', fn: 'eventsApi', method: 'GET', url: '/locations/id-1' },
  { name: 'list locations', fn: 'eventsApi', method: 'GET', url: '/locations' },
  { name: 'unknown location', fn: 'eventsApi', method: 'GET', url: '/locations/nope' },
  { name: 'create an event', fn: 'eventsApi', method: 'POST', url: '/events', headers: json, body: JSON.stringify(EVENT) },
  { name: 'create a second event', fn: 'eventsApi', method: 'POST', url: '/events', headers: json, body: JSON.stringify({ ...EVENT, name: 'Opera Tosca' }) },
  { name: 'event name taken', fn: 'eventsApi', method: 'POST', url: '/events', headers: json, body: JSON.stringify(EVENT) },
  { name: 'unknown hall', fn: 'eventsApi', method: 'POST', url: '/events', headers: json, body: JSON.stringify({ ...EVENT, name: 'Nabucco', hall: 'Attic' }) },
  { name: 'first page of events, with a Link', fn: 'eventsApi', method: 'GET', url: '/events?limit=1' },
  { name: 'a bad limit', fn: 'eventsApi', method: 'GET', url: '/events?limit=0' },
  { name: 'a bad cursor', fn: 'eventsApi', method: 'GET', url: '/events?limit=1&cursor=not-a-cursor' },
  { name: 'get an event', fn: 'eventsApi', method: 'GET', url: '/events/id-2' },
  { name: 'get an event by /events/id/', fn: 'eventsApi', method: 'GET', url: '/events/id/id-2' },
  { name: 'get an event by an encoded name', fn: 'eventsApi', method: 'GET', url: '/events/name/Opera%20Aida' },
  { name: 'schema violation', fn: 'eventsApi', method: 'POST', url: '/locations', headers: json, body: JSON.stringify({ ...LOCATION, halls: [{ name: '' }] }) },
  { name: 'malformed JSON without a content-type', fn: 'eventsApi', method: 'POST', url: '/locations', body: '{"name": ' },
  { name: 'a declared non-JSON content-type', fn: 'eventsApi', method: 'POST', url: '/locations', headers: { 'content-type': 'text/plain' }, body: 'hello' },
  { name: 'a body over 1 MiB', fn: 'eventsApi', method: 'POST', url: '/locations', headers: json, body: JSON.stringify({ pad: 'x'.repeat(1024 * 1024) }) },
  { name: 'a wrong method', fn: 'eventsApi', method: 'DELETE', url: '/events' },
  { name: 'a route of another function', fn: 'eventsApi', method: 'GET', url: '/map' },
  { name: 'book seats with an Idempotency-Key', fn: 'bookingsApi', method: 'POST', url: `/events/${KNOWN_EVENT}/bookings`, headers: { ...json, 'idempotency-key': 'k-1' }, body: '{"seats":2}' },
  { name: 'the same request again (replayed)', fn: 'bookingsApi', method: 'POST', url: `/events/${KNOWN_EVENT}/bookings`, headers: { ...json, 'idempotency-key': 'k-1' }, body: '{"seats":2}' },
  { name: 'the same key for another booking', fn: 'bookingsApi', method: 'POST', url: `/events/${KNOWN_EVENT}/bookings`, headers: { ...json, 'idempotency-key': 'k-1' }, body: '{"seats":1}' },
  { name: 'beyond capacity', fn: 'bookingsApi', method: 'POST', url: `/events/${KNOWN_EVENT}/bookings`, headers: json, body: '{"seats":2}' },
  { name: 'too many seats in one booking', fn: 'bookingsApi', method: 'POST', url: `/events/${KNOWN_EVENT}/bookings`, headers: json, body: '{"seats":11}' },
  { name: 'an event the booking service does not know', fn: 'bookingsApi', method: 'POST', url: '/events/nope/bookings', headers: json, body: '{"seats":1}' },
  { name: 'list bookings', fn: 'bookingsApi', method: 'GET', url: `/events/${KNOWN_EVENT}/bookings?limit=10` },
  { name: 'create a player', fn: 'playersApi', method: 'POST', url: '/players', headers: json, body: '{"name":"Mario"}' },
  { name: 'get the player', fn: 'playersApi', method: 'GET', url: '/players/id-10' },
  { name: 'the (empty) map', fn: 'playersApi', method: 'GET', url: '/map' },
  { name: 'delete the player', fn: 'playersApi', method: 'DELETE', url: '/players/id-10' },
  { name: 'delete it again', fn: 'playersApi', method: 'DELETE', url: '/players/id-10' },
];

/** The API Gateway HTTP API (payload 2.0) event for a case, as API Gateway would build it. */
function apiGatewayEvent(request: Case): APIGatewayProxyEventV2 {
  const [rawPath = '/', rawQueryString = ''] = request.url.split('?');
  const query = Object.fromEntries(new URLSearchParams(rawQueryString));
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: { host: 'api.example.com', ...request.headers },
    ...(rawQueryString === '' ? {} : { queryStringParameters: query }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method: request.method, path: decodeURIComponent(rawPath), protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'parity' },
      requestId: REQUEST_ID,
      routeKey: '$default',
      stage: '$default',
      time: '01/May/2026:10:00:00 +0000',
      timeEpoch: 1777629600000,
    },
    ...(request.body === undefined ? {} : { body: request.body }),
    isBase64Encoded: false,
  };
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

type AwsHandlers = { [F in HttpFunctionName]: ReturnType<typeof apiGatewayHandler<HttpFunctionDeps[F]>> };
let aws: AwsHandlers;
const gcp: Partial<Record<HttpFunctionName, ServedFunction>> = {};
const answers = new Map<string, { aws: Answer; gcp: Answer }>();

async function askAws(request: Case): Promise<Answer> {
  const result = await aws[request.fn](apiGatewayEvent(request), lambdaContext(request.fn, REQUEST_ID));
  if (!('statusCode' in result)) throw new Error('expected a structured result');
  return { status: result.statusCode ?? 0, headers: (result.headers ?? {}) as Record<string, string>, body: String(result.body ?? '') };
}

async function askGcp(request: Case): Promise<Answer> {
  const served = gcp[request.fn];
  if (served === undefined) throw new Error(`${request.fn} is not served`);
  const response = await fetch(`${served.url}${request.url}`, {
    method: request.method,
    headers: { 'function-execution-id': REQUEST_ID, ...request.headers },
    // Bytes, not a string: fetch would add `content-type: text/plain` to a string body.
    ...(request.body === undefined ? {} : { body: Buffer.from(request.body, 'utf8') }),
  });
  return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
}

beforeAll(async () => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true); // the GCP adapter's log lines
  const awsDeps = await world();
  const gcpDeps = await world();
  aws = {
    eventsApi: apiGatewayHandler(httpFunctions.eventsApi, awsDeps.eventsApi),
    bookingsApi: apiGatewayHandler(httpFunctions.bookingsApi, awsDeps.bookingsApi),
    playersApi: apiGatewayHandler(httpFunctions.playersApi, awsDeps.playersApi),
  };
  for (const fn of Object.keys(httpFunctions) as HttpFunctionName[]) {
    http(`parity-${fn}`, httpFunction(httpFunctions[fn] as Route<HttpFunctionDeps[typeof fn]>[], gcpDeps[fn]));
    gcp[fn] = await serveFunction(`parity-${fn}`);
  }
  // Prepare and Act, once for the table: the cases build on each other, on both platforms alike.
  for (const request of CASES) answers.set(request.name, { aws: await askAws(request), gcp: await askGcp(request) });
});

afterAll(async () => {
  await Promise.all(Object.values(gcp).map((served) => served.close()));
  vi.restoreAllMocks();
});

describe('GCP HTTP functions answer as the AWS adapter does (functions-framework test server vs API Gateway v2 events)', () => {
  it.each(CASES.map((request) => [request.name, request]))('%s', (name) => {
    const answer = answers.get(name);
    if (answer === undefined) throw new Error(`no answer for ${name}`);
    // Assess: status and body exactly; every header the AWS adapter sets, with the same value
    // (the GCP server adds its own transport headers: date, content-length, connection).
    expect(answer.gcp.status).toBe(answer.aws.status);
    expect(answer.gcp.body).toBe(answer.aws.body);
    expect(Object.fromEntries(Object.keys(answer.aws.headers).map((header) => [header, answer.gcp.headers[header]]))).toEqual(answer.aws.headers);
  });

  it('known difference: malformed JSON declared as application/json gets functions-framework\'s own 400, without our error body', async () => {
    // functions-framework parses application/json bodies before calling the function and answers a
    // parse error itself (functions-framework-nodejs issue #686). Same status as on AWS; if this ever
    // answers our error body, the difference is gone: move this case into the table above.
    const request: Case = { name: 'malformed JSON', fn: 'eventsApi', method: 'POST', url: '/locations', headers: json, body: '{"name": ' };
    const [onAws, onGcp] = [await askAws(request), await askGcp(request)];
    expect(onAws.status).toBe(400);
    expect(JSON.parse(onAws.body)).toMatchObject({ error: { code: 'MALFORMED_JSON' } });
    expect(onGcp.status).toBe(400);
    expect(onGcp.body).not.toContain('MALFORMED_JSON');
  });

  it('covers success and error statuses alike', () => {
    const statuses = new Set([...answers.values()].map((answer) => answer.aws.status));
    expect([...statuses].sort()).toEqual([200, 201, 204, 400, 404, 405, 409, 413, 415, 422]);
  });
});
