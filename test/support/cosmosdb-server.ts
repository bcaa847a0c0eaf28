import { spawn, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import type { CosmosClient } from '@azure/cosmos';
import { createCosmosClient } from '../../adapters/azure/cosmos/client.js';
import { freePort } from '../../offline/dynamodb-local.js';
import { stopProcessGroup } from './process-group.js';

/** Any key works with cosmosdb-server; this is the Cosmos DB emulator's well-known one, so clients sign requests as usual. */
export const LOCAL_COSMOS_KEY = 'C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==';

export interface CosmosServer {
  endpoint: string;
  client: CosmosClient;
  stop(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 20_000;
const cliPath = createRequire(import.meta.url).resolve('@vercel/cosmosdb-server/lib/cli.js');

/**
 * Starts @vercel/cosmosdb-server (HTTPS with a self-signed certificate, or plain HTTP with `tls: false`) on a free loopback port in a process group of
 * its own, and resolves once it says it is ready.
 */
export async function startCosmosServer(options: { tls?: boolean } = {}): Promise<CosmosServer> {
  const tls = options.tls !== false;
  const port = await freePort();
  const args = [cliPath, '-p', String(port), '--host', '127.0.0.1', ...(tls ? [] : ['--no-ssl'])];
  const child: ChildProcess = spawn(process.execPath, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  await new Promise<void>((ready, fail) => {
    const timer = setTimeout(() => fail(new Error(`cosmosdb-server did not start within ${STARTUP_TIMEOUT_MS} ms:\n${output}`)), STARTUP_TIMEOUT_MS);
    const keep = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-4_000);
      if (output.includes('Ready to accept')) {
        clearTimeout(timer);
        ready();
      }
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`cosmosdb-server exited with ${code}:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    await stopProcessGroup(child);
    throw error;
  });
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
