import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack, type LocalStack } from '../../offline/aws/local-stack.js';
import { freePort } from '../../offline/shared/ports.js';
import { startEngine } from '../support/engine-start.js';
import { checkEdgeCase, edgeCases } from '../support/edge-cases.js';
import { ADMIN_AUTHORIZATION } from '../support/tokens.js';

/**
 * The app as `npm start` runs it: sls offline over DynamoDB Local and local-aws-sqs, the AWS adapters,
 * the offline plugin's stream and queue triggers, driven over real HTTP. No fixed sleeps:
 * everything asynchronous is polled with a deadline.
 */
let stack: LocalStack;
let dataDir: string;
const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'myevents-e2e-'));
  const [httpPort, lambdaPort, dynamodbPort, sqsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  // A 1 s visibility timeout (instead of the template's 60 s) so a failing message reaches its DLQ in seconds.
  stack = await startEngine('the offline stack (DynamoDB Local with java, local SQS, sls offline)', () =>
    startLocalStack({ httpPort, lambdaPort, dynamodbPort, sqsPort, dataDir, output: 'capture', env: { OFFLINE_SQS_VISIBILITY_TIMEOUT: '1' } }),
  );
}, 240_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: ADMIN_AUTHORIZATION },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return { status: response.status, json: text === '' ? undefined : JSON.parse(text) };
}

