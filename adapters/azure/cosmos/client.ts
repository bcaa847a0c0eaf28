import { Agent } from 'node:https';
import { CosmosClient } from '@azure/cosmos';

export interface CosmosSettings {
  endpoint: string;
  key: string;
  /** Local servers (the Cosmos DB emulator, cosmosdb-server) answer with a self-signed certificate. */
  allowSelfSignedCertificate?: boolean;
}

/**
 * A Cosmos DB client for the repositories. Endpoint discovery is off for local servers, which answer
 * only on the address they were started on (the SDK would otherwise follow the account's regions).
 */
export function createCosmosClient(settings: CosmosSettings): CosmosClient {
  const local = settings.allowSelfSignedCertificate === true;
  return new CosmosClient({
    endpoint: settings.endpoint,
    key: settings.key,
    ...(local ? { agent: new Agent({ rejectUnauthorized: false }), connectionPolicy: { enableEndpointDiscovery: false } } : {}),
  });
}
