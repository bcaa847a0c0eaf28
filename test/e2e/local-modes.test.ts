import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../offline/shared/ports.js';
import { stopProcessGroup } from '../../offline/shared/process-group.js';
import { FUZZ_SEED, fuzzRoutes } from '../support/fuzz-requests.js';
import { snapshot, type Send, type Seeded } from '../support/hostile-world.js';
import { validLocation } from '../support/http-harness.js';
import { eventually, startStack } from '../support/npm-start.js';
import { requestBytes, sendRaw, type RawAnswer } from '../support/raw-http.js';
import { BashSession, parseCurlInclude, walkthroughSteps } from '../support/readme-walkthrough.js';
import { assessRawCase, fetchSend, fuzzRouteThroughSocket, rawCases, seedThroughSocket, settleOverEngines, socketSend } from '../support/socket-fuzz.js';
import { startGcpCommand } from '../support/start-gcp.js';
import { ADMIN_AUTHORIZATION } from '../support/tokens.js';

/**
 * The three local modes side by side (issue 18), each started once for this file as a user starts it:
 * `npm run start:memory`, `npm start` and `npm run start:gcp`.
 * - The socket fuzz of the two engine-backed stacks: the hostile generators of test/fuzz, 300 per route,
 *   and the raw cases, through each front door's real socket; every request answered below 500 in our
 *   shape, a rejected one changing nothing, the stack still serving and still running. The two stacks
 *   are fuzzed at the same time (each one request at a time: its state checks need that), which halves
 *   the wall time. Memory mode's socket fuzz is test/fuzz/socket-fuzz-memory.test.ts (1,000 per route).
 * - The parity table: the same bytes through the three front doors' sockets, the same status, error code
 *   and edge headers (Allow, CORS, cache-control, content-type, x-request-id) from each.
 * - The README walkthrough, read from README.md and run in bash twice against each mode, each command's
 *   output checked against what its comment promises.
 */
type Mode = 'memory' | 'npm start' | 'start:gcp';
const MODES: Mode[] = ['memory', 'npm start', 'start:gcp'];
/** A started mode: its front door, whether its processes still run, what it printed. */
interface Started {
  port: number;
  running(): boolean;
  output(): string;
  stop(): Promise<void>;
}
const stacks = new Map<Mode, Started>();
/** Generated requests per route through each engine-backed stack's socket (issue 18 asks for 300). */
const RUNS_PER_ROUTE = 300;
const ENGINE_MODES = ['npm start', 'start:gcp'] as const;
/** What the fuzz knows of each engine-backed stack: how to read its state, and what was seeded. */
const worlds = new Map<Mode, { probe: Send; seeded: Seeded }>();

async function startMemory(): Promise<Started> {
  const port = await freePort();
  const child: ChildProcess = spawn('npm', ['run', 'start:memory'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: String(port) } });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 60_000;
  while (!output.includes('MyEvents is running')) {
    if (Date.now() > deadline || child.exitCode !== null) {
      await stopProcessGroup(child);
      throw new Error(`start:memory did not come up:\n${output}`);
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  return { port, running: () => child.exitCode === null && child.signalCode === null, output: () => output, stop: () => stopProcessGroup(child) };
}

beforeAll(async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'myevents-modes-'));
  // Started together: the two engine-backed stacks spend most of their start waiting for java.
  const [memory, npmStart, gcp] = await Promise.allSettled([
    startMemory(),
    startStack(dataDir).then((stack) => ({
      port: Number(new URL(stack.baseUrl).port),
      running: () => stack.process.exitCode === null && stack.process.signalCode === null,
      output: stack.output,
      stop: async () => {
        await stack.kill('SIGTERM');
        rmSync(dataDir, { recursive: true, force: true });
      },
    })),
    startGcpCommand().then((stack) => ({ port: Number(new URL(stack.baseUrl).port), running: stack.running, output: stack.output, stop: stack.stop })),
  ]);
  for (const [mode, started] of [['memory', memory], ['npm start', npmStart], ['start:gcp', gcp]] as const) if (started.status === 'fulfilled') stacks.set(mode, started.value);
  for (const started of [memory, npmStart, gcp]) if (started.status === 'rejected') throw started.reason;
  // The fuzz's world, seeded through each fuzzed socket; ready once the booking service has learned the event (a queue hop).
  await Promise.all(
    ENGINE_MODES.map(async (mode) => {
      const probe = fetchSend(`http://127.0.0.1:${portOf(mode)}`);
      const seeded = await seedThroughSocket(socketSend(portOf(mode)), async (world) =>
        void (await eventually(
          `${mode}: the booking service to learn the seeded event`,
          async () => ((await probe({ method: 'GET', path: `/events/${world.eventId}/bookings`, query: {}, headers: { authorization: ADMIN_AUTHORIZATION } })).status === 200 ? true : undefined),
          60_000,
          stacks.get(mode)!.output,
        )),
      );
      worlds.set(mode, { probe, seeded });
    }),
  );
}, 300_000);
afterAll(async () => void (await Promise.all([...stacks.values()].map((stack) => stack.stop()))), 60_000);

