import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUZZ_SEED, fuzzRoutes } from './fuzz-requests.js';
import { snapshot, type Send, type Seeded } from './hostile-world.js';
import { eventually } from './npm-start.js';
import { assessRawCase, fetchSend, fuzzRouteThroughSocket, rawCases, seedThroughSocket, settleOverEngines, socketSend } from './socket-fuzz.js';
import { ADMIN_AUTHORIZATION } from './tokens.js';

/** A local stack started by a test: its front door, and whether its processes still run. */
export interface FuzzedStack {
  baseUrl: string;
  /** False once the stack (or any part it supervises) has exited. */
  running(): boolean;
  output(): string;
  stop(): Promise<void>;
}

/**
 * The socket fuzz of an engine-backed local stack (issue 18): the hostile generators, `runs` per route,
 * and the raw cases through its front door's real socket; every request answered below 500 in our
 * shape, a rejected one changing nothing, the stack still serving and still running at the end.
 * The stack is started once for the file.
 */
export function describeSocketFuzz(name: string, start: () => Promise<FuzzedStack>, runs: number): void {
  let stack: FuzzedStack | undefined;
  let port: number;
  let probe: Send;
  let seeded: Seeded;
  const running = (): FuzzedStack => {
    if (stack === undefined) throw new Error(`${name} did not start: see the error of beforeAll`);
    return stack;
  };

  beforeAll(async () => {
    stack = await start();
    port = Number(new URL(stack.baseUrl).port);
    probe = fetchSend(stack.baseUrl);
    // Seeded through the fuzzed socket; ready once the booking service has learned the event (a queue hop).
    seeded = await seedThroughSocket(socketSend(port), async (world) =>
      void (await eventually(
        'the booking service to learn the seeded event',
        async () => ((await probe({ method: 'GET', path: `/events/${world.eventId}/bookings`, query: {}, headers: { authorization: ADMIN_AUTHORIZATION } })).status === 200 ? true : undefined),
        60_000,
        running().output,
      )),
    );
  }, 300_000);
  afterAll(async () => stack?.stop(), 60_000);

  describe(`${name}'s socket: ${runs} generated requests per route (seed ${FUZZ_SEED})`, () => {
    it.each(fuzzRoutes)('$method $path: every request answered, never 5xx, rejected ones change nothing', async (route) => {
      const rejected = await fuzzRouteThroughSocket({ route, runs, send: socketSend(port), probe, seeded, settle: settleOverEngines(probe, seeded), checkEachRead: false });
      expect(rejected).toBeGreaterThan(runs / 2);
      expect(running().running(), running().output().slice(-3000)).toBe(true);
    }, 180_000);
  });

  describe(`${name}'s socket: raw cases`, () => {
    it.each(rawCases.map((rawCase) => [rawCase.name, rawCase] as const))('%s', async (_name, rawCase) => {
      const before = await snapshot(probe, seeded);
      const answer = await rawCase.send(port);
      assessRawCase(rawCase, answer);
      if (answer.status >= 400 || answer.outcome !== 'answered') expect(await snapshot(probe, seeded)).toEqual(before);
      // Still serving, and nothing of it exited.
      expect((await fetch(`${running().baseUrl}/health`)).status).toBe(200);
      expect(running().running(), running().output().slice(-3000)).toBe(true);
    }, 60_000);
  });
}
