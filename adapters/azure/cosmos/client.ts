import { Agent as HttpsAgent } from 'node:https';
import { CosmosClient } from '@azure/cosmos';

export interface CosmosSettings {
  endpoint: string;
  key: string;
  /** Local servers (the Cosmos DB emulator, cosmosdb-server) answer with a self-signed certificate. */
  allowSelfSignedCertificate?: boolean;
}

/** The parts of a Cosmos DB connection string (`AccountEndpoint=…;AccountKey=…;`) the client needs. */
export function parseConnectionString(connectionString: string): CosmosSettings {
  const parts = new Map(
    connectionString
      .split(';')
      .filter((part) => part.includes('='))
      .map((part) => [part.slice(0, part.indexOf('=')).trim().toLowerCase(), part.slice(part.indexOf('=') + 1).trim()] as const),
  );
  const endpoint = parts.get('accountendpoint');
  const key = parts.get('accountkey');
  if (!endpoint || !key) throw new TypeError('A Cosmos DB connection string needs AccountEndpoint and AccountKey');
  return { endpoint, key };
}

/**
 * A Cosmos DB client for the repositories. For a plain-HTTP endpoint (a local server started without
 * TLS) the SDK picks its own HTTP agent, and only if none is given. Endpoint discovery is off for
 * local servers, which answer only on the address they were started on.
 */
export function createCosmosClient(settings: CosmosSettings): CosmosClient {
  const plainHttp = settings.endpoint.startsWith('http://');
  const local = plainHttp || settings.allowSelfSignedCertificate === true;
  const agent = !plainHttp && settings.allowSelfSignedCertificate === true ? new HttpsAgent({ keepAlive: true, rejectUnauthorized: false }) : undefined;
  return new CosmosClient({
    endpoint: settings.endpoint,
    key: settings.key,
    ...(agent === undefined ? {} : { agent }),
    ...(local ? { connectionPolicy: { enableEndpointDiscovery: false } } : {}),
  });
}
