/**
 * Local HTTP throughput with autocannon (bounded: DURATION seconds per server, 10 connections), one
 * server at a time on this machine: a plain node hello-world server (the ceiling), memory mode
 * (`npm run start:memory`) and the `npm start` stack (edge proxy → sls offline → DynamoDB Local).
 * Every server answers the same request, `GET /events?limit=10` on an empty store (the hello-world one
 * answers `[]` at once). Servers are child processes, stopped by process group.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { startLocalStack } from '../offline/aws/local-stack.js';
import { freePort } from '../offline/shared/ports.js';
import type { Summary } from './stats.js';

export interface ThroughputRow {
  name: string;
  /** Requests per second: median and p10–p90 over the seconds of the run. */
  requests: Summary;
  latencyMedianMs: number;
  latencyP90Ms: number;
  non2xx: number;
  errors: number;
}

const DURATION = Number(process.env['BENCH_THROUGHPUT_SECONDS'] ?? 5);
const PATH = '/events?limit=10';

async function untilAnswers(url: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopGroup(child: ChildProcess): void {
  if (child.pid !== undefined && child.exitCode === null) {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

async function load(name: string, url: string): Promise<ThroughputRow> {
  await fetch(url); // warm
  const result = await autocannon({ url, connections: 10, duration: DURATION });
  return {
    name,
    requests: { median: result.requests.p50, p10: result.requests.p10, p90: result.requests.p90 },
    latencyMedianMs: result.latency.p50,
    latencyP90Ms: result.latency.p90,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function childServer(name: string, command: string[], env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, command, { env: { ...process.env, ...env, PORT: String(port) }, stdio: 'ignore', detached: true });
  const url = `http://127.0.0.1:${port}${PATH}`;
  await untilAnswers(url).catch((error: unknown) => {
    stopGroup(child);
    throw new Error(`${name}: ${String(error)}`);
  });
  return { url, child };
}

export async function measureThroughput(): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  const hello = await childServer('hello world', ['-e', `require('node:http').createServer((q, s) => { s.setHeader('content-type', 'application/json'); s.end('[]'); }).listen(Number(process.env.PORT), '127.0.0.1')`], {});
  try {
    rows.push(await load('plain node hello-world server', hello.url));
  } finally {
    stopGroup(hello.child);
  }
  // Memory mode logs one line per request, as `npm run start:memory` does, into /dev/null.
  const memory = await childServer('memory mode', ['--import', 'tsx', 'scripts/start-in-memory.ts'], {});
  try {
    rows.push(await load('memory mode (npm run start:memory)', memory.url));
  } finally {
    stopGroup(memory.child);
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'myevents-bench-'));
  const [httpPort, lambdaPort, dynamodbPort, sqsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const stack = await startLocalStack({ httpPort, lambdaPort, dynamodbPort, sqsPort, dataDir, output: 'capture' });
  try {
    rows.push(await load('npm start (edge proxy, sls offline, DynamoDB Local)', `${stack.baseUrl}${PATH}`));
  } finally {
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return rows;
}
