/**
 * Cold init, as Lambda pays it once per new instance: a fresh node process loads a bundle (built as
 * serverless-esbuild builds it, bench/bundles.ts) and creates what its module scope creates. Each case
 * runs in its own child process, cases interleaved round by round; every process reports the CPU time
 * its `require` took, its own CPU time until the handler is ready, and its memory; the parent times the
 * whole process (spawn to exit). CPU times are the figures to compare on a shared machine: another
 * process's load stretches wall time, not this process's CPU time.
 * Baselines in the same run: a constant handler, and handlers that create only the SDK clients a
 * function creates (the DynamoDB document client, or an SQS client) — the part no bundle can avoid.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { bundleSnippet } from './bundles.js';

export interface ColdInitCase {
  name: string;
  file: string;
  /** Extra node flags (`--enable-source-maps`). */
  flags?: string[];
  /** The node binary (default: the one running the bench). */
  node?: string;
  /**
   * Load the file(s) as the Azure and GCP runtimes do: `import()` each (ES modules, or CommonJS), with no
   * `handler` export to check (they register their functions with @azure/functions or functions-framework).
   * `file` alone, unless `files` names several loaded in one process (an Azure app's worker loads them all).
   */
  register?: { files?: string[] };
}

export interface ColdInitSamples {
  /** Spawn to exit, as the parent sees it: what a user waits for, but inflated by every other process on the machine. */
  wallMs: number[];
  /** CPU time (user + system) of the whole process when the handler is ready: node's start-up included, other processes not. */
  processCpuMs: number[];
  /** CPU time of `require(bundle)` alone: the part the bundle decides. */
  requireCpuMs: number[];
  rssMb: number[];
}

/** Settings serverless.yml gives every function; the SDK clients need a region, nothing else, to be created. */
const functionEnv = {
  AWS_REGION: 'us-east-1',
  EVENTS_TABLE: 'myevents-bench-events',
  BOOKINGS_TABLE: 'myevents-bench-bookings',
  PLAYERS_TABLE: 'myevents-bench-players',
  GAME_MAP_TABLE: 'myevents-bench-game-map',
  BOOKINGS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/myevents-bench-bookings',
  EVENTS_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/myevents-bench-events',
};

const report = `process.stdout.write('\\n@@cold-init ' + JSON.stringify({ requireCpuMs: c1 - c0, processCpuMs: c1, rssMb: process.memoryUsage().rss / 1048576 }));`;
const cpu = `const cpu = () => { const { user, system } = process.cpuUsage(); return (user + system) / 1000; };`;
/** Lambda's way: require the bundle, which must export `handler`. */
const handlerProbe = `${cpu}
const c0 = cpu(); const m = require(process.argv[1]); const c1 = cpu();
if (typeof m.handler !== 'function') throw new Error('no handler');
${report}`;
/** The Azure and GCP way: import each file, which registers its function. */
const registerProbe = `import { pathToFileURL } from 'node:url';
${cpu}
const c0 = cpu(); for (const file of JSON.parse(process.argv[1])) await import(pathToFileURL(file).href); const c1 = cpu();
${report}`;

/** Settings the Azure and GCP entry modules read at load (placeholders: their clients connect on first use only). */
const registerEnv = {
  COSMOS_CONNECTION: 'AccountEndpoint=https://127.0.0.1:9/;AccountKey=a2V5;',
  COSMOS_DATABASE: 'myevents',
  QUEUE_CONNECTION: 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;',
  BOOKINGS_QUEUE: 'bookings',
  EVENTS_QUEUE: 'events',
  GOOGLE_CLOUD_PROJECT: 'myevents-bench',
};

type OneRun = { [K in keyof ColdInitSamples]: number };

