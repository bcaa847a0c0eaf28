import { getFunction } from '@google-cloud/functions-framework/testing';
import { describe, expect, it } from 'vitest';
import { namesFromEnv } from '../../../adapters/gcp/environment.js';
import { UndecodableDocumentEventError } from '../../../adapters/gcp/change-stream-trigger.js';
import { firestoreTriggerPatterns, pubSubTriggerTopics } from '../../../adapters/gcp/trigger-sources.js';
import { UnexpectedCloudEventError } from '../../../adapters/gcp/queue-trigger.js';
import { functionCatalogue, functionNames, functionsTriggeredBy, type FunctionName, type FunctionSpec } from '../../../functions/catalogue.js';
import { httpFunctions } from '../../../functions/routes.js';
import { GCP_FUNCTIONS } from '../../../scripts/build-gcp.js';
import { gcpDeployCommands } from '../../../scripts/deploy-gcp.js';

/**
 * The entry modules exactly as deployed (adapters/gcp/functions/*.ts): importing one registers its
 * function with functions-framework under the name every platform uses. Clients connect lazily, so
 * importing needs no emulator.
 */
const ENTRIES = {
  eventsApi: '../../../adapters/gcp/functions/events-api.js',
  bookingsApi: '../../../adapters/gcp/functions/bookings-api.js',
  playersApi: '../../../adapters/gcp/functions/players-api.js',
  bookingsConsumer: '../../../adapters/gcp/functions/bookings-consumer.js',
  eventsConsumer: '../../../adapters/gcp/functions/events-consumer.js',
  eventsOutbox: '../../../adapters/gcp/functions/events-outbox.js',
  bookingsOutbox: '../../../adapters/gcp/functions/bookings-outbox.js',
  placePlayers: '../../../adapters/gcp/functions/place-players.js',
} as const;

describe('GCP entry modules', () => {
  it.each(Object.entries(ENTRIES))('%s registers itself under its own name and exports the same handler', async (name, path) => {
    // Act
    const module = (await import(path)) as Record<string, unknown>;

    // Assess
    expect(typeof module[name]).toBe('function');
    expect(getFunction(name)).toBe(module[name]);
  });

  it('registers a function for every HTTP function of the route table', async () => {
    for (const path of Object.values(ENTRIES)) await import(path);
    expect(Object.keys(httpFunctions).filter((name) => getFunction(name) === undefined)).toEqual([]);
  });
});

describe('GCP functions against the catalogue (functions/catalogue.ts)', () => {
  const { collections, topics } = namesFromEnv({});
  const byTrigger = (trigger: FunctionSpec['trigger']): string[] => functionsTriggeredBy(trigger).sort();

  it('builds exactly the catalogue, HTTP functions with the http signature and the others as CloudEvent functions', () => {
    expect(Object.keys(GCP_FUNCTIONS).sort()).toEqual([...functionNames].sort());
    for (const name of functionNames) expect(GCP_FUNCTIONS[name].signatureType, name).toBe(functionCatalogue[name].trigger === 'http' ? 'http' : 'cloudevent');
  });

  it('registers each function with its trigger kind: HTTP, Pub/Sub for queues, Firestore for change streams', async () => {
    for (const path of Object.values(ENTRIES)) await import(path);
    // An HTTP function takes (request, response); a CloudEvent function tells its kind by the error it throws for an event of neither kind.
    const kindOf = async (name: string): Promise<string> => {
      const registered = getFunction(name) as ((...args: unknown[]) => Promise<void>) | undefined;
      if (registered === undefined) return 'unregistered';
      if (registered.length === 2) return 'http';
      const error: unknown = await registered({ id: 'kind-probe', type: 'example.unknown.v1', specversion: '1.0', source: 'test' }).then(() => undefined, (thrown: unknown) => thrown);
      return error instanceof UnexpectedCloudEventError ? 'queue' : error instanceof UndecodableDocumentEventError ? 'change-stream' : 'unknown';
    };
    const names = (await Promise.all(functionNames.map(async (name) => [name, await kindOf(name)] as const)));
    const registeredAs = (kind: string): string[] => names.filter(([, registered]) => registered === kind).map(([name]) => name).sort();
    expect(registeredAs('http')).toEqual(byTrigger('http'));
    expect(registeredAs('queue')).toEqual(byTrigger('queue'));
    expect(registeredAs('change-stream')).toEqual(byTrigger('change-stream'));
  });

  it("listens to the catalogue's source: the store's collection, the queue's topic", () => {
    const sources = { ...firestoreTriggerPatterns(collections), ...pubSubTriggerTopics(topics) };
    const expected = Object.fromEntries(
      Object.entries(functionCatalogue).flatMap(([name, spec]) =>
        spec.trigger === 'change-stream' ? [[name, `${collections[spec.store]}/{documentId}`]] : spec.trigger === 'queue' ? [[name, topics[spec.queue]]] : [],
      ),
    );
    expect(sources).toEqual(expected);
  });

  it('deploys every function of the catalogue with its own trigger and retries (npm run deploy:gcp)', () => {
    const auth = { issuer: 'https://issuer.example/', audience: 'myevents', jwksUrl: 'https://issuer.example/jwks.json' };
    const commands = gcpDeployCommands({ region: 'europe-west1', collections, topics, auth });
    const deployed = commands.map((args) => ({ name: args[2], trigger: args.find((arg) => arg.startsWith('--trigger-')), retry: args.includes('--retry') }));
    expect(deployed).toEqual(
      functionNames.map((name) => {
        const spec = functionCatalogue[name];
        if (spec.trigger === 'http') return { name, trigger: '--trigger-http', retry: false };
        if (spec.trigger === 'queue') return { name, trigger: `--trigger-topic=${topics[spec.queue]}`, retry: true };
        return { name, trigger: '--trigger-location=europe-west1', retry: true };
      }),
    );
    for (const args of commands.filter((command) => command.includes('--trigger-http'))) {
      expect(args).toContain('--set-env-vars=AUTH_ISSUER=https://issuer.example/,AUTH_AUDIENCE=myevents,AUTH_JWKS_URL=https://issuer.example/jwks.json');
    }
    for (const args of commands.filter((command) => command.includes('--trigger-location=europe-west1'))) {
      const name = args[2] as FunctionName;
      expect(args).toContain(`--trigger-event-filters-path-pattern=document=${firestoreTriggerPatterns(collections)[name as keyof ReturnType<typeof firestoreTriggerPatterns>]}`);
    }
  });
});