const portOf = (mode: Mode): number => {
  const stack = stacks.get(mode);
  if (stack === undefined) throw new Error(`${mode} did not start: see the error of beforeAll`);
  return stack.port;
};

const world = (mode: Mode): { probe: Send; seeded: Seeded } => {
  const known = worlds.get(mode);
  if (known === undefined) throw new Error(`${mode} was not seeded: see the error of beforeAll`);
  return known;
};

/** Runs `check` on both engine-backed stacks at once; fails with every stack's failure, named. */
async function onEngineStacks(check: (mode: Mode) => Promise<void>): Promise<void> {
  const results = await Promise.allSettled(ENGINE_MODES.map((mode) => check(mode)));
  const failures = results.flatMap((result, index) => (result.status === 'rejected' ? [`${ENGINE_MODES[index]}: ${String(result.reason instanceof Error ? result.reason.message : result.reason)}`] : []));
  if (failures.length > 0) throw new Error(failures.join('\n\n'));
}

describe(`the engine-backed stacks' sockets: ${RUNS_PER_ROUTE} generated requests per route (seed ${FUZZ_SEED})`, () => {
  it.each(fuzzRoutes)('$method $path: every request answered, never 5xx, rejected ones change nothing, the stack keeps running', async (route) => {
    await onEngineStacks(async (mode) => {
      const { probe, seeded } = world(mode);
      const rejected = await fuzzRouteThroughSocket({ route, runs: RUNS_PER_ROUTE, send: socketSend(portOf(mode)), probe, seeded, settle: settleOverEngines(probe, seeded), checkEachRead: false });
      expect(rejected).toBeGreaterThan(RUNS_PER_ROUTE / 2);
      expect(stacks.get(mode)!.running(), stacks.get(mode)!.output().slice(-3000)).toBe(true);
    });
  }, 240_000);
});

describe("the engine-backed stacks' sockets: raw cases", () => {
  it.each(rawCases.map((rawCase) => [rawCase.name, rawCase] as const))('%s', async (_name, rawCase) => {
    await onEngineStacks(async (mode) => {
      const { probe, seeded } = world(mode);
      const before = await snapshot(probe, seeded);
      const answer = await rawCase.send(portOf(mode));
      assessRawCase(rawCase, answer);
      if (answer.status >= 400 || answer.outcome !== 'answered') expect(await snapshot(probe, seeded)).toEqual(before);
      // Still serving, and nothing of it exited.
      expect((await fetch(`http://127.0.0.1:${portOf(mode)}/health`)).status).toBe(200);
      expect(stacks.get(mode)!.running(), stacks.get(mode)!.output().slice(-3000)).toBe(true);
    });
  }, 60_000);
});