function runOnce(item: ColdInitCase): OneRun {
  const started = performance.now();
  const args = item.register ? ['--input-type=module', '-e', registerProbe, JSON.stringify(item.register.files ?? [item.file])] : ['-e', handlerProbe, item.file];
  const result = spawnSync(item.node ?? process.execPath, [...(item.flags ?? []), ...args], {
    // Packages a bundle leaves external come from node_modules (NODE_PATH, for require): on Lambda the AWS SDK where
    // the bundle leaves it out; the Google Cloud clients GCP installs on deploy. Azure's app gets a node_modules link.
    env: { PATH: process.env['PATH'], NODE_PATH: join(process.cwd(), 'node_modules'), ...functionEnv, ...(item.register ? registerEnv : {}), LOG_LEVEL: 'WARN' },
    encoding: 'utf8',
  });
  const wallMs = performance.now() - started;
  const line = /@@cold-init (\{.*\})/.exec(result.stdout)?.[1];
  if (result.status !== 0 || line === undefined) throw new Error(`${item.name}: exit ${result.status}: ${result.stderr}`);
  return { wallMs, ...(JSON.parse(line) as Omit<OneRun, 'wallMs'>) };
}

/** Runs every case `rounds` times, interleaved. */
export function measureColdInit(cases: readonly ColdInitCase[], rounds: number): Record<string, ColdInitSamples> {
  const samples: Record<string, ColdInitSamples> = Object.fromEntries(cases.map((item) => [item.name, { wallMs: [], processCpuMs: [], requireCpuMs: [], rssMb: [] }]));
  for (const item of cases) runOnce(item); // warm the file cache
  for (let round = 0; round < rounds; round += 1) {
    for (const item of cases) {
      const run = runOnce(item);
      const target = samples[item.name]!;
      for (const key of Object.keys(target) as (keyof ColdInitSamples)[]) target[key].push(run[key]);
    }
  }
  return samples;
}

/** The baselines and single-library bundles, built the AWS way into `outDir`. */
export async function baselineBundles(outDir: string): Promise<Record<string, string>> {
  const snippets: Record<string, string> = {
    'constant handler': `export const handler = async () => ({ statusCode: 200 });`,
    'SDK clients only: DynamoDB document client': `import { createDocumentClient } from './adapters/aws/dynamodb/document-client.js';
      const documents = createDocumentClient(); export const handler = async () => documents.config;`,
    // The outboxes also load util-dynamodb (unmarshall), an SDK package like the client.
    'SDK clients only: SQS client + util-dynamodb': `import { SQSClient } from '@aws-sdk/client-sqs'; import { unmarshall } from '@aws-sdk/util-dynamodb';
      const sqs = new SQSClient({}); export const handler = async () => [sqs.config, unmarshall];`,
    'zod/mini + every schema (functions/routes.ts)': `import { httpFunctions } from './functions/routes.js'; export const handler = async () => httpFunctions;`,
    'zod (full build), the same schemas before issue 13': `import * as z from 'zod';
      const text = z.string().trim().min(1).max(200);
      const hall = z.object({ name: text, location: text, capacity: z.number().int().positive() });
      const location = z.object({ name: text, address: text, country: text, openTime: z.number().int(), closeTime: z.number().int(), halls: z.array(hall).min(1) }).strict();
      const event = z.object({ name: z.string().min(1), startDate: z.iso.datetime({ offset: true }), endDate: z.iso.datetime({ offset: true }), locationId: z.string().regex(/^[\\w-]+$/), hall: z.string().min(1) }).strict();
      export const handler = async () => [location, event];`,
    'our logger (adapters/aws/logger.ts)': `import { portLogger } from './adapters/aws/logger.js'; export const handler = async () => portLogger('r');`,
    'Powertools Logger + injectLambdaContext (before)': `import { Logger } from '@aws-lambda-powertools/logger'; import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
      const logger = new Logger({ serviceName: 'myevents' }); const m = injectLambdaContext(logger); export const handler = async () => m;`,
    '@middy/core': `import middy from '@middy/core'; export const handler = middy(async () => 1);`,
  };
  const files: Record<string, string> = {};
  let index = 0;
  for (const [name, source] of Object.entries(snippets)) files[name] = await bundleSnippet(outDir, `baseline-${(index += 1)}`, source);
  return files;
}
