import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '../support/npm-start.js';
import { describeSocketFuzz } from '../support/socket-fuzz-suite.js';

/**
 * `npm start` as a user runs it (its edge in front of sls offline, DynamoDB Local, local SQS) under the
 * hostile generators and the raw cases, through the socket people connect to (issue 18: one request to
 * it once ended the whole stack). 300 per route, as the issue asks of each engine-backed stack.
 */
describeSocketFuzz(
  'npm start',
  async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'myevents-socket-fuzz-'));
    const stack = await startStack(dataDir);
    return {
      baseUrl: stack.baseUrl,
      running: () => stack.process.exitCode === null && stack.process.signalCode === null,
      output: stack.output,
      stop: async () => {
        await stack.kill('SIGTERM');
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  },
  300,
);
