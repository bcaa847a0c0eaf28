import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { createRequire } from 'node:module';
import { afterEach, expect, it } from 'vitest';
import { freePort } from '../../offline/shared/ports.js';

let blocker: Server | undefined;
afterEach(() => new Promise<void>((done) => (blocker ? blocker.close(() => done()) : done())));

it.each([
  ['--http-port', 'HTTP'],
  ['--dynamodb-port', 'DynamoDB Local'],
])('npm start exits 1 at once, in one sentence, when the port of %s is taken, and starts nothing', async (flag, purpose) => {
  // Prepare: something else listens on the port.
  const port = await freePort();
  blocker = createServer();
  await new Promise<void>((listening) => blocker!.listen(port, '127.0.0.1', listening));
  const others = ['--http-port', '--lambda-port', '--dynamodb-port', '--sqs-port'].filter((other) => other !== flag);
  const args = [flag, String(port)];
  for (const other of others) args.push(other, String(await freePort()));

  // Act
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const result = spawnSync(process.execPath, [tsx, 'offline/aws/start.ts', '--data-dir', `/tmp/busy-port-${port}`, ...args], { encoding: 'utf8', timeout: 60_000 });

  // Assess: the one sentence, and no java (which would have left its own output) started.
  expect(result.status).toBe(1);
  expect(result.stderr.trim()).toBe(`Port ${port} (${purpose}) is already in use: stop what uses it, or pick another port with \`npm start -- ${flag} <port>\`.`);
  expect(result.stdout).not.toMatch(/DynamoDB|Serverless|running/i);
}, 60_000);

it('npm run start:memory exits 1 in one sentence naming the port and PORT when the port is taken (tsx watch does not keep running)', async () => {
  // Prepare: something else listens on PORT.
  const port = await freePort();
  blocker = createServer();
  await new Promise<void>((listening) => blocker!.listen(port, '127.0.0.1', listening));

  // Act: the command as a reader types it, in its own process group.
  const child = spawn('npm', ['run', '--silent', 'start:memory'], { env: { ...process.env, PORT: String(port) }, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((exited) => {
    const timer = setTimeout(() => exited(null), 45_000); // a watcher left waiting for an edit never exits
    child.once('exit', (status) => {
      clearTimeout(timer);
      exited(status);
    });
  });
  try {
    process.kill(-child.pid!, 'SIGKILL');
  } catch {
    // the group is gone, as it should be
  }

  // Assess
  expect(code).toBe(1);
  expect(stderr.trim()).toBe(`Port ${port} (HTTP) is already in use: stop what uses it, or pick another port with \`PORT=<port> npm run start:memory\`.`);
  expect(stdout).not.toMatch(/running/i);
}, 60_000);
