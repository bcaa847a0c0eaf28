import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { namesFromEnv, type TopicNames } from '../adapters/gcp/environment.js';
import type { CollectionNames } from '../adapters/gcp/firestore/client.js';
import { firestoreTriggerPatterns, pubSubTriggerTopics } from '../adapters/gcp/registrations.js';
import { functionCatalogue, QUEUE_MAX_DELIVERIES, type FunctionName } from '../functions/catalogue.js';
import { GCP_FUNCTIONS } from './build-gcp.js';

/**
 * `npm run deploy:gcp -- --region europe-west1 [--dry-run]`: one `gcloud functions deploy` per function
 * of the catalogue (functions/catalogue.ts), its trigger and source taken from the same registrations
 * `npm run start:gcp` uses, so the deployed list cannot drift from AWS and Azure (a test checks it).
 * Run `npm run build:gcp` first; the one-time setup (database, indexes, topics) is in the README.
 */

export interface GcpDeployment {
  region: string;
  collections: CollectionNames;
  topics: TopicNames;
  /** The token settings the HTTP functions check callers against (adapters/shared/auth.ts). */
  auth: { issuer: string; audience: string; jwksUrl: string };
}

/** The gcloud argument lists that deploy every function, in catalogue order. */
export function gcpDeployCommands({ region, collections, topics, auth }: GcpDeployment): string[][] {
  const documentPatterns = firestoreTriggerPatterns(collections);
  const consumedTopics = pubSubTriggerTopics(topics);
  return (Object.keys(functionCatalogue) as FunctionName[]).map((name) => {
    const base = ['functions', 'deploy', name, '--gen2', '--runtime=nodejs22', `--region=${region}`, `--source=dist/gcp/${name}`, `--entry-point=${name}`];
    if (GCP_FUNCTIONS[name].signatureType === 'http') {
      // Open to the internet as API Gateway is: our code checks the bearer token of every protected route.
      const authSettings = `--set-env-vars=AUTH_ISSUER=${auth.issuer},AUTH_AUDIENCE=${auth.audience},AUTH_JWKS_URL=${auth.jwksUrl}`;
      return [...base, '--trigger-http', '--allow-unauthenticated', authSettings];
    }
    if (name in documentPatterns) {
      const pattern = documentPatterns[name as keyof typeof documentPatterns];
      return [
        ...base,
        `--trigger-location=${region}`,
        '--trigger-event-filters=type=google.cloud.firestore.document.v1.written',
        '--trigger-event-filters=database=(default)',
        `--trigger-event-filters-path-pattern=document=${pattern}`,
        '--retry',
      ];
    }
    if (name in consumedTopics) return [...base, `--trigger-topic=${consumedTopics[name as keyof typeof consumedTopics]}`, '--retry'];
    throw new Error(`${name} has no GCP trigger: add it to adapters/gcp/registrations.ts`);
  });
}

/** What Eventarc leaves to do by hand: its subscriptions get their dead-letter topics once they exist. */
export const deadLetterInstructions = (topics: TopicNames): string[] =>
  Object.values(topics).map(
    (topic) => `gcloud pubsub subscriptions update <the ${topic} trigger's subscription> --dead-letter-topic=${topic}-dead-letter --max-delivery-attempts=${QUEUE_MAX_DELIVERIES}`,
  );

/** An argument as a shell reads it back, so a printed (--dry-run) command can be pasted: `(default)` and `{documentId}` quoted. */
const shellQuoted = (arg: string): string => (/^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", "'\\''")}'`);

// Run as a script (npm run deploy:gcp), not when imported by a test.
if (process.argv[1]?.endsWith('deploy-gcp.ts')) {
  const { values } = parseArgs({ options: { region: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
  if (values.region === undefined) {
    console.error('Name the region: npm run deploy:gcp -- --region europe-west1 [--dry-run]');
    process.exit(2);
  }
  const { collections, topics } = namesFromEnv();
  const setting = (name: string): string => {
    const value = process.env[name];
    if (value !== undefined && value !== '') return value;
    if (values['dry-run']) return `$${name}`;
    console.error(`Set ${name} (with AUTH_ISSUER, AUTH_AUDIENCE and AUTH_JWKS_URL): the HTTP functions check tokens against them (README, Authentication).`);
    process.exit(2);
  };
  const auth = { issuer: setting('AUTH_ISSUER'), audience: setting('AUTH_AUDIENCE'), jwksUrl: setting('AUTH_JWKS_URL') };
  for (const args of gcpDeployCommands({ region: values.region, collections, topics, auth })) {
    console.log(['gcloud', ...args].map(shellQuoted).join(' '));
    if (values['dry-run']) continue;
    const result = spawnSync('gcloud', args, { stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
  console.log('\nThen give each consumer subscription its dead-letter topic (find them with `gcloud eventarc triggers list`):');
  for (const line of deadLetterInstructions(topics)) console.log(`  ${line}`);
}
