import * as fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessResponse, FUZZ_SEED, fuzzRoutes, requestsFor } from './fuzz-requests.js';
import { hostileCases } from './hostile-cases.js';
import { dispatcherOver, jsonRequest, seed, snapshot, type Repositories, type Send, type Seeded } from './hostile-world.js';
import { validEvent } from './http-harness.js';

export interface EngineUnderTest {
  repositories: Repositories;
  stop(): Promise<void>;
}

/**
 * The hidden inputs of issue 12 and a fuzzed sample per route, through the shared dispatch into one
 * engine's repositories. One server and one set of tables for the file: each case starts from the
 * state the previous ones left, which rejected requests must not change.
 */
export function describeHostileInputOn(engine: string, start: () => Promise<EngineUnderTest>, runsPerRoute: number): void {
  let running: EngineUnderTest | undefined;
  let send: Send | undefined;
  let seeded: Seeded | undefined;

  beforeAll(async () => {
    running = await start();
    send = dispatcherOver(running.repositories);
    seeded = await seed(send, running.repositories);
  }, 60_000);

  afterAll(async () => {
    await running?.stop();
  }, 15_000);

  function world(): { send: Send; seeded: Seeded } {
    if (send === undefined || seeded === undefined) throw new Error(`${engine} is not running: see the error of beforeAll`);
    return { send, seeded };
  }

  describe(`hostile input on ${engine} (issue 12)`, () => {
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

  describe(`fuzzing every route on ${engine}: ${runsPerRoute} generated requests each (seed ${FUZZ_SEED})`, () => {
    it.each(fuzzRoutes)('$method $path never answers 5xx', async (route) => {
      // Prepare
      const { send, seeded } = world();
      // Act and assess (per generated request)
      await fc.assert(
        fc.asyncProperty(requestsFor(route, seeded), async (request) => assessResponse(request, await send(request))),
        { seed: FUZZ_SEED, numRuns: runsPerRoute },
      );
    }, 60_000);
  });
}
