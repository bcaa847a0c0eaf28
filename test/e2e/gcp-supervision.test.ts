import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer } from 'node:net';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../offline/shared/ports.js';
import { eventually } from '../support/npm-start.js';
import { groupAlive } from '../support/process-group.js';

/**
 * `npm run start:gcp` as a user runs it (offline/gcp/start-gcp.ts through tsx, in a process group of its own,
 * on a temporary copy of the project whose sources the hot reload test edits): it listens on 127.0.0.1
 * only, refuses a busy port with one sentence, answers /health and /openapi.json, reloads an edit, and
 * after Ctrl-C (SIGINT to the group), SIGTERM or SIGKILL of its process nothing of it runs and its ports are free.
 */
const PROJECT_FILES = ['functions', 'adapters', 'offline', 'scripts', 'infra', 'package.json', 'tsconfig.json'];
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
let project: string;

interface GcpStart {
  url: string;
  process: ChildProcess;
  /** Every port the stack listens on that it names: front door, emulators, functions. */
  ports: number[];
  output(): string;
  exited: Promise<number | null>;
}
const started: GcpStart[] = [];

const portFree = (port: number): Promise<boolean> =>
  new Promise((answer) => {
    const probe = createServer();
    probe.once('error', () => answer(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => answer(true)));
  });

function spawnStartGcp(ports: { http: number; firestore: number; pubsub: number }): { child: ChildProcess; output(): string; exited: Promise<number | null> } {
  const args = ['--http-port', ports.http, '--firestore-port', ports.firestore, '--pubsub-port', ports.pubsub].map(String);
  const child = spawn(process.execPath, [tsx, 'offline/gcp/start-gcp.ts', ...args], { cwd: project, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output, exited: new Promise((done) => child.once('exit', (code) => done(code))) };
}

async function startGcp(): Promise<GcpStart> {
  const ports = { http: await freePort(), firestore: await freePort(), pubsub: await freePort() };
  const { child, output, exited } = spawnStartGcp(ports);
  const stack: GcpStart = { url: `http://127.0.0.1:${ports.http}`, process: child, ports: [], output, exited };
  started.push(stack);
  await eventually('start:gcp to be running', async () => (output().includes('is running at') ? true : child.exitCode !== null ? Promise.reject(new Error(output())) : undefined), 240_000, output);
  const functionPorts = [.../ {2}functions {2}(.*)/.exec(output())![1]!.matchAll(/:(\d+)/g)].map((match) => Number(match[1]));
  expect(functionPorts).toHaveLength(8);
  stack.ports = [ports.http, ports.firestore, ports.pubsub, ...functionPorts];
  return stack;
}

/** The process running offline/gcp/start-gcp.ts itself (tsx's child), in the group `group`. */
function startGcpProcess(group: number): number {
  const line = execFileSync('ps', ['-eo', 'pid=,pgid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((entry) => entry.trim().split(/\s+/))
    .find(([pid, pgid, ...args]) => Number(pgid) === group && Number(pid) !== group && args.join(' ').includes('offline/gcp/start-gcp.ts'));
  if (!line) throw new Error(`no start-gcp.ts process in group ${group}`);
  return Number(line[0]);
}

/** The local addresses of every listening TCP socket the processes of `group` hold (Linux: /proc). */
function listeningAddresses(group: number): string[] {
  const inodes = new Set<string>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command's closing parenthesis: state, ppid, pgrp.
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== group) continue;
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const target = readlinkSync(`/proc/${pid}/fd/${fd}`);
        if (target.startsWith('socket:[')) inodes.add(target.slice(8, -1));
      }
    } catch {
      // The process exited meanwhile.
    }
  }
  const addresses: string[] = [];
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    if (!existsSync(table)) continue;
    for (const row of readFileSync(table, 'utf8').split('\n').slice(1)) {
      const fields = row.trim().split(/\s+/);
      if (fields[3] === '0A' && inodes.has(fields[9]!)) addresses.push(fields[1]!);
    }
  }
  return addresses;
}
// 127.0.0.1 in /proc/net/tcp, and as an IPv4-mapped IPv6 address in tcp6 (java binds that way).
const LOOPBACK = /^(0100007F|0000000000000000FFFF00000100007F):/;

async function expectAllGone(stack: GcpStart, what: string): Promise<void> {
  const group = stack.process.pid!;
  // The bound: every process gone and every port free within 10 s.
  await eventually(`every process of start:gcp to exit after ${what}`, async () => (groupAlive(group) ? undefined : true), 10_000, stack.output);
  for (const port of stack.ports) expect(await portFree(port), `port ${port} after ${what}`).toBe(true);
}

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'myevents-start-gcp-'));
  for (const file of PROJECT_FILES) cpSync(resolve(file), join(project, file), { recursive: true });
  symlinkSync(resolve('node_modules'), join(project, 'node_modules'), 'dir');
});
afterEach(async () => {
  for (const stack of started.splice(0)) {
    if (groupAlive(stack.process.pid!)) process.kill(-stack.process.pid!, 'SIGKILL');
    await eventually('the group to exit', async () => (groupAlive(stack.process.pid!) ? undefined : true), 30_000);
  }
}, 60_000);
afterAll(() => rmSync(project, { recursive: true, force: true }));

