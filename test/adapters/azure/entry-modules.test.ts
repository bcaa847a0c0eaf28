import azf from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureContainers } from '../../../adapters/azure/cosmos/containers.js';
import { invocationContext } from '../../support/azure-context.js';
import { recordRegistrations, type Registration } from '../../support/azure-registrations.js';
import { LOCAL_COSMOS_KEY, startCosmosServer, type CosmosServer } from '../../support/cosmosdb-server.js';

/**
 * The Azure entry modules exactly as the host loads them (adapters/azure/functions/*.ts): their own
 * Cosmos DB repositories, configured from app settings, against cosmosdb-server (plain HTTP: a
 * connection string gives the SDK no way to accept a self-signed certificate).
 */
const ENTRY_DIR = '../../../adapters/azure/functions';
let server: CosmosServer | undefined;
let registrations: Registration[] = [];

beforeAll(async () => {
  server = await startCosmosServer({ tls: false });
  const database = `entries-${Date.now()}`;
  await ensureContainers(server.client, database);
  vi.stubEnv('COSMOS_CONNECTION', `AccountEndpoint=${server.endpoint}/;AccountKey=${LOCAL_COSMOS_KEY};`);
  vi.stubEnv('COSMOS_DATABASE', database);
  registrations = await recordRegistrations(['events-api', 'bookings-api', 'players-api'].map((name) => `${ENTRY_DIR}/${name}.js`));
}, 30_000);

afterAll(async () => {
  vi.unstubAllEnvs();
  await server?.stop();
}, 15_000);

const registered = (name: string): Registration => {
  const registration = registrations.find((candidate) => candidate.name === name);
  if (registration === undefined) throw new Error(`${name} is not registered`);
  return registration;
};

async function call(name: string, method: string, path: string, body?: unknown) {
  const request = new azf.HttpRequest({
    method,
    url: `http://localhost:7071${path}`,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
  });
  const handler = registered(name).options.handler as (request: InstanceType<typeof azf.HttpRequest>, context: ReturnType<typeof invocationContext>) => Promise<{ status?: number; body?: unknown }>;
  const response = await handler(request, invocationContext({ functionName: name }));
  return { status: response.status, body: typeof response.body === 'string' ? JSON.parse(response.body) : undefined };
}

describe('Azure HTTP entry modules', () => {
  it('register eventsApi, bookingsApi and playersApi as anonymous HTTP functions', () => {
    expect(registrations.map(({ kind, name, options }) => ({ kind, name, authLevel: options['authLevel'] }))).toEqual([
      { kind: 'http', name: 'eventsApi', authLevel: 'anonymous' },
      { kind: 'http', name: 'bookingsApi', authLevel: 'anonymous' },
      { kind: 'http', name: 'playersApi', authLevel: 'anonymous' },
    ]);
  });

  it('store through Cosmos DB: a location created by eventsApi is read back, a player created by playersApi is found', async () => {
    const created = await call('eventsApi', 'POST', '/locations', { name: 'Arena', address: 'Main St 1', country: 'DE', openTime: 8, closeTime: 23, halls: [{ name: 'A', location: 'ground floor', capacity: 2 }] });
    expect(created.status).toBe(201);
    expect(await call('eventsApi', 'GET', `/locations/${created.body.id}`)).toEqual({ status: 200, body: created.body });
    const player = await call('playersApi', 'POST', '/players', { name: 'Mario' });
    expect(await call('playersApi', 'GET', `/players/${player.body.id}`)).toEqual({ status: 200, body: { id: player.body.id, name: 'Mario', position: null } });
    expect((await call('bookingsApi', 'GET', '/events/unknown/bookings')).status).toBe(404);
  });
});
