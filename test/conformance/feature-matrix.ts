import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * The feature × platform table of the README, declared here and checked by feature-matrix.test.ts:
 * every cell names how it was verified and, where it was, the test that does it (the test checks that
 * the file exists and runs that platform). `npx tsx test/conformance/feature-matrix.ts --write`
 * rewrites the README's table from this declaration.
 */

export type Platform = 'aws' | 'azure' | 'gcp' | 'memory';
export const PLATFORM_TITLES: Record<Platform, string> = { aws: 'AWS Lambda', azure: 'Azure Functions', gcp: 'Google Cloud Functions', memory: 'memory mode' };

/**
 * How a cell is known to hold: run on a local engine or emulator of the platform's services; run in
 * process through the platform's real adapter and trigger shape; or only by construction (code and
 * configuration written to the documentation, no engine here to run it on).
 */
export type Verified = 'emulator' | 'in-process' | 'construction';
const MARK: Record<Verified, string> = { emulator: '✔ emulator', 'in-process': '✔ in process', construction: '○ by construction' };

export interface Cell {
  what: string;
  verified: Verified;
  /** Test files (from the repository root) that show it; required unless verified by construction. */
  tests?: string[];
}

export interface Feature {
  feature: string;
  cells: Record<Platform, Cell>;
}

const CONFORMANCE_HTTP = 'test/conformance/http.test.ts';
const CONFORMANCE_CHANGES = 'test/conformance/changes-and-messages.test.ts';

