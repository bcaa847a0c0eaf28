import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createLocalApp } from '../../adapters/local/local-app.js';
import { jsonLogger } from '../../adapters/shared/json-logger.js';
import type { RawHttpRequest } from '../../adapters/shared/http-dispatch.js';
import { validLocation } from '../support/http-harness.js';
import { lambdaContext } from '../support/lambda-context.js';
import { loadEvent } from '../support/load-event.js';
import { ADMIN_AUTHORIZATION, BAD_TOKENS, withAuthorization } from '../support/tokens.js';

/** What must never be in a log line: any token sent, or an Authorization header by name. */
function assessLogs(output: string, tokens: string[]): void {
  expect(output).toContain('HTTP request'); // something was logged: the check below cannot pass on silence
  for (const token of tokens) expect(output).not.toContain(token.split('.')[1] ?? token);
  expect(output).not.toMatch(/authorization/i);
}

const tokensSent = [ADMIN_AUTHORIZATION.replace('Bearer ', ''), BAD_TOKENS['expired']!, BAD_TOKENS['signed by another key']!];

afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

describe('logs never contain a token or an Authorization header', () => {
  it('through the AWS adapter, on a request that fails with 500 and on refused tokens', async () => {
    // Prepare: the adapter loaded afresh, at the most talkative level.
    vi.stubEnv('LOG_LEVEL', 'DEBUG');
    vi.resetModules();
    const { httpTrigger } = await import('../../adapters/aws/http-trigger.js');
    const { eventsApiRoutes } = await import('../../functions/routes.js');
    let output = '';
    const capture = (chunk: unknown): boolean => ((output += String(chunk)), true);
    vi.spyOn(process.stdout, 'write').mockImplementation(capture);
    vi.spyOn(process.stderr, 'write').mockImplementation(capture);
    const failing = { add: () => Promise.reject(new Error('the database is down')), get: async () => undefined, list: async () => ({ items: [] }) };
    const handler = httpTrigger(eventsApiRoutes, { locations: failing, events: undefined as never, ids: { newId: () => 'loc-1' } });
    const payload = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/create-location.json');
    // Act: a valid token reaching a failing handler (500, logged with its error), and refused tokens (401).
    const statuses: number[] = [];
    for (const token of tokensSent) {
      const event = withAuthorization({ ...payload, body: JSON.stringify(validLocation) }, `Bearer ${token}`);
      const result = await handler(event, lambdaContext() as Context);
      statuses.push(Number(result.statusCode));
    }
    vi.mocked(process.stdout.write).mockRestore();
    vi.mocked(process.stderr.write).mockRestore();
    // Assess
    expect(statuses).toEqual([500, 401, 401]);
    expect(output).toContain('the database is down');
    assessLogs(output, tokensSent);
  });

  it('in memory mode (createLocalApp with its JSON log lines)', async () => {
    // Prepare
    const lines: string[] = [];
    const app = createLocalApp({ logger: jsonLogger({ service: 'test' }, (line) => lines.push(line)) });
    const request = (authorization: string): RawHttpRequest => ({
      method: 'POST',
      path: '/locations',
      query: {},
      headers: { 'content-type': 'application/json', authorization },
      body: JSON.stringify(validLocation),
    });
    // Act
    const statuses: number[] = [];
    for (const token of tokensSent) statuses.push((await app.handle(request(`Bearer ${token}`), 'req-logs')).status);
    await app.settle();
    // Assess
    expect(statuses).toEqual([201, 401, 401]);
    assessLogs(lines.join('\n'), tokensSent);
  });
});
