import { randomUUID } from 'node:crypto';
import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoBookingRepository } from '../../adapters/aws/dynamodb/booking-repository.js';
import { createDocumentClient } from '../../adapters/aws/dynamodb/document-client.js';
import { DynamoEventRepository } from '../../adapters/aws/dynamodb/event-repository.js';
import { DynamoGameMapRepository } from '../../adapters/aws/dynamodb/game-map-repository.js';
import { DynamoLocationRepository } from '../../adapters/aws/dynamodb/location-repository.js';
import { DynamoPlayerRepository } from '../../adapters/aws/dynamodb/player-repository.js';
import { createTables, startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.js';
import { assessResponse, FUZZ_SEED, fuzzRoutes, requestsFor } from '../support/fuzz-requests.js';
import { hostileCases } from '../support/hostile-cases.js';
import { dispatcherOver, jsonRequest, seed, snapshot, type Repositories, type Send, type Seeded } from '../support/hostile-world.js';
import { validEvent } from '../support/http-harness.js';

/** DynamoDB Local answers in milliseconds, not microseconds: a sample per route, on top of the 1,000 of test/fuzz. */
const RUNS_PER_ROUTE = 60;

// One server and one set of tables for the file: the memory-mode tests show each case alone; here
// each case starts from the state the previous ones left, which rejected requests must not change.
let local: DynamoDbLocal | undefined;
let send: Send | undefined;
let seeded: Seeded | undefined;

beforeAll(async () => {
  local = await startDynamoDbLocal();
  const prefix = `hostile-${randomUUID().slice(0, 8)}`;
  const tables = { events: `${prefix}-events`, bookings: `${prefix}-bookings`, players: `${prefix}-players`, gameMap: `${prefix}-game-map` };
  await createTables(local.client, tables);
  const documents = createDocumentClient(local.client);
  const repositories: Repositories = {
    locations: new DynamoLocationRepository(documents, tables.events),
    events: new DynamoEventRepository(documents, tables.events),
    bookings: new DynamoBookingRepository(documents, tables.bookings),
    players: new DynamoPlayerRepository(documents, tables.players),
    gameMap: new DynamoGameMapRepository(documents, tables.gameMap),
  };
  send = dispatcherOver(repositories);
  seeded = await seed(send, repositories);
}, 60_000);

afterAll(async () => {
  await local?.stop();
}, 15_000);

function world(): { send: Send; seeded: Seeded } {
  if (send === undefined || seeded === undefined) throw new Error('DynamoDB Local is not running: see the error of beforeAll');
  return { send, seeded };
}

describe('hostile input on DynamoDB Local (issue 12)', () => {
  it.each(hostileCases)('$name answers $status $code and changes nothing', async ({ request, status, code, field }) => {
    // Prepare
    const { send, seeded } = world();
    const before = await snapshot(send, seeded);
    // Act
    const response = await send(request(seeded));
    // Assess
    const body = JSON.parse(response.body) as { error: { code: string; details?: { field: string }[] } };
    expect(response.status).toBe(status);
    expect(body.error.code).toBe(code);
    if (field !== undefined) expect(body.error.details?.map((detail) => detail.field)).toContain(field);
    expect(await snapshot(send, seeded)).toEqual(before);
  });

  it.each([
    ['an id of 128 characters (the longest we accept)', `/events/${'x'.repeat(128)}`],
    ['an id of 128 characters, on a partition-key route', `/events/${'x'.repeat(128)}/bookings`],
    ['a name of 200 four-byte characters', `/events/name/${encodeURIComponent('🎭'.repeat(200))}`],
  ])('looks up %s without a database error: 404', async (_what, path) => {
    // Act
    const response = await world().send(jsonRequest('GET', path));
    // Assess
    expect(response.status).toBe(404);
  });

  it('stores and finds again an event whose name is 200 four-byte characters (800 bytes in its key)', async () => {
    // Prepare
    const { send, seeded } = world();
    const name = '🎭'.repeat(200);
    // Act
    const created = await send(jsonRequest('POST', '/events', { ...validEvent(seeded.locationId), name }));
    const found = await send(jsonRequest('GET', `/events/name/${encodeURIComponent(name)}`));
    // Assess
    expect(created.status).toBe(201);
    expect(found.status).toBe(200);
    expect(JSON.parse(found.body)).toEqual(JSON.parse(created.body));
  });
});

describe(`fuzzing every route on DynamoDB Local: ${RUNS_PER_ROUTE} generated requests each (seed ${FUZZ_SEED})`, () => {
  it.each(fuzzRoutes)('$method $path never answers 5xx', async (route) => {
    // Prepare
    const { send, seeded } = world();
    // Act and assess (per generated request)
    await fc.assert(
      fc.asyncProperty(requestsFor(route, seeded), async (request) => assessResponse(request, await send(request))),
      { seed: FUZZ_SEED, numRuns: RUNS_PER_ROUTE },
    );
  }, 60_000);
});
