import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type StartedStack } from '../support/npm-start.js';
import { groupAlive } from '../support/process-group.js';

/** `npm start` never runs on half: a malformed request is answered, a dead part stops the whole stack. */
let dataDir: string;
let stack: StartedStack | undefined;

beforeAll(() => void (dataDir = mkdtempSync(join(tmpdir(), 'myevents-supervision-'))));
afterEach(async () => {
  await stack?.kill('SIGKILL');
  stack = undefined;
}, 60_000);
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** The pid (and parent pid) of the process of the stack (its process group) whose command line contains `marker`. */
function processOf(group: number, marker: string): { pid: number; ppid: number } {
  const lines = execFileSync('ps', ['-eo', 'pid=,ppid=,pgid=,args='], { encoding: 'utf8' }).split('\n');
  const line = lines.find((entry) => {
    const [, , pgid, ...args] = entry.trim().split(/\s+/);
    return Number(pgid) === group && args.join(' ').includes(marker);
  });
  if (!line) throw new Error(`no process of group ${group} runs ${marker}`);
  const [pid, ppid] = line.trim().split(/\s+/).map(Number);
  return { pid: pid!, ppid: ppid! };
}
const childPid = (group: number, marker: string): number => processOf(group, marker).pid;

describe('npm start supervision', () => {
  it('answers a gzip multipart request with 415 and our JSON error body, and keeps serving', async () => {
    stack = await startStack(dataDir);
    const response = await fetch(`${stack.baseUrl}/map`, {
      method: 'PUT',
      headers: { 'content-type': 'multipart/form-data; boundary=x', 'content-encoding': 'gzip' },
      body: 'x',
    });
    expect(response.status).toBe(415);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', requestId: expect.any(String) });

    // A request that is not HTTP at all.
    await new Promise<void>((done) => {
      const socket = connect(Number(new URL(stack!.baseUrl).port), '127.0.0.1', () => socket.end('GARBAGE / \u0000\r\n\r\n'));
      socket.on('close', () => done());
      socket.on('error', () => done());
      socket.resume();
    });

    expect((await fetch(`${stack.baseUrl}/map`)).status).toBe(200);
    expect(stack.process.exitCode).toBeNull();
  }, 240_000);

  it.each([
    ['sls offline', 'offline start', 'sls offline exited'],
    ['DynamoDB Local', 'DynamoDBLocal', 'DynamoDB Local exited'],
  ])('stops the whole stack with exit code 1 and a clear message when %s dies', async (_, marker, message) => {
    stack = await startStack(dataDir);
    const pid = stack.process.pid!;
    process.kill(childPid(pid, marker), 'SIGKILL');

    expect(await stack.exited).toBe(1);
    expect(stack.output()).toContain(`MyEvents stopped: ${message}`);
    // Nothing of the stack is left running (java, sls offline and its workers).
    await eventually('every process of the stack to exit', async () => (groupAlive(pid) ? undefined : true), 30_000);
  }, 240_000);

  it('leaves nothing running when the npm start process itself is killed', async () => {
    stack = await startStack(dataDir);
    const group = stack.process.pid!;
    // The node process running offline/aws/start.ts: the parent of sls offline and of java.
    process.kill(processOf(group, 'offline start').ppid, 'SIGKILL');
    await eventually('sls offline and DynamoDB Local to exit', async () => (groupAlive(group) ? undefined : true), 30_000);
  }, 240_000);
});
