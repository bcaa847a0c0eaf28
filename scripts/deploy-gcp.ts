import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { namesFromEnv, type TopicNames } from '../adapters/gcp/environment.js';
import type { CollectionNames } from '../adapters/gcp/firestore/client.js';
import { firestoreTriggerPatterns, pubSubTriggerTopics } from '../adapters/gcp/trigger-sources.js';
import { functionCatalogue, QUEUE_MAX_DELIVERIES, type FunctionName } from '../functions/catalogue.js';
import { httpFunctions } from '../functions/routes.js';
import { GATEWAY_CONFIG_FILE } from '../infra/gcp/api-gateway.js';
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
    throw new Error(`${name} has no GCP trigger: give it a trigger in functions/catalogue.ts`);
  });
}

/**
 * What Eventarc leaves to do by hand, as shell lines: each consumer trigger's subscription (Eventarc names
 * it) gets its dead-letter topic, and the Pub/Sub service agent the roles dead-lettering needs (publish to
 * the dead-letter topic, subscribe to the subscription). Needs $REGION and $PROJECT_NUMBER, which the script prints first.
 */
export const deadLetterCommands = (topics: TopicNames): string[] => {
  const agent = 'serviceAccount:service-$PROJECT_NUMBER@gcp-sa-pubsub.iam.gserviceaccount.com';
  const consumers = pubSubTriggerTopics(topics);
  return (Object.entries(consumers) as [string, string][]).flatMap(([name, topic]) => {
    const variable = `${name.replace(/[A-Z]/g, '_$&').toUpperCase()}_SUBSCRIPTION`;
    return [
      `${variable}="$(gcloud eventarc triggers describe "$(gcloud functions describe ${name} --gen2 --region="$REGION" --format='value(eventTrigger.trigger)')" --format='value(transport.pubsub.subscription)')"`,
      `gcloud pubsub subscriptions update "$${variable}" --dead-letter-topic=${topic}-dead-letter --max-delivery-attempts=${QUEUE_MAX_DELIVERIES}`,
      `gcloud pubsub topics add-iam-policy-binding ${topic}-dead-letter --member="${agent}" --role=roles/pubsub.publisher`,
      `gcloud pubsub subscriptions add-iam-policy-binding "$${variable}" --member="${agent}" --role=roles/pubsub.subscriber`,
    ];
  });
};

/** The API Gateway's names: one API, one gateway; each config is new (configs cannot be changed), named by the time. */
export const GATEWAY = { api: 'myevents', gateway: 'myevents' } as const;

/**
 * One base URL for the HTTP functions, as shell lines: read each function's URL, write the gateway config from the
 * route table (npm run build:gcp-gateway, infra/gcp/api-gateway.ts), create an API config from it, then create the
 * gateway or point it at the new config. Needs $REGION (API Gateway runs in some regions only: README).
 */
export const gatewayCommands = (): string[] => {
  const names = Object.keys(httpFunctions);
  const variable = (name: string): string => `${name.replace(/[A-Z]/g, '_$&').toUpperCase()}_URL`;
  const where = `--api=${GATEWAY.api} --api-config="$API_CONFIG" --location="$REGION"`;
  return [
    ...names.map((name) => `${variable(name)}="$(gcloud functions describe ${name} --gen2 --region="$REGION" --format='value(serviceConfig.uri)')"`),
    `npm run build:gcp-gateway -- ${names.map((name) => `--${name}="$${variable(name)}"`).join(' ')}`,
    `API_CONFIG="${GATEWAY.api}-$(date -u +%Y%m%d-%H%M%S)"`,
    `gcloud api-gateway api-configs create "$API_CONFIG" --api=${GATEWAY.api} --openapi-spec=${GATEWAY_CONFIG_FILE}`,
    `if gcloud api-gateway gateways describe ${GATEWAY.gateway} --location="$REGION" >/dev/null 2>&1; then gcloud api-gateway gateways update ${GATEWAY.gateway} ${where}; else gcloud api-gateway gateways create ${GATEWAY.gateway} ${where}; fi`,
    `echo "The API's base URL: https://$(gcloud api-gateway gateways describe ${GATEWAY.gateway} --location="$REGION" --format='value(defaultHostname)')"`,
  ];
};

/**
 * An argument as a shell reads it back, so a printed (--dry-run) command runs as printed: plain words as
 * they are, a `$NAME` placeholder (a setting left to the shell) in double quotes so the shell expands it,
 * anything else (`(default)`, `{documentId}`) in single quotes.
 */
export const shellWord = (arg: string): string => {
  if (/^[\w@%+=:,./-]+$/.test(arg)) return arg;
  if (/\$[A-Z_]/.test(arg)) return `"${arg.replace(/["\\`]/g, '\\$&')}"`;
  return `'${arg.replaceAll("'", "'\\''")}'`;
};

// Run as a script (npm run deploy:gcp), not when imported by a test.
if (process.argv[1]?.endsWith('deploy-gcp.ts')) {
  const { values } = parseArgs({ options: { region: { type: 'string' }, 'dry-run': { type: 'boolean', default: false } } });
  if (values.region === undefined) {
    console.error('Name the region: npm run deploy:gcp -- --region europe-west1 [--dry-run]');
    process.exit(2);
  }
  const { collections, topics } = namesFromEnv();
  const missing = ['AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL'].filter((name) => !process.env[name]);
  if (missing.length > 0 && !values['dry-run']) {
    console.error(`Set ${missing.join(', ')}: the HTTP functions check tokens against them (README, Authentication); without them every protected route answers 500.`);
    process.exit(2);
  }
  // A dry run without a setting prints "$NAME", for the shell that runs the printed lines to fill in.
  const setting = (name: string): string => process.env[name] || `$${name}`;
  const auth = { issuer: setting('AUTH_ISSUER'), audience: setting('AUTH_AUDIENCE'), jwksUrl: setting('AUTH_JWKS_URL') };
  for (const args of gcpDeployCommands({ region: values.region, collections, topics, auth })) {
    console.log(['gcloud', ...args].map(shellWord).join(' '));
    if (values['dry-run']) continue;
    const result = spawnSync('gcloud', args, { stdio: 'inherit' });
    if (result.status !== 0) process.exit(result.status ?? 1);
  }
  console.log("\n# Then give each consumer's subscription (Eventarc made it) its dead-letter topic:");
  console.log(`REGION=${shellWord(values.region)}`);
  console.log(`PROJECT_NUMBER="$(gcloud projects describe "$(gcloud config get-value project)" --format='value(projectNumber)')"`);
  for (const line of deadLetterCommands(topics)) console.log(line);
  console.log('\n# Then serve the HTTP functions at one base URL (API Gateway, its config generated from the route table):');
  for (const line of gatewayCommands()) console.log(line);
}