/** The headers the edge decides (issue 18 found each differing between the modes), and whether a request id came. */
const EDGE_HEADERS = [
  'allow',
  'access-control-allow-origin',
  'access-control-allow-methods',
  'access-control-allow-headers',
  'access-control-max-age',
  'access-control-expose-headers',
  'vary',
  'cache-control',
  'content-type',
  'www-authenticate',
  'retry-after',
  'accept-ranges',
] as const;

function edgeView(answer: RawAnswer): Record<string, unknown> {
  let code: string | undefined;
  try {
    code = (JSON.parse(answer.body) as { error?: { code?: string } }).error?.code;
  } catch {
    code = undefined; // no body (HEAD, 204) or not JSON (the OpenAPI description is JSON too; a page is not)
  }
  return {
    outcome: answer.outcome,
    status: answer.status,
    code,
    requestId: typeof answer.headers['x-request-id'] === 'string' && answer.headers['x-request-id'] !== '',
    ...Object.fromEntries(EDGE_HEADERS.map((name) => [name, answer.headers[name]])),
  };
}

const ORIGIN = 'https://app.example';
const json = { 'content-type': 'application/json', authorization: ADMIN_AUTHORIZATION };
const locationBody = JSON.stringify(validLocation);
const megabyteOfHeaders = Object.fromEntries(Array.from({ length: 256 }, (_, index) => [`x-filler-${index}`, 'y'.repeat(4096)]));

