import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The feature × platform table of the README, declared here and checked by feature-matrix.test.ts:
 * every part of a cell says what ran it and cites the test files that show it; under `npm test` every
 * cited test must have run and passed in that very run (its vitest report). `npx tsx test/conformance/feature-matrix.ts --write`
 * rewrites the README's table from this declaration.
 */

export type Platform = 'aws' | 'azure' | 'gcp' | 'memory';
export const PLATFORM_TITLES: Record<Platform, string> = { aws: 'AWS Lambda', azure: 'Azure Functions', gcp: 'Google Cloud Functions', memory: 'memory mode' };

/**
 * What ran a part of a cell in `npm test`: an emulator of the platform's service (DynamoDB Local, local SQS,
 * sls offline, Azurite, Google's emulators, functions-framework); our own emulation of the platform's part
 * (code of ours that plays what the cloud does: offline/aws/serverless-plugin.mjs's event source mappings,
 * test/support/queue-host.ts's poison queue, the start:gcp relay's `--retry` redelivery, a change feed fed
 * by the test); the platform's real adapter and trigger shapes, in process (no engine); or nothing: it
 * exists only in the template or configuration, written to the platform's documentation.
 */
export type RanBy = 'emulator' | 'our-emulation' | 'in-process' | 'template';
const MARK: Record<RanBy, string> = { emulator: "✔ platform's emulator", 'our-emulation': '✔ our emulation', 'in-process': '✔ in process', template: '○ template only' };

/** One claim of a cell, with what ran it. */
export interface Part {
  what: string;
  ranBy: RanBy;
  /** Test files (from the repository root) whose tests show it, all of which must run and pass; required unless `template`. */
  tests?: string[];
}

/** A cell: one or more parts (a platform's behaviour is often part emulator, part ours). */
export type Cell = Part[];

export interface Feature {
  feature: string;
  cells: Record<Platform, Cell>;
}

const CONFORMANCE_HTTP = 'test/conformance/http.test.ts';
const CONFORMANCE_CHANGES = 'test/conformance/changes-and-messages.test.ts';
const OFFLINE_STACK = 'test/e2e/offline-stack.test.ts';
const GCP_STACK = 'test/gcp/gcp-stack.test.ts';
const PACKAGED = 'test/aws/serverless-package.test.ts';

