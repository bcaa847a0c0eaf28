import { readFileSync } from 'node:fs';
import azf from '@azure/functions';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTAINERS, ensureContainers } from '../../../adapters/azure/cosmos/containers.js';
import { SETTINGS } from '../../../adapters/azure/environment.js';
import { functionCatalogue, functionNames, QUEUE_MAX_DELIVERIES, STREAM_MAX_RETRIES, type QueueName } from '../../../functions/catalogue.js';
import { invocationContext } from '../../support/azure-context.js';
import { recordRegistrations, type Registration } from '../../support/azure-registrations.js';
import { LOCAL_COSMOS_KEY, startCosmosServer, type CosmosServer } from '../../support/cosmosdb-server.js';
import { ADMIN_AUTHORIZATION } from '../../support/tokens.js';

/**
 * The Azure entry modules exactly as the host loads them (adapters/azure/functions/*.ts): their own
 * Cosmos DB repositories, configured from app settings, against cosmosdb-server (plain HTTP: a
 * connection string gives the SDK no way to accept a self-signed certificate).
 */
const ENTRY_DIR = '../../../adapters/azure/functions';
const ENTRY_MODULES = ['events-api', 'bookings-api', 'players-api', 'events-outbox', 'bookings-outbox', 'place-players', 'bookings-consumer', 'events-consumer'];

/** The function catalogue (functions/catalogue.ts) as Azure names each trigger and its source. */
function azureCatalogue(): { name: string; kind: string; source?: string }[] {
  const kindOf = { http: 'http', queue: 'storageQueue', 'change-stream': 'cosmosDB' } as const;
  const queueSetting: Record<QueueName, string> = { bookings: `%${SETTINGS.bookingsQueue}%`, events: `%${SETTINGS.eventsQueue}%` };
  return Object.entries(functionCatalogue).map(([name, spec]) => {
    const source = spec.trigger === 'queue' ? queueSetting[spec.queue] : spec.trigger === 'change-stream' ? CONTAINERS[spec.store] : undefined;
    return { name, kind: kindOf[spec.trigger], ...(source === undefined ? {} : { source }) };
  });
}
let server: CosmosServer | undefined;
let registrations: Registration[] = [];

beforeAll(async () => {
  server = await startCosmosServer({ tls: false });
  const database = `entries-${Date.now()}`;
  await ensureContainers(server.client, database);
  vi.stubEnv('COSMOS_CONNECTION', `AccountEndpoint=${server.endpoint}/;AccountKey=${LOCAL_COSMOS_KEY};`);
  vi.stubEnv('COSMOS_DATABASE', database);
  // Queue clients connect on first send only; the HTTP tests below send nothing.
  vi.stubEnv('QUEUE_CONNECTION', 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;');
  vi.stubEnv('BOOKINGS_QUEUE', 'bookings');
  vi.stubEnv('EVENTS_QUEUE', 'events');
  registrations = await recordRegistrations(ENTRY_MODULES.map((name) => `${ENTRY_DIR}/${name}.js`));
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
    headers: { 'content-type': 'application/json', authorization: ADMIN_AUTHORIZATION },
    ...(body === undefined ? {} : { body: { string: JSON.stringify(body) } }),
  });
  const handler = registered(name).options.handler as (request: InstanceType<typeof azf.HttpRequest>, context: ReturnType<typeof invocationContext>) => Promise<{ status?: number; body?: unknown }>;
  const response = await handler(request, invocationContext({ functionName: name }));
  return { status: response.status, body: typeof response.body === 'string' ? JSON.parse(response.body) : undefined };
}

describe('Azure entry modules', () => {
  it('register every function of the AWS catalogue, with the matching trigger on the matching source', () => {
    const catalogue = azureCatalogue();
    expect(catalogue).toHaveLength(functionNames.length);
    const onAzure = registrations.map(({ kind, name, options }) => {
      const source = options['containerName'] ?? options['queueName'];
      return { name, kind, ...(source === undefined ? {} : { source }) };
    });
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(onAzure.sort(byName)).toEqual(catalogue.sort(byName));
  });

  it("fail as the catalogue says: a queue message is dequeued at most the catalogue's deliveries, a change-feed batch retried its retries", () => {
    const host = JSON.parse(readFileSync(new URL('../../../host.json', import.meta.url), 'utf8')) as { extensions: { queues: { maxDequeueCount: number } } };
    expect(host.extensions.queues.maxDequeueCount).toBe(QUEUE_MAX_DELIVERIES);
    const changeFeeds = registrations.filter((registration) => registration.kind === 'cosmosDB');
    expect(changeFeeds.map((registration) => registration.options['retry'])).toEqual(changeFeeds.map(() => expect.objectContaining({ maxRetryCount: STREAM_MAX_RETRIES })));
  });

  it('register the HTTP functions as anonymous, the change-feed functions each with a lease prefix of its own', () => {
    expect(registrations.filter((registration) => registration.kind === 'http').map((registration) => registration.options['authLevel'])).toEqual(['anonymous', 'anonymous', 'anonymous']);
    const prefixes = registrations.filter((registration) => registration.kind === 'cosmosDB').map((registration) => registration.options['leaseContainerPrefix']);
    expect(new Set(prefixes).size).toBe(3);
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