/** Each row: a request as bytes, and what every mode must answer (the rest of the edge view must only agree). */
const parityTable: { name: string; bytes: Buffer; status: number; code?: string }[] = [
  { name: 'a gzip body', bytes: requestBytes('POST', '/locations', { ...json, 'content-encoding': 'gzip' }, gzipSync(locationBody)), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'a br body', bytes: requestBytes('POST', '/events', { ...json, 'content-encoding': 'br' }, 'not really brotli'), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'a deflate body from a browser', bytes: requestBytes('POST', '/players', { ...json, 'content-encoding': 'deflate', origin: ORIGIN }, gzipSync('{"name":"Zed"}')), status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  { name: 'content-encoding: identity (passes; the body is checked)', bytes: requestBytes('POST', '/locations', { ...json, 'content-encoding': 'identity' }, '{}'), status: 400, code: 'VALIDATION_FAILED' },
  {
    name: 'a CORS preflight of /events',
    bytes: requestBytes('OPTIONS', '/events', { origin: ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' }),
    status: 204,
  },
  { name: 'OPTIONS /events without Origin', bytes: requestBytes('OPTIONS', '/events', {}), status: 204 },
  { name: 'OPTIONS of a path with parameters', bytes: requestBytes('OPTIONS', '/players/p-1', { origin: ORIGIN, 'access-control-request-method': 'DELETE' }), status: 204 },
  { name: 'OPTIONS of an unknown path', bytes: requestBytes('OPTIONS', '/nowhere', { origin: ORIGIN }), status: 404, code: 'ROUTE_NOT_FOUND' },
  { name: '1 MB of headers', bytes: requestBytes('GET', '/events', megabyteOfHeaders), status: 431, code: 'HEADERS_TOO_LARGE' },
  { name: 'a double slash before a collection', bytes: requestBytes('GET', '//events', {}), status: 200 },
  { name: 'a double slash before an id', bytes: requestBytes('GET', '/players//00000000-0000-4000-8000-000000000000', {}), status: 404, code: 'NOT_FOUND' },
  { name: 'a trailing slash', bytes: requestBytes('GET', '/locations/', {}), status: 200 },
  { name: 'HEAD of a collection', bytes: requestBytes('HEAD', '/events', {}), status: 405 },
  { name: 'HEAD of an unknown path', bytes: requestBytes('HEAD', '/nowhere', {}), status: 404 },
  { name: 'an unknown path', bytes: requestBytes('GET', '/nowhere', {}), status: 404, code: 'ROUTE_NOT_FOUND' },
  { name: 'another method of a known path', bytes: requestBytes('PATCH', '/events', json, '{}'), status: 405, code: 'METHOD_NOT_ALLOWED' },
  { name: 'a method HTTP does not know', bytes: requestBytes('BREW', '/events', {}), status: 400, code: 'MALFORMED_REQUEST' },
  { name: 'a NUL in the path', bytes: requestBytes('GET', '/events\u0000', {}), status: 400, code: 'MALFORMED_REQUEST' },
  { name: 'a parameter that is not URL encoding', bytes: requestBytes('GET', '/locations/%', {}), status: 400, code: 'VALIDATION_FAILED' },
  { name: 'a write without a token', bytes: requestBytes('POST', '/locations', { 'content-type': 'application/json' }, locationBody), status: 401, code: 'UNAUTHENTICATED' },
  { name: 'a public read: GET /events', bytes: requestBytes('GET', '/events?limit=1', {}), status: 200 },
  { name: 'a public read from a browser: GET /map', bytes: requestBytes('GET', '/map', { origin: ORIGIN }), status: 200 },
  { name: 'a public read: GET /locations', bytes: requestBytes('GET', '/locations', {}), status: 200 },
  { name: 'GET /health', bytes: requestBytes('GET', '/health', {}), status: 200 },
  { name: 'GET /openapi.json', bytes: requestBytes('GET', '/openapi.json', {}), status: 200 },
];

describe('one edge in the three local modes: the same request, the same answer at the edge', () => {
  it.each(parityTable.map((row) => [row.name, row] as const))('%s', async (_name, row) => {
    const views: Record<string, Record<string, unknown>> = {};
    for (const mode of MODES) views[mode] = edgeView(await sendRaw(portOf(mode), row.bytes));
    expect(views['memory'], JSON.stringify(views, null, 1)).toMatchObject({ outcome: 'answered', status: row.status, requestId: true, ...(row.code && { code: row.code }) });
    expect(views['npm start'], 'npm start differs from memory mode').toEqual(views['memory']);
    expect(views['start:gcp'], 'start:gcp differs from memory mode').toEqual(views['memory']);
  }, 60_000);
});

/**
 * What each commented command of the walkthrough must show, by its comment. A commented command with no
 * entry here fails the test: a new promise in the README needs its check. `eventually`: the comment says
 * "once …" (a trigger hop), so the command is run again until it holds (bounded).
 */
const promised: { comment: RegExp; eventually?: boolean; check(output: string, session: BashSession, run: number): Promise<void> }[] = [
  { comment: /^may create locations and events$/, check: async (_output, session) => expect(await session.get('ADMIN')).toMatch(/^authorization: Bearer \S+\.\S+\.\S+$/) },
  { comment: /^a plain user: books seats, owns players$/, check: async (_output, session) => expect(await session.get('ALICE')).toMatch(/^authorization: Bearer \S+\.\S+\.\S+$/) },
  { comment: /^\[\] once the booking service has learned the event/, check: async (output) => expect(output.trim()).toBe('[]') },
  {
    comment: /^201: alice's booking of 2 seats$/,
    check: async (output, session) => expect(JSON.parse(output)).toMatchObject({ eventId: await session.get('EVENT'), seats: 2, owner: 'alice' }),
  },
  {
    comment: /^201 again: the same booking \(idempotent-replayed: true\)$/,
    check: async (output) => {
      const answer = parseCurlInclude(output);
      expect(answer.status).toBe(201);
      expect(answer.headers['idempotent-replayed']).toBe('true');
      expect(JSON.parse(answer.body)).toMatchObject({ seats: 2, owner: 'alice' });
    },
  },
  {
    comment: /^409 INSUFFICIENT_SEATS: the hall has 2 seats$/,
    check: async (output) => {
      const answer = parseCurlInclude(output);
      expect(answer.status).toBe(409);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'INSUFFICIENT_SEATS' } });
    },
  },
  { comment: /^alice's bookings \("owner": "alice"\)/, check: async (output) => expect(JSON.parse(output)).toEqual([expect.objectContaining({ seats: 2, owner: 'alice' })]) },
  {
    comment: /^seatsBooked: 2, once EventBooked has been consumed$/,
    eventually: true,
    check: async (output, session) => expect(JSON.parse(output)).toMatchObject({ id: await session.get('EVENT'), capacity: 2, seatsBooked: 2 }),
  },
  {
    comment: /^one event; a Link: <…>; rel="next" header when there are more$/,
    check: async (output, session, run) => {
      const answer = parseCurlInclude(output);
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toHaveLength(1);
      // More than one event: memory mode's first run has only its own; the fuzzed stacks and every second run have more.
      const more = Number(await session.run(`curl -s "$API/events?limit=2" | node -pe 'JSON.parse(require("fs").readFileSync(0, "utf8")).length'`).then((result) => result.output.trim())) > 1;
      if (more) expect(answer.headers['link']).toMatch(/^<\/events\?limit=1&cursor=[^>]+>; rel="next"$/);
      else expect(answer.headers['link']).toBeUndefined();
      if (run === 2) expect(more).toBe(true);
    },
  },
  {
    comment: /^Mario at \{"x":0,"y":0\}, once the players stream has placed him$/,
    eventually: true,
    check: async (output, session) => expect(JSON.parse(output)).toContainEqual({ id: await session.get('PLAYER'), name: 'Mario', position: { x: 0, y: 0 } }),
  },
  {
    comment: /^403: Mario is alice's$/,
    check: async (output) => {
      const answer = parseCurlInclude(output);
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    },
  },
  {
    comment: /^401 with WWW-Authenticate: Bearer realm="myevents"$/,
    check: async (output) => {
      const answer = parseCurlInclude(output);
      expect(answer.status).toBe(401);
      expect(answer.headers['www-authenticate']).toBe('Bearer realm="myevents"');
    },
  },
];

async function runWalkthrough(port: number, run: number): Promise<void> {
  const session = new BashSession(process.cwd());
  try {
    for (const step of walkthroughSteps()) {
      const command = step.command.replace(/^API=localhost:3000;/, `API=127.0.0.1:${port};`);
      let result = await session.run(command);
      expect(result.status, `${step.command}\n${result.errors}`).toBe(0);
      if (step.promise === undefined) continue;
      const promise = promised.find((entry) => entry.comment.test(step.promise!));
      if (promise === undefined) throw new Error(`the README promises "${step.promise}" and this test has no check for it`);
      const deadline = Date.now() + (promise.eventually ? 15_000 : 0);
      for (;;) {
        try {
          await promise.check(result.output, session, run);
          break;
        } catch (error) {
          if (Date.now() > deadline) throw new Error(`run ${run}: \`${step.command.slice(0, 160)}\` (# ${step.promise}) showed:\n${result.output.slice(0, 2000)}`, { cause: error });
          await new Promise((wait) => setTimeout(wait, 250));
          result = await session.run(command);
        }
      }
    }
    // The ids the walkthrough passes on came from the answers.
    for (const name of ['LOCATION', 'EVENT', 'PLAYER']) expect(await session.get(name), name).toMatch(/^[0-9a-f-]{36}$/);
  } finally {
    session.close();
  }
}

describe('the README walkthrough, run twice against each local mode', () => {
  it('has the commands and promises this test checks', () => {
    const steps = walkthroughSteps();
    expect(steps[0]?.command).toMatch(/^API=localhost:3000;/);
    expect(steps.filter((step) => step.promise !== undefined)).toHaveLength(promised.length);
  });

  it.each(MODES)('%s', async (mode) => {
    await runWalkthrough(portOf(mode), 1);
    await runWalkthrough(portOf(mode), 2);
  }, 180_000);
});