export const FEATURES: Feature[] = [
  {
    feature: 'HTTP',
    cells: {
      aws: [
        { what: 'API Gateway HTTP API (2.0) and REST API (1.0) events into the Lambda handlers', ranBy: 'in-process', tests: [CONFORMANCE_HTTP] },
        { what: '`sls offline`', ranBy: 'emulator', tests: [OFFLINE_STACK] },
      ],
      azure: [{ what: '`app.http`, every method, route templates (no Functions host)', ranBy: 'in-process', tests: [CONFORMANCE_HTTP, 'test/adapters/azure/entry-modules.test.ts'] }],
      gcp: [{ what: 'functions-framework (`--signature-type=http`)', ranBy: 'emulator', tests: [CONFORMANCE_HTTP, GCP_STACK] }],
      memory: [{ what: 'node HTTP server, one route table', ranBy: 'in-process', tests: [CONFORMANCE_HTTP, 'test/integration/local-server.test.ts'] }],
    },
  },
  {
    feature: 'JWT on writes, owners (401/403)',
    cells: {
      aws: [
        { what: 'our check (`adapters/shared/auth.ts`)', ranBy: 'in-process', tests: [CONFORMANCE_HTTP] },
        { what: "the HTTP API's JWT authorizer in front of it", ranBy: 'template', tests: [PACKAGED] },
      ],
      azure: [{ what: 'our check (functions `anonymous` to the host)', ranBy: 'in-process', tests: [CONFORMANCE_HTTP] }],
      gcp: [{ what: 'our check (`--allow-unauthenticated` to Cloud Run)', ranBy: 'in-process', tests: [CONFORMANCE_HTTP] }],
      memory: [{ what: 'our check, trusting the development key (`npm run token`)', ranBy: 'in-process', tests: [CONFORMANCE_HTTP, 'test/unit/auth.test.ts'] }],
    },
  },
  {
    feature: 'Queue trigger',
    cells: {
      aws: [
        { what: 'SQS (local-aws-sqs)', ranBy: 'emulator', tests: ['test/offline/queue-poller.test.ts', OFFLINE_STACK] },
        { what: "batches of 10, Lambda's event source mapping (`offline/aws/queue-poller.ts`)", ranBy: 'our-emulation', tests: [CONFORMANCE_CHANGES, 'test/offline/queue-poller.test.ts'] },
      ],
      azure: [
        { what: 'Storage Queue (Azurite)', ranBy: 'emulator', tests: ['test/adapters/azure/storage-queue.test.ts'] },
        { what: "one message per invocation, the host's part (`test/support/queue-host.ts`)", ranBy: 'our-emulation', tests: [CONFORMANCE_CHANGES, 'test/adapters/azure/storage-queue.test.ts'] },
      ],
      gcp: [{ what: 'Pub/Sub push, one message per invocation', ranBy: 'emulator', tests: [CONFORMANCE_CHANGES, GCP_STACK] }],
      memory: [{ what: 'in-process queue, in order', ranBy: 'in-process', tests: ['test/integration/local-server.test.ts'] }],
    },
  },
  {
    feature: 'Change stream',
    cells: {
      aws: [
        { what: 'DynamoDB Streams (DynamoDB Local)', ranBy: 'emulator', tests: ['test/offline/dynamodb-stream-source.test.ts', OFFLINE_STACK] },
        { what: "in order, stops at a failed record: Lambda's stream mapping (`offline/aws/serverless-plugin.mjs`)", ranBy: 'our-emulation', tests: [CONFORMANCE_CHANGES, 'test/offline/stream-mapping.test.ts'] },
      ],
      azure: [{ what: 'Cosmos DB change feed (latest version; deletes as soft deletes), the feed fed by the test from cosmosdb-server', ranBy: 'our-emulation', tests: [CONFORMANCE_CHANGES, 'test/adapters/azure/cosmos-change-feed.test.ts'] }],
      gcp: [{ what: 'Firestore `document.v1.written` (protobuf)', ranBy: 'emulator', tests: [CONFORMANCE_CHANGES, GCP_STACK] }],
      memory: [{ what: 'in-process change log per table', ranBy: 'in-process', tests: ['test/integration/local-server.test.ts'] }],
    },
  },
  {
    feature: 'A poison message fails alone',
    cells: {
      aws: [{ what: 'partial batch response (`ReportBatchItemFailures`), honoured by our event source mapping', ranBy: 'our-emulation', tests: [CONFORMANCE_CHANGES, OFFLINE_STACK] }],
      azure: [{ what: 'one message per invocation', ranBy: 'in-process', tests: [CONFORMANCE_CHANGES] }],
      gcp: [{ what: 'one message per invocation', ranBy: 'in-process', tests: [CONFORMANCE_CHANGES] }],
      memory: [{ what: 'one message at a time', ranBy: 'in-process', tests: ['test/unit/local-delivery.test.ts'] }],
    },
  },
  {
    feature: 'Dead letter after 5 deliveries',
    cells: {
      aws: [
        { what: 'SQS `RedrivePolicy` → `<queue>-dlq` (local-aws-sqs)', ranBy: 'emulator', tests: [OFFLINE_STACK, PACKAGED] },
        { what: 'stream batches → `stream-failures` queue (`offline/aws/serverless-plugin.mjs`)', ranBy: 'our-emulation', tests: [OFFLINE_STACK] },
      ],
      azure: [
        { what: '`maxDequeueCount` → `<queue>-poison`, moved by our host stand-in (`test/support/queue-host.ts`) on Azurite', ranBy: 'our-emulation', tests: ['test/adapters/azure/storage-queue.test.ts'] },
        { what: 'change feed: 5 retries, then only the log (registration checked)', ranBy: 'template', tests: ['test/adapters/azure/entry-modules.test.ts'] },
      ],
      gcp: [
        { what: 'dead-letter topic `<topic>-dead-letter`', ranBy: 'emulator', tests: [GCP_STACK] },
        { what: 'Firestore triggers retry (`--retry`) by the start:gcp relay, no dead letter', ranBy: 'our-emulation', tests: [GCP_STACK] },
      ],
      memory: [{ what: 'kept in the process (`deadLetters()`)', ranBy: 'in-process', tests: ['test/unit/local-delivery.test.ts'] }],
    },
  },
  {
    feature: 'Local run',
    cells: {
      aws: [{ what: '`npm start` (DynamoDB Local, local SQS, `sls offline`)', ranBy: 'emulator', tests: [OFFLINE_STACK] }],
      azure: [{ what: '`func start` (Core Tools, not installable here)', ranBy: 'template' }],
      gcp: [{ what: '`npm run start:gcp` (Firestore and Pub/Sub emulators)', ranBy: 'emulator', tests: [GCP_STACK] }],
      memory: [{ what: '`npm run start:memory` (no java)', ranBy: 'in-process', tests: ['test/integration/local-server.test.ts'] }],
    },
  },
  {
    feature: 'Deploy',
    cells: {
      aws: [{ what: '`npx sls deploy` (packaged template checked)', ranBy: 'template', tests: [PACKAGED] }],
      azure: [{ what: '`infra/azure/main.bicep` + `func azure functionapp publish` (build checked)', ranBy: 'template', tests: ['test/azure/build.test.ts'] }],
      gcp: [
        { what: '`npm run build:gcp` + `npm run deploy:gcp` (command list checked)', ranBy: 'template', tests: ['test/adapters/gcp/entry-modules.test.ts', 'test/gcp/build-and-deploy.test.ts'] },
        { what: 'one base URL: API Gateway config from the route table (`infra/gcp/api-gateway.ts`, Swagger 2.0 validated)', ranBy: 'template', tests: ['test/gcp/api-gateway.test.ts'] },
      ],
      memory: [{ what: 'none: a local mode', ranBy: 'template' }],
    },
  },
];

