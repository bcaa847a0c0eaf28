import { createRequire } from 'node:module';
import type { CosmosClient } from '@azure/cosmos';
import { createCosmosClient } from '../../adapters/azure/cosmos/client.js';
import { freePort } from '../../offline/shared/ports.js';
import { stopProcessGroup } from '../../offline/shared/process-group.js';
import { startEngine } from './engine-start.js';
import { spawnNodeUntilReady } from './process-group.js';

/** Any key works with cosmosdb-server; this is the Cosmos DB emulator's well-known one, so clients sign requests as usual. */
export const LOCAL_COSMOS_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

export interface CosmosServer {
  endpoint: string;
  client: CosmosClient;
  stop(): Promise<void>;
}

const cliPath = createRequire(import.meta.url).resolve('@vercel/cosmosdb-server/lib/cli.js');

/**
 * Starts @vercel/cosmosdb-server (HTTPS with a self-signed certificate, or plain HTTP with `tls: false`) on a free loopback port in a process group of
 * its own, and resolves once it says it is ready.
 */
export const startCosmosServer = (options: { tls?: boolean } = {}): Promise<CosmosServer> => startEngine('cosmosdb-server', () => startServer(options));

async function startServer(options: { tls?: boolean }): Promise<CosmosServer> {
  const tls = options.tls !== false;
  const port = await freePort();
  const args = [cliPath, '-p', String(port), '--host', '127.0.0.1', ...(tls ? [] : ['--no-ssl'])];
  const child = await spawnNodeUntilReady('cosmosdb-server', args, 'Ready to accept');
  const endpoint = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  const client = createCosmosClient({ endpoint, key: LOCAL_COSMOS_KEY, allowSelfSignedCertificate: tls });
  return {
    endpoint,
    client,
    stop: async () => {
      client.dispose();
      await stopProcessGroup(child);
    },
  };
}
