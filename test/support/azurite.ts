import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { QueueServiceClient } from '@azure/storage-queue';
import { freePort } from '../../offline/dynamodb-local.js';
import { stopProcessGroup } from './process-group.js';

/** Azurite's well-known development account (documented by Microsoft; not a secret). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteQueue {
  connectionString: string;
  service: QueueServiceClient;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 20_000;
const mainPath = createRequire(import.meta.url).resolve('azurite/dist/src/queue/main.js');

/**
 * Starts Azurite's queue service on a free loopback port, in memory, without telemetry (it would try
 * to reach the vendor), in a process group of its own; resolves once it listens.
 */
export async function startAzuriteQueue(): Promise<AzuriteQueue> {
  const port = await freePort();
  const args = [mainPath, '--queueHost', '127.0.0.1', '--queuePort', String(port), '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry'];
  const child: ChildProcess = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`Azurite did not start within ${STARTUP_TIMEOUT_MS} ms:\n${output}`)), STARTUP_TIMEOUT_MS);
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4_000);
      if (output.includes('successfully listens')) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`Azurite exited with ${code}:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stopProcessGroup(child);
    throw error;
  });
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};QueueEndpoint=http://127.0.0.1:${port}/${ACCOUNT};`;
  return { connectionString, service: QueueServiceClient.fromConnectionString(connectionString), stop: () => stopProcessGroup(child) };
}
