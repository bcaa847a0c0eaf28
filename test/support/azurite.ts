import { createRequire } from 'node:module';
import { QueueServiceClient } from '@azure/storage-queue';
import { freePort } from '../../offline/shared/ports.js';
import { stopProcessGroup } from '../../offline/shared/process-group.js';
import { startEngine } from './engine-start.js';
import { spawnNodeUntilReady } from './process-group.js';

/** Azurite's well-known development account (documented by Microsoft; not a secret). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

export interface AzuriteQueue {
  connectionString: string;
  service: QueueServiceClient;
  stop(): Promise<void>;
}

const mainPath = createRequire(import.meta.url).resolve('azurite/dist/src/queue/main.js');

/**
 * Starts Azurite's queue service on a free loopback port, in memory, without telemetry (it would try
 * to reach the vendor), in a process group of its own; resolves once it listens.
 */
export const startAzuriteQueue = (): Promise<AzuriteQueue> => startEngine('Azurite (queue service)', startAzurite);

async function startAzurite(): Promise<AzuriteQueue> {
  const port = await freePort();
  const args = [mainPath, '--queueHost', '127.0.0.1', '--queuePort', String(port), '--inMemoryPersistence', '--skipApiVersionCheck', '--disableTelemetry'];
  const child = await spawnNodeUntilReady('Azurite', args, 'successfully listens');
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};QueueEndpoint=http://127.0.0.1:${port}/${ACCOUNT};`;
  return { connectionString, service: QueueServiceClient.fromConnectionString(connectionString), stop: () => stopProcessGroup(child) };
}
