import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { httpTrigger } from '../../adapters/aws/http-trigger.js';
import { lambdaLog } from '../../adapters/aws/logger.js';
import { eventsApiRoutes } from '../../functions/routes.js';
import { fixedClock, sequentialIds } from '../support/doubles.js';
import { hostileCases } from '../support/hostile-cases.js';
import { dispatcherOver, jsonRequest, memoryRepositories, seed, snapshot } from '../support/hostile-world.js';
import { validEvent } from '../support/http-harness.js';
import { lambdaContext } from '../support/lambda-context.js';
import { loadEvent } from '../support/load-event.js';
import { withAuthorization } from '../support/tokens.js';

beforeAll(() => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined); // keep test output readable
});

describe('hostile input in memory mode (issue 12)', () => {
  it.each(hostileCases)('$name answers $status $code and changes nothing', async ({ request, status, code, field }) => {
    // Prepare
    const repositories = memoryRepositories();
    const send = dispatcherOver(repositories, sequentialIds(), fixedClock());
    const seeded = await seed(send, repositories);
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

  it('creates and finds again a name at the limit: 200 four-byte characters (800 bytes)', async () => {
    // Prepare
    const repositories = memoryRepositories();
    const send = dispatcherOver(repositories);
    const seeded = await seed(send, repositories);
    const name = '🎭'.repeat(200);
    // Act
    const created = await send(jsonRequest('POST', '/events', { ...validEvent(seeded.locationId), name }));
    const found = await send(jsonRequest('GET', `/events/name/${encodeURIComponent(name)}`));
    // Assess
    expect(created.status).toBe(201);
    expect(found.status).toBe(200);
    expect(JSON.parse(found.body)).toEqual(JSON.parse(created.body));
  });

  it('answers 400, not a TypeError, when API Gateway (as sls offline does) hands the Lambda a body of false', async () => {
    // Prepare
    const repositories = memoryRepositories();
    const handler = httpTrigger(eventsApiRoutes, { locations: repositories.locations, events: repositories.events, ids: sequentialIds() });
    const payload = withAuthorization(loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/create-event.json'));
    (payload as unknown as { body: unknown }).body = false;
    payload.isBase64Encoded = true; // even when flagged as base64: only text is decoded
    // Act
    const result = await handler(payload, lambdaContext());
    // Assess
    expect(result.statusCode).toBe(400);
    expect(JSON.parse(String(result.body))).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });
});
