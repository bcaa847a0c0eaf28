import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaLog } from '../../adapters/aws/logger.js';
import { createLocalApp } from '../../adapters/local/local-app.js';
import { silentLogger } from '../../adapters/shared/json-logger.js';
import { fixedClock, sequentialIds } from '../support/doubles.js';
import type { Route } from '../../functions/http/contract.js';
import { httpFunctions } from '../../functions/routes.js';
import { openApiDocument } from '../../adapters/shared/openapi.js';
import { openApiValidator } from '../support/openapi-validator.js';
import { ownerOf, PLATFORMS, startDriver, type Answer, type PlatformName } from './http-drivers.js';
import { SCENARIOS, type Scenario } from './http-scenarios.js';

/**
 * The HTTP scenarios through every platform's real trigger shape and its own HTTP adapter: API Gateway
 * HTTP API (2.0) and REST API (1.0) events into the Lambda handlers, Azure HttpRequests into the
 * registered handlers, HTTP into functions-framework's test server, HTTP into memory mode's server.
 * Each platform runs the whole table in order on a fresh world; every answer must match the table and
 * be the same on every platform (status, body, and every header our code sets).
 */
const answers = new Map<PlatformName, Map<string, Answer>>();
/** The request each answer was given to (its url with the captured ids filled in). */
const askedUrls = new Map<PlatformName, Map<string, string>>();
/** The ids captured on each platform (the same on all: one world each, the same sequence). */
const capturedIds = new Map<PlatformName, Record<string, string>>();

beforeAll(async () => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true); // the GCP adapter's log lines
  for (const platform of PLATFORMS) {
    const app = createLocalApp({ clock: fixedClock(), ids: sequentialIds(), logger: silentLogger });
    const driver = await startDriver(platform, app);
    const byScenario = new Map<string, Answer>();
    const urls = new Map<string, string>();
    const captured: Record<string, string> = {};
    const withCaptured = (text: string): string => text.replace(/\{(\w+)\}/g, (placeholder, name: string) => captured[name] ?? placeholder);
    try {
      for (const scenario of SCENARIOS) {
        const { url, body } = scenario.request;
        const answer = await driver.ask({ ...scenario.request, url: withCaptured(url), ...(body === undefined ? {} : { body: withCaptured(body) }) });
        if (scenario.captureId !== undefined) captured[scenario.captureId] = (JSON.parse(answer.body) as { id: string }).id;
        byScenario.set(scenario.name, answer);
        urls.set(scenario.name, withCaptured(url));
        await app.settle();
      }
    } finally {
      await driver.close();
    }
    answers.set(platform, byScenario);
    askedUrls.set(platform, urls);
    capturedIds.set(platform, captured);
  }
}, 60_000);

afterAll(() => vi.restoreAllMocks());

const answerOf = (platform: PlatformName, scenario: Scenario): Answer => {
  const answer = answers.get(platform)?.get(scenario.name);
  if (answer === undefined) throw new Error(`${platform} has no answer for "${scenario.name}"`);
  return answer;
};

/** The trace id of an answer's `traceresponse` (W3C Trace Context Level 2), which every answer of our code carries. */
function traceIdOf(answer: Answer): string {
  const traceresponse = answer.headers['traceresponse'];
  expect(traceresponse, 'traceresponse').toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  return traceresponse!.slice(3, 35);
}

/**
 * The body as data, with the request id (which differs by platform) checked against `x-request-id` and the
 * trace id against `traceresponse`, then set aside: named, not valued.
 */
function comparableBody(answer: Answer): unknown {
  if (answer.body === '') return undefined;
  const body = JSON.parse(answer.body) as { error?: { requestId?: string; traceId?: string } };
  if (body.error !== undefined) {
    expect(body.error.requestId, 'error.requestId').toBe(answer.headers['x-request-id']);
    body.error.requestId = '<x-request-id>';
    expect(body.error.traceId, 'error.traceId').toBe(traceIdOf(answer));
    delete body.error.traceId;
  }
  return body;
}

/** The platforms whose own code answers the scenario (those the platform answers itself are checked apart). */
const ourAnswerers = (scenario: Scenario): PlatformName[] => PLATFORMS.filter((platform) => scenario.platformAnswers?.[platform] === undefined);