const PLATFORM_ORDER: Platform[] = ['aws', 'azure', 'gcp', 'memory'];

/** The table as markdown, as the README holds it between its feature-matrix markers. */
export function renderFeatureMatrix(features: readonly Feature[] = FEATURES): string {
  const header = `| feature | ${PLATFORM_ORDER.map((platform) => PLATFORM_TITLES[platform]).join(' | ')} |`;
  const rule = `|---|${PLATFORM_ORDER.map(() => '---').join('|')}|`;
  const rows = features.map(({ feature, cells }) => `| ${feature} | ${PLATFORM_ORDER.map((platform) => cells[platform].map((part) => `${part.what} — ${MARK[part.ranBy]}`).join('; ')).join(' | ')} |`);
  const legend = [
    `${MARK.emulator}: run in \`npm test\` on an emulator of the platform's service (DynamoDB Local, local SQS, \`sls offline\`, Azurite, Google's Firestore and Pub/Sub emulators, functions-framework)`,
    `${MARK['our-emulation']}: run in \`npm test\`, but our own code plays the platform's part (the event source mappings of \`offline/aws/serverless-plugin.mjs\`, \`test/support/queue-host.ts\`, the start:gcp relay, a change feed fed by the test)`,
    `${MARK['in-process']}: through the platform's real adapter and trigger shapes, in process, no engine`,
    `${MARK.template}: exists only in the template or configuration, written to the platform's documentation, not run here (no cloud account)`,
  ].join('; ');
  return [header, rule, ...rows, '', legend].join('\n');
}

export const START_MARKER = '<!-- feature-matrix: generated from test/conformance/feature-matrix.ts -->';
export const END_MARKER = '<!-- /feature-matrix -->';
export const README_PATH = fileURLToPath(new URL('../../README.md', import.meta.url));

/** The table block of a README text, or undefined when the markers are missing. */
export function featureMatrixBlock(readme: string): string | undefined {
  const start = readme.indexOf(START_MARKER);
  const end = readme.indexOf(END_MARKER);
  return start < 0 || end < start ? undefined : readme.slice(start + START_MARKER.length, end).trim();
}

// Run as a script: rewrite the README's table.
if (process.argv[1]?.endsWith('feature-matrix.ts') && process.argv.includes('--write')) {
  const readme = readFileSync(README_PATH, 'utf8');
  if (featureMatrixBlock(readme) === undefined) throw new Error(`README.md has no ${START_MARKER} … ${END_MARKER} block`);
  const start = readme.indexOf(START_MARKER) + START_MARKER.length;
  writeFileSync(README_PATH, `${readme.slice(0, start)}\n${renderFeatureMatrix()}\n${readme.slice(readme.indexOf(END_MARKER))}`);
}
