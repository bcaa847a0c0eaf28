import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../offline/shared/ports.js';
import { startGcpStack } from '../../offline/gcp/gcp-stack.js';
import { stopProcessGroup } from '../../offline/shared/process-group.js';
import { startStack } from '../support/npm-start.js';
import { ADMIN_AUTHORIZATION, userToken } from '../support/tokens.js';

/**
 * Issue 20: no secret in any line a local stack prints. Requests carry a real token (and other secrets)
 * in their query strings, through `npm start`, `npm run start:gcp`'s stack and `npm run start:memory`;
 * then every line each printed is searched for them.
 */
const TOKEN = await userToken('query-string-user');
const LONG = `long${'z'.repeat(240)}`;
const CODE = `code-${randomUUID()}`;
const SECRETS = [TOKEN, TOKEN.slice(0, 40), TOKEN.split('.')[2]!, LONG.slice(0, 100), CODE];
const EVENT = '3f2a9c1e-0000-4000-8000-000000000001';

/** Requests a client might send with secrets in the query (401s, 404s, 200s, a write). */
async function sendSecrets(base: string): Promise<void> {
  const paths = [
    `/events/${EVENT}/bookings?access_token=${TOKEN}`,
    `/events?token=${TOKEN}&limit=2`,
    `/map?id_token=${TOKEN}`,
    `/locations?code=${CODE}`,
    `/events?q=${LONG}`,
    `/nowhere?access_token=${TOKEN}`,
  ];
  for (const path of paths) await (await fetch(`${base}${path}`)).text();
  await (await fetch(`${base}/players?access_token=${TOKEN}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"Mario"}' })).text();
}

/**
 * POST /players with two Authorization headers on one socket (fetch would join them itself): the front
 * door of each stack must pass both on, and the function refuse them (400 INVALID_REQUEST), as on AWS.
 */
function twoAuthorizations(base: string): Promise<{ status: number; code: string | undefined }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const headers = ['host', `${hostname}:${port}`, 'content-type', 'application/json', 'authorization', ADMIN_AUTHORIZATION, 'authorization', `Bearer ${TOKEN}`];
    const outgoing = httpRequest({ host: hostname, port, method: 'POST', path: '/players', headers }, (answer) => {
      let text = '';
      answer.on('data', (chunk: Buffer) => (text += chunk.toString()));
      answer.on('end', () => resolve({ status: answer.statusCode ?? 0, code: (JSON.parse(text || '{}') as { error?: { code: string } }).error?.code }));
    });
    outgoing.on('error', reject);
    outgoing.end('{"name":"Mario"}');
  });
}

function expectNoSecret(output: string): void {
  const lines = output.split('\n');
  for (const secret of SECRETS) expect(lines.filter((line) => line.includes(secret))).toEqual([]);
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
}, 90_000);

describe('no secret in any printed line; two Authorization headers refused (issue 20, through each local stack)', () => {
  it('npm start: its console (access lines and everything sls offline prints)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'myevents-redact-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const stack = await startStack(dataDir);
    cleanups.push(() => stack.kill('SIGTERM'));
    await sendSecrets(stack.baseUrl);
    expect(await twoAuthorizations(stack.baseUrl)).toEqual({ status: 400, code: 'INVALID_REQUEST' });
    await new Promise((settled) => setTimeout(settled, 500));
    await stack.kill('SIGTERM');
    const output = stack.output();
    // The requests were printed, with their secrets redacted.
    expect(output).toContain(`GET /events/${EVENT}/bookings?access_token=*** → 401`);
    expect(output).toContain('GET /events?q=*** → 200');
    expectNoSecret(output);
  }, 240_000);

  it('npm run start:gcp: the stack and every function it runs', async () => {
    const next = () => freePort();
    const ports = { frontDoor: await next(), relay: await next(), firestore: await next(), pubsub: await next(), functions: {
      eventsApi: await next(), bookingsApi: await next(), playersApi: await next(), eventsOutbox: await next(),
      bookingsOutbox: await next(), placePlayers: await next(), bookingsConsumer: await next(), eventsConsumer: await next(),
    } };
    const outDir = `dist/gcp-redact-${randomUUID().slice(0, 8)}`;
    const outputFile = join(mkdtempSync(join(tmpdir(), 'myevents-redact-gcp-')), 'functions.log');
    const fd = openSync(outputFile, 'w');
    const logged: string[] = [];
    const stack = await startGcpStack({ ports, outDir, log: (line) => logged.push(line), functionOutput: fd });
    cleanups.push(async () => {
      await stack.stop();
      closeSync(fd);
      rmSync(outDir, { recursive: true, force: true });
    });
    await sendSecrets(stack.url);
    expect(await twoAuthorizations(stack.url)).toEqual({ status: 400, code: 'INVALID_REQUEST' });
    await new Promise((settled) => setTimeout(settled, 500));
    const output = `${logged.join('\n')}\n${readFileSync(outputFile, 'utf8')}`;
    // The functions logged the requests (path only), and nothing anywhere holds a secret.
    expect(output).toContain(`"path":"/events/${EVENT}/bookings"`);
    expectNoSecret(output);
  }, 300_000);

  it('npm run start:memory: every line the embedded mode prints', async () => {
    const port = await freePort();
    const child = spawn('npm', ['run', 'start:memory'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: String(port) } });
    cleanups.push(() => stopProcessGroup(child));
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 60_000;
    while (!output.includes('MyEvents is running')) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`start:memory did not come up:\n${output}`);
      await new Promise((wait) => setTimeout(wait, 100));
    }
    await sendSecrets(`http://127.0.0.1:${port}`);
    expect(await twoAuthorizations(`http://127.0.0.1:${port}`)).toEqual({ status: 400, code: 'INVALID_REQUEST' });
    await new Promise((settled) => setTimeout(settled, 300));
    await stopProcessGroup(child);
    // Memory mode prints the same readable lines as npm start (its JSON lines only under --verbose).
    expect(output).toContain(`GET /events/${EVENT}/bookings?access_token=*** → 401`);
    expect(output).toContain('GET /events?q=*** → 200');
    expectNoSecret(output);
  }, 120_000);
});