/** Polls until `check` returns a value other than undefined, or fails with what it last saw. */
async function eventually<T>(what: string, check: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}\n${stack.output().slice(-3000)}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const location = (name: string) => ({ name, address: 'Olympischer Platz 3', country: 'DE', openTime: 8, closeTime: 23, halls: [{ name: 'Main', location: 'ground floor', capacity: 3 }] });
const event = (name: string, locationId: string) => ({ name, duration: 120, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T21:00:00Z', locationId, hall: 'Main' });

describe('npm start: the offline stack end to end', () => {
  it('books an event learned through stream -> queue -> consumer, up to capacity, and counts the seats on the event', async () => {
    const created = await call('POST', '/locations', location('Arena'));
    expect(created.status).toBe(201);
    const aida = await call('POST', '/events', event('Aida', created.json.id));
    expect(aida.status).toBe(201);

    // eventsOutbox (stream) -> bookings queue -> bookingsConsumer: the booking service learns the event.
    await eventually('the booking service to know the event', async () =>
      (await call('GET', `/events/${aida.json.id}/bookings`)).status === 200 ? true : undefined,
    );
    for (let seat = 0; seat < 3; seat += 1) {
      expect((await call('POST', `/events/${aida.json.id}/bookings`, { seats: 1 })).status).toBe(201);
    }
    const full = await call('POST', `/events/${aida.json.id}/bookings`, { seats: 1 });
    expect(full.status).toBe(409);
    expect(full.json.error.code).toBe('INSUFFICIENT_SEATS');

    // bookingsOutbox (stream) -> events queue -> eventsConsumer: the events service counts them.
    await eventually('seatsBooked to reach 3', async () => ((await call('GET', `/events/${aida.json.id}`)).json.seatsBooked === 3 ? true : undefined));
  }, 120_000);

  it('places a new player at the start position through the players stream, and removes it on delete', async () => {
    const player = await call('POST', '/players', { name: 'Mario' });
    expect(player.json.position).toBeNull();
    const placed = await eventually('the player to be placed', async () => (await call('GET', `/players/${player.json.id}`)).json.position ?? undefined);
    expect(placed).toEqual({ x: 0, y: 0 });

    expect((await call('DELETE', `/players/${player.json.id}`)).status).toBe(204);
    await eventually('the player to leave the map', async () => {
      const map = (await call('GET', '/map')).json as { id: string }[];
      return map.some((entry) => entry.id === player.json.id) ? undefined : true;
    });
  }, 60_000);

  it.each(edgeCases.map((edgeCase) => [edgeCase.name, edgeCase] as const))('edge, as in memory mode: %s', async (_name, edgeCase) => {
    await checkEdgeCase(stack.baseUrl, edgeCase);
  });

  it('answers malformed JSON with 400 and a JSON error body', async () => {
    const result = await call('POST', '/locations', '{"name":');
    expect(result.status).toBe(400);
    expect(result.json.error).toMatchObject({ code: 'MALFORMED_JSON' });
    expect(typeof result.json.error.requestId).toBe('string');
  });

  it('sends a stream record that keeps failing to the on-failure queue and still processes the records after it', async () => {
    // A stored event that breaks its schema: eventsOutbox can never publish it.
    const dynamodb = new DynamoDBClient({ endpoint: stack.dynamodbEndpoint, region: 'us-east-1', credentials });
    await dynamodb.send(new PutItemCommand({ TableName: 'myevents-local-events', Item: { pk: { S: 'EVENT#poison' }, sk: { S: 'EVENT' }, entity: { S: 'event' }, id: { S: 'poison' } } }));
    dynamodb.destroy();
    const after = await call('POST', '/locations', location('After the poison'));
    const later = await call('POST', '/events', event('Later', after.json.id));

    const sqs = new SQSClient({ endpoint: stack.sqsEndpoint, region: 'us-east-1', credentials });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'myevents-local-stream-failures' }));
    const failure = await eventually('the on-failure queue to get the poison record', async () => {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 1 }));
      return Messages?.[0]?.Body;
    });
    sqs.destroy();
    expect(JSON.parse(failure)).toMatchObject({
      requestContext: { condition: 'RetryAttemptsExhausted' },
      DDBStreamBatchInfo: { batchSize: 1, streamArn: expect.stringContaining('myevents-local-events') },
    });
    await eventually('the booking service to know the event after the poison', async () =>
      (await call('GET', `/events/${later.json.id}/bookings`)).status === 200 ? true : undefined,
    );
  }, 120_000);

  it('sends a poison queue message to the DLQ after 5 receives, and processes the good messages around it', async () => {
    const sqs = new SQSClient({ endpoint: stack.sqsEndpoint, region: 'us-east-1', credentials });
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'myevents-local-bookings' }));
    const { QueueUrl: deadLetterUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'myevents-local-bookings-dlq' }));
    const eventIds = ['e2e-good-1', 'e2e-good-2', 'e2e-good-3'];
    const eventCreated = (id: string) =>
      JSON.stringify({
        id: `EventCreated/${id}`,
        type: 'EventCreated',
        source: '/myevents/e2e',
        time: new Date().toISOString(),
        data: { id, name: id, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T20:00:00Z', locationId: 'l', hall: 'Main', capacity: 5 },
      });
    for (const body of [eventCreated(eventIds[0]!), 'this is not JSON', eventCreated(eventIds[1]!), eventCreated(eventIds[2]!)]) {
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    }
    for (const id of eventIds) {
      await eventually(`the booking service to learn ${id}`, async () => ((await call('GET', `/events/${id}/bookings`)).status === 200 ? true : undefined));
    }
    const dead = await eventually('the poison message in the DLQ', async () => {
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: deadLetterUrl, WaitTimeSeconds: 0 }));
      return Messages?.[0];
    });
    sqs.destroy();
    expect(dead.Body).toBe('this is not JSON');
    expect(stack.output()).toMatch(/^(Warning: )?bookingsConsumer: .*, 1 failed \(back on myevents-local-bookings after its visibility timeout\) \[trace [0-9a-f]{8}(, [0-9a-f]{8})*( and \d+ more)?\]$/m);
  }, 120_000);

  it('runs a single function with a sample event: sls invoke local -f placePlayers -p events/aws/...', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['node_modules/serverless/bin/serverless.js', 'invoke', 'local', '-f', 'placePlayers', '-p', 'events/aws/dynamodb-stream/players-table-insert.json', '--stage', 'local'],
      { env: { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodbEndpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local' } },
    );
    expect(stdout).toContain('"batchItemFailures": []');
    const map = (await call('GET', '/map')).json as { id: string; name: string }[];
    expect(map).toContainEqual(expect.objectContaining({ id: 'f2bc48cc-ddc5-444a-bbe8-0678e1703ef3', name: 'Ada' }));
  }, 120_000);

  it('npm run invoke: one JSON log line with the function and request id, a token added to an HTTP sample, a note with a stream sample, and no SDK notice', async () => {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'offline/aws/invoke.ts', '-f', 'eventsApi', '-p', 'events/aws/http-api-v2/malformed-json.json'], {
      env: { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodbEndpoint, AWS_ENDPOINT_URL_SQS: stack.sqsEndpoint, ESBUILD_WORK_FOLDER: '.esbuild-invoke-test' },
    });
    expect(stdout).toMatch(/"message":"HTTP request","service":"myevents","function":"myevents-local-eventsApi","requestId":"[\w-]+"/);
    expect(stdout).toContain('"statusCode": 400'); // with the development admin token invoke adds: not 401
    expect(stderr).toContain('carries no token; invoking with a development admin token');
    expect(`${stdout}${stderr}`).not.toMatch(/NodeVersionSupportWarning|end-of-support/);
    const sample = await promisify(execFile)(process.execPath, ['node_modules/tsx/dist/cli.mjs', 'offline/aws/invoke.ts', '-f', 'placePlayers', '-p', 'events/aws/dynamodb-stream/players-table-insert.json'], {
      env: { ...process.env, AWS_ENDPOINT_URL_DYNAMODB: stack.dynamodbEndpoint, AWS_ENDPOINT_URL_SQS: stack.sqsEndpoint, ESBUILD_WORK_FOLDER: '.esbuild-invoke-test' },
    });
    expect(sample.stderr).toContain('is a sample payload. placePlayers acts on it as if that change or message had happened');
    rmSync('.esbuild-invoke-test', { recursive: true, force: true }); // bundles, which lint would read
  }, 120_000);
});
