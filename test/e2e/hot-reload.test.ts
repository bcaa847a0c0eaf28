import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it, onTestFailed } from 'vitest';
import { freePort } from '../../offline/shared/ports.js';
import { eventually, startStack, type StartedStack } from '../support/npm-start.js';

/**
 * Hot reload under `npm start`, on a temporary copy of the project (its sources are edited; node_modules
 * is a link to this one's): a syntax error shows the compiler's message once and makes the functions that
 * import the file answer our 500 JSON error; the fix and a normal edit reload without a restart.
 */
const PROJECT_FILES = ['functions', 'adapters', 'offline', 'infra', 'serverless.yml', 'package.json', 'tsconfig.json'];
let project: string;
let stack: StartedStack | undefined;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'myevents-reload-'));
  for (const file of PROJECT_FILES) cpSync(resolve(file), join(project, file), { recursive: true });
  symlinkSync(resolve('node_modules'), join(project, 'node_modules'), 'dir');
  stack = await startStack(join(project, '.local-data'), {}, project);
}, 240_000);
afterAll(async () => {
  await stack?.kill('SIGTERM');
  rmSync(project, { recursive: true, force: true });
}, 60_000);

const get = async (path: string) => {
  const response = await fetch(`${stack!.baseUrl}${path}`);
  return { status: response.status, body: (await response.json()) as { error?: { code: string; message: string; requestId: string } } };
};

it('answers 500 LOCAL_BUILD_FAILED with the compiler message while a file does not compile, prints it once, and recovers on the fix', async () => {
  const errors = join(project, 'functions/errors.ts');
  const original = readFileSync(errors, 'utf8');
  const line = original.split('\n').length; // the line the broken statement lands on
  expect((await get('/map')).status).toBe(200);

  const before = stack!.output().length;
  appendFileSync(errors, 'const broken = ;\n');
  // A failed check below must not leave the file broken for the tests after it.
  onTestFailed(() => writeFileSync(errors, original));
  const broken = await eventually('the 500 of the broken build', async () => {
    const answer = await get('/map');
    return answer.status === 500 ? answer : undefined;
  }, 60_000, stack!.output);
  expect(broken.body.error).toEqual({
    code: 'LOCAL_BUILD_FAILED',
    message: expect.stringContaining(`The local build of playersApi failed: functions/errors.ts:${line}:15: Unexpected ";"`) as string,
    requestId: expect.any(String) as string,
    traceId: expect.stringMatching(/^[0-9a-f]{32}$/) as string,
  });
  expect((await get('/events')).body.error?.code).toBe('LOCAL_BUILD_FAILED');
  // Every bundle imports errors.ts: its error is still printed once, with the file and line. The answer
  // (told over IPC) may arrive before the line (through sls offline's stdout): wait for the line.
  const printed = await eventually('the compiler message on the console', async () => {
    const output = stack!.output().slice(before);
    return output.includes(`functions/errors.ts:${line}:15:`) ? output : undefined;
  }, 30_000, stack!.output);
  expect(printed.split(`functions/errors.ts:${line}:15:`).length - 1, printed).toBe(1);
  expect(printed, printed).not.toContain('Cannot find module');

  writeFileSync(errors, original);
  await eventually('recovery after the fix', async () => ((await get('/map')).status === 200 ? true : undefined), 60_000, stack!.output);
}, 120_000);

it('reloads a normal edit without a restart', async () => {
  // A message the function itself answers (the local front door answers unknown paths without it).
  const params = join(project, 'functions/http/path-params.ts');
  writeFileSync(params, readFileSync(params, 'utf8').replace('`${what} not found (not a valid id)`', '`${what} not found (edited: not a valid id)`'));
  const answer = await eventually('the edited message', async () => {
    const { body } = await get('/events/id/a.b');
    return body.error?.message.includes('(edited') ? body : undefined;
  }, 60_000, stack!.output);
  expect(answer.error?.message).toBe('Event not found (edited: not a valid id)');
}, 120_000);

it("exits 1 with the compiler's message when a bundle does not build at start, and leaves nothing running", async () => {
  const placePlayers = join(project, 'adapters/aws/functions/place-players.ts');
  const original = readFileSync(placePlayers, 'utf8');
  const line = original.split('\n').length;
  appendFileSync(placePlayers, 'const broken = ;\n');
  try {
    const ports = [];
    for (const flag of ['--http-port', '--lambda-port', '--dynamodb-port', '--sqs-port']) ports.push(flag, String(await freePort()));
    // A second stack in the same copy: its own build folder and data, so the running one is not disturbed.
    const start = spawn(process.execPath, [createRequire(import.meta.url).resolve('tsx/cli'), 'offline/aws/start.ts', '--data-dir', '.local-data-broken', ...ports], {
      cwd: project,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ESBUILD_WORK_FOLDER: '.esbuild-broken' },
    });
    let output = '';
    start.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    start.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((exited) => start.once('exit', exited));
    expect(code, output).toBe(1);
    expect(output).toContain(`adapters/aws/functions/place-players.ts:${line}:15: ERROR: Unexpected ";"`);
    expect(output).not.toContain('MyEvents is running');
    const groupAlive = () => {
      try {
        process.kill(-start.pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    await eventually('the stack to be gone', async () => (groupAlive() ? undefined : true), 10_000);
  } finally {
    writeFileSync(placePlayers, original);
  }
}, 180_000);