describe('HTTP conformance: one table of scenarios, identical answers on every platform', () => {
  it.each(SCENARIOS.map((scenario) => [scenario.name, scenario] as const))('%s', (_name, scenario) => {
    const [reference, ...others] = ourAnswerers(scenario);
    if (reference === undefined) throw new Error('no platform runs our code for this scenario');
    const expected = answerOf(reference, scenario);
    // The table: status, body, headers, on the reference platform.
    expect(expected.status).toBe(scenario.expected.status);
    if (scenario.expected.body === undefined) expect(expected.body).toBe('');
    else {
      const { body } = scenario.expected;
      expect(comparableBody(expected)).toEqual(typeof body === 'function' ? body(capturedIds.get(reference) ?? {}) : body);
    }
    expect(expected.headers['x-request-id']).toBeTruthy();
    traceIdOf(expected);
    for (const [header, value] of Object.entries(scenario.expected.headers ?? {})) {
      if (typeof value === 'string') expect(expected.headers[header], header).toBe(value);
      else expect(expected.headers[header], header).toMatch(value);
    }
    // Every other platform: the same status and body, and every header the reference's code set, with the
    // same value (a platform may add transport headers of its own: date, content-length, connection).
    const sameAsReference = (answer: Answer) => ({
      status: answer.status,
      body: comparableBody(answer),
      // Request and trace ids differ per request: each is checked where it is read, and set aside here.
      headers: Object.fromEntries(Object.keys(expected.headers).filter((header) => header !== 'x-request-id' && header !== 'traceresponse').map((header) => [header, answer.headers[header]])),
      traced: traceIdOf(answer).length,
    });
    const referenceView = sameAsReference(expected);
    for (const platform of others) expect(sameAsReference(answerOf(platform, scenario)), platform).toEqual(referenceView);
  });

  const answeredByPlatforms = SCENARIOS.flatMap((scenario) =>
    Object.entries(scenario.platformAnswers ?? {}).map(([platform, answer]) => [`${scenario.name} on ${platform}`, scenario, platform as PlatformName, answer] as const),
  );
  it.each(answeredByPlatforms)('named platform answer: %s', (_name, scenario, platform, platformAnswer) => {
    // What our code answers when it is reached (serverless-offline, the emulators) is the table's; the
    // platform's own answer is named in the table with why. Where the driver runs the platform's own
    // front (functions-framework's Express app) its answer is checked: it must not be ours, or the
    // difference is gone and the entry should leave the table.
    const answer = answerOf(platform, scenario);
    if (platform === 'gcp') {
      expect(answer.status).toBe(platformAnswer.status);
      expect(answer.body).not.toContain(`"requestId"`);
    } else {
      expect(answer.status, 'our code, where the platform lets the request through').toBe(scenario.expected.status);
    }
    expect(platformAnswer.why.length).toBeGreaterThan(20);
  });

  it('covers every route of the route table with an answer of its own, and every status the API documents', () => {
    const answered = new Set(
      SCENARIOS.filter((scenario) => scenario.expected.status < 300).map((scenario) => `${scenario.request.method} ${ownerOf(scenario.request.url.split('?')[0] ?? '').pattern}`),
    );
    const routes = Object.values(httpFunctions).flatMap((table: readonly Route<never>[]) => table.map((route) => `${route.method} ${route.path}`));
    expect(routes.filter((route) => !answered.has(route))).toEqual([]);
    const statuses = new Set(SCENARIOS.map((scenario) => scenario.expected.status));
    expect([...statuses].sort()).toEqual([200, 201, 204, 400, 401, 403, 404, 405, 409, 413, 415, 422]);
  });
});

describe('HTTP conformance: every answer, success and error, on every platform, is what the OpenAPI document says', () => {
  const validator = openApiValidator(openApiDocument());
  const cases = PLATFORMS.flatMap((platform) => SCENARIOS.map((scenario) => [`${platform}: ${scenario.name}`, platform, scenario] as const));
  it.each(cases)('%s', (_name, platform, scenario) => {
    const answer = answerOf(platform, scenario);
    const path = (askedUrls.get(platform)?.get(scenario.name) ?? '').split('?')[0] ?? '';
    const checked = { method: scenario.request.method, path, status: answer.status, headers: answer.headers, body: answer.body };
    if (platform === 'gcp' && scenario.platformAnswers?.gcp !== undefined) {
      // functions-framework's own answer (named in the scenario table): its status is one the operation
      // declares; its body and headers are the framework's, not ours, so the document cannot describe them.
      const problems = validator.check(checked);
      expect(problems.filter((problem) => problem.includes('does not declare'))).toEqual([]);
      expect(problems.length, 'the framework answers, not our code').toBeGreaterThan(0);
      return;
    }
    expect(validator.check(checked)).toEqual([]);
  });

  it('finds what the document does not allow (a wrong status, body, or header)', () => {
    const scenario = SCENARIOS.find((candidate) => candidate.name === 'get an event');
    if (scenario === undefined) throw new Error('no "get an event" scenario');
    const answer = answerOf('memory', scenario);
    const checked = { method: 'GET', path: '/events/id-2', status: answer.status, headers: answer.headers, body: answer.body };
    expect(validator.check(checked)).toEqual([]);
    expect(validator.check({ ...checked, status: 409 })).toEqual([expect.stringContaining('does not declare')]);
    expect(validator.check({ ...checked, body: JSON.stringify({ ...(JSON.parse(answer.body) as object), pk: 'EVENT#id-2' }) })).toEqual([expect.stringContaining('additional properties')]);
    expect(validator.check({ ...checked, headers: { ...answer.headers, 'x-debug': '1' } })).toEqual(['header x-debug is sent but not declared']);
    const withoutRequestId = Object.fromEntries(Object.entries(answer.headers).filter(([name]) => name !== 'x-request-id'));
    expect(validator.check({ ...checked, headers: withoutRequestId })).toEqual(['header X-Request-Id is required but absent']);
  });
});