export const FEATURES: Feature[] = [
  {
    feature: 'HTTP',
    cells: {
      aws: { what: 'API Gateway HTTP API (2.0) and REST API (1.0) events; `sls offline`', verified: 'emulator', tests: [CONFORMANCE_HTTP, 'test/e2e/offline-stack.test.ts'] },
      azure: { what: '`app.http`, every method, route templates', verified: 'in-process', tests: [CONFORMANCE_HTTP, 'test/adapters/azure/entry-modules.test.ts'] },
      gcp: { what: 'functions-framework (`--signature-type=http`)', verified: 'emulator', tests: [CONFORMANCE_HTTP, 'test/gcp/gcp-stack.test.ts'] },
      memory: { what: 'node HTTP server, one route table', verified: 'in-process', tests: [CONFORMANCE_HTTP, 'test/integration/local-server.test.ts'] },
    },
  },
  {
    feature: 'JWT on writes, owners (401/403)',
    cells: {
      aws: { what: 'HTTP API JWT authorizer, then our check (`adapters/shared/auth.ts`)', verified: 'in-process', tests: [CONFORMANCE_HTTP, 'test/aws/serverless-package.test.ts'] },
      azure: { what: 'our check (functions `anonymous` to the host)', verified: 'in-process', tests: [CONFORMANCE_HTTP] },
      gcp: { what: 'our check (`--allow-unauthenticated` to Cloud Run)', verified: 'in-process', tests: [CONFORMANCE_HTTP] },
      memory: { what: 'our check, trusting the development key (`npm run token`)', verified: 'in-process', tests: [CONFORMANCE_HTTP, 'test/unit/auth.test.ts'] },
    },
  },
  {
    feature: 'Queue trigger',
    cells: {
      aws: { what: 'SQS, batches of 10', verified: 'emulator', tests: [CONFORMANCE_CHANGES, 'test/offline/queue-poller.test.ts'] },
      azure: { what: 'Storage Queue, one message per invocation', verified: 'emulator', tests: [CONFORMANCE_CHANGES, 'test/adapters/azure/storage-queue.test.ts'] },
      gcp: { what: 'Pub/Sub push, one message per invocation', verified: 'emulator', tests: [CONFORMANCE_CHANGES, 'test/gcp/gcp-stack.test.ts'] },
      memory: { what: 'in-process queue, in order', verified: 'in-process', tests: ['test/integration/local-server.test.ts'] },
    },
  },
  {
    feature: 'Change stream',
    cells: {
      aws: { what: 'DynamoDB Streams, in order, stops at a failed record', verified: 'emulator', tests: [CONFORMANCE_CHANGES, 'test/e2e/offline-stack.test.ts'] },
      azure: { what: 'Cosmos DB change feed (latest version; deletes as soft deletes)', verified: 'in-process', tests: [CONFORMANCE_CHANGES, 'test/adapters/azure/cosmos-change-feed.test.ts'] },
      gcp: { what: 'Firestore `document.v1.written` (protobuf)', verified: 'emulator', tests: [CONFORMANCE_CHANGES, 'test/gcp/gcp-stack.test.ts'] },
      memory: { what: 'in-process change log per table', verified: 'in-process', tests: ['test/integration/local-server.test.ts'] },
    },
  },
  {
    feature: 'A poison message fails alone',
    cells: {
      aws: { what: 'partial batch response (`ReportBatchItemFailures`)', verified: 'emulator', tests: [CONFORMANCE_CHANGES, 'test/e2e/offline-stack.test.ts'] },
      azure: { what: 'one message per invocation', verified: 'in-process', tests: [CONFORMANCE_CHANGES] },
      gcp: { what: 'one message per invocation', verified: 'in-process', tests: [CONFORMANCE_CHANGES] },
      memory: { what: 'one message at a time', verified: 'in-process', tests: ['test/unit/local-delivery.test.ts'] },
    },
  },
  {
    feature: 'Dead letter after 5 deliveries',
    cells: {
      aws: { what: 'SQS `RedrivePolicy` → `<queue>-dlq`; stream batches → `stream-failures` queue', verified: 'emulator', tests: ['test/e2e/offline-stack.test.ts', 'test/aws/serverless-package.test.ts'] },
      azure: { what: '`maxDequeueCount` → `<queue>-poison`; change feed: 5 retries, then only the log', verified: 'emulator', tests: ['test/adapters/azure/storage-queue.test.ts', 'test/adapters/azure/entry-modules.test.ts'] },
      gcp: { what: 'dead-letter topic `<topic>-dead-letter`; Firestore triggers retry (`--retry`), no dead letter', verified: 'emulator', tests: ['test/gcp/gcp-stack.test.ts'] },
      memory: { what: 'kept in the process (`deadLetters()`)', verified: 'in-process', tests: ['test/unit/local-delivery.test.ts'] },
    },
  },
  {
    feature: 'Local run',
    cells: {
      aws: { what: '`npm start` (DynamoDB Local, local SQS, `sls offline`)', verified: 'emulator', tests: ['test/e2e/offline-stack.test.ts'] },
      azure: { what: '`func start` (Core Tools, not installable here)', verified: 'construction' },
      gcp: { what: '`npm run start:gcp` (Firestore and Pub/Sub emulators)', verified: 'emulator', tests: ['test/gcp/gcp-stack.test.ts'] },
      memory: { what: '`npm run start:memory` (no java)', verified: 'in-process', tests: ['test/integration/local-server.test.ts'] },
    },
  },
  {
    feature: 'Deploy',
    cells: {
      aws: { what: '`npx sls deploy` (packaged template checked)', verified: 'construction', tests: ['test/aws/serverless-package.test.ts'] },
      azure: { what: '`infra/azure/main.bicep` + `func azure functionapp publish` (build checked)', verified: 'construction', tests: ['test/azure/build.test.ts'] },
      gcp: { what: '`npm run build:gcp` + `npm run deploy:gcp` (command list checked)', verified: 'construction', tests: ['test/adapters/gcp/entry-modules.test.ts'] },
      memory: { what: 'none: a local mode', verified: 'construction' },
    },
  },
];

const PLATFORM_ORDER: Platform[] = ['aws', 'azure', 'gcp', 'memory'];

/** The table as markdown, as the README holds it between its feature-matrix markers. */
export function renderFeatureMatrix(features: readonly Feature[] = FEATURES): string {
  const header = `| feature | ${PLATFORM_ORDER.map((platform) => PLATFORM_TITLES[platform]).join(' | ')} |`;
  const rule = `|---|${PLATFORM_ORDER.map(() => '---').join('|')}|`;
  const rows = features.map(({ feature, cells }) => `| ${feature} | ${PLATFORM_ORDER.map((platform) => `${cells[platform].what} — ${MARK[cells[platform].verified]}`).join(' | ')} |`);
  const legend = `${MARK.emulator}: run on a local engine or emulator of the platform's services in \`npm test\`; ${MARK['in-process']}: through the platform's real adapter and trigger shapes, in process; ${MARK.construction}: written to the platform's documentation, not run here (no cloud account).`;
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
