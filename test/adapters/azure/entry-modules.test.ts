import { readFileSync } from 'node:fs';
import azf from '@azure/functions';
import YAML from 'yaml';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ensureContainers } from '../../../adapters/azure/cosmos/containers.js';
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

/** The AWS catalogue (serverless.yml): each function's trigger, and the table or queue it reads, as Azure names them. */
function awsCatalogue(): { name: string; kind: string; source?: string }[] {
  // CloudFormation tags (!GetAtt) are read as plain strings: only their text matters here.
  const config = YAML.parse(readFileSync(new URL('../../../serverless.yml', import.meta.url), 'utf8'), { logLevel: 'silent' }) as {
    functions: Record<string, { events: Record<string, unknown>[] }>;
  };
  const azureTrigger: Record<string, string> = { httpApi: 'http', sqs: 'storageQueue', stream: 'cosmosDB' };
  const azureSource: Record<string, string> = { EventsTable: 'events', BookingsTable: 'bookings', PlayersTable: 'players', BookingsQueue: '%BOOKINGS_QUEUE%', EventsQueue: '%EVENTS_QUEUE%' };
  return Object.entries(config.functions).map(([name, definition]) => {
    const [trigger, options] = Object.entries(definition.events[0] ?? {})[0] ?? [];
    const arn = JSON.stringify((options as { arn?: unknown } | undefined)?.arn ?? '');
    const source = Object.keys(azureSource).find((resource) => arn.includes(resource));
    return { name, kind: azureTrigger[String(trigger)] ?? String(trigger), ...(source === undefined ? {} : { source: azureSource[source] }) };
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
    const catalogue = awsCatalogue();
    expect(catalogue).toHaveLength(8);
    const onAzure = registrations.map(({ kind, name, options }) => {
      const source = options['containerName'] ?? options['queueName'];
      return { name, kind, ...(source === undefined ? {} : { source }) };
    });
    const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
    expect(onAzure.sort(byName)).toEqual(catalogue.sort(byName));
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