describe('npm run start:gcp', () => {
  it('refuses a port that is taken, with one sentence naming it and its flag, before starting anything', async () => {
    // A foreign web server on the Firestore emulator's port must not be taken for the emulator.
    const foreign: Server = createHttpServer((_, response) => response.writeHead(501, { 'content-type': 'text/html' }).end('<h1>501 Unsupported method</h1>'));
    const firestore = await freePort();
    await new Promise<void>((listening) => foreign.listen(firestore, '127.0.0.1', listening));
    try {
      const { child, output, exited } = spawnStartGcp({ http: await freePort(), firestore, pubsub: await freePort() });
      started.push({ url: '', process: child, ports: [], output, exited });
      expect(await exited).toBe(1);
      expect(output().trim()).toBe(
        `Port ${firestore} (the Firestore emulator) is already in use: stop what uses it, or pick another port with \`npm run start:gcp -- --firestore-port <port>\`.`,
      );
    } finally {
      await new Promise((closed) => foreign.close(closed));
    }
  }, 60_000);

  it('listens on 127.0.0.1 only, answers /health and /openapi.json, reloads an edit without a restart, and Ctrl-C stops it all', async () => {
    const stack = await startGcp();
    const group = stack.process.pid!;
    const addresses = listeningAddresses(group);
    // At least the front door, the relay, two emulators and eight functions.
    expect(addresses.length).toBeGreaterThanOrEqual(12);
    expect(addresses.filter((address) => !LOOPBACK.test(address))).toEqual([]);

    const health = await fetch(`${stack.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'ok',
      checks: { eventsApi: 'ok', bookingsApi: 'ok', playersApi: 'ok', 'Firestore emulator': 'ok', 'Pub/Sub emulator': 'ok' },
    });
    const description = await fetch(`${stack.url}/openapi.json`);
    expect(description.status).toBe(200);
    expect(((await description.json()) as { openapi: string }).openapi).toMatch(/^3\./);
    // The console: one readable line per request, as npm start and start:memory print, and none of the functions' JSON lines.
    const listed = await fetch(`${stack.url}/events?limit=1`);
    expect(listed.status).toBe(200);
    await eventually('the access line of GET /events', async () => (stack.output().includes('GET /events?limit=1 → 200 in ') ? true : undefined), 5_000, stack.output);
    expect(stack.output()).toMatch(/GET \/health → 200 in \d+ ms \[trace [0-9a-f]{8}\]\n/);
    expect(stack.output()).not.toContain('{"severity":"INFO"');

    // Hot reload: a file every bundle imports breaks, then builds again; the same process serves throughout.
    const starter = startGcpProcess(group);
    const errors = join(project, 'functions/errors.ts');
    const original = readFileSync(errors, 'utf8');
    appendFileSync(errors, 'const broken = ;\n');
    const broken = await eventually('the 500 of the broken build', async () => {
      const answer = await fetch(`${stack.url}/map`);
      return answer.status === 500 ? ((await answer.json()) as { error: { code: string; message: string } }) : undefined;
    }, 60_000, stack.output);
    expect(broken.error.code).toBe('LOCAL_BUILD_FAILED');
    expect(broken.error.message).toContain('functions/errors.ts');
    writeFileSync(errors, original);
    await eventually('/map to answer again after the fix', async () => ((await fetch(`${stack.url}/map`)).status === 200 ? true : undefined), 60_000, stack.output);
    // Until the new build is up the old processes keep answering (200 from the last build), so wait for the line.
    await eventually('the reload line naming playersApi', async () => (/reload: .*playersApi.* restarted/.test(stack.output()) ? true : undefined), 60_000, stack.output);
    expect(startGcpProcess(group)).toBe(starter);
    expect((await fetch(`${stack.url}/health`)).status).toBe(200);

    process.kill(-group, 'SIGINT'); // what Ctrl-C in a terminal does
    await expectAllGone(stack, 'SIGINT');
  }, 360_000);

  it.each(['SIGTERM', 'SIGKILL'] as const)('leaves nothing running and every port free after %s of its process', async (signal) => {
    const stack = await startGcp();
    expect((await fetch(`${stack.url}/map`)).status).toBe(200);
    process.kill(startGcpProcess(stack.process.pid!), signal);
    await expectAllGone(stack, signal);
  }, 300_000);
});
