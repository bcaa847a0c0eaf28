/**
 * `npm run bench`: every figure of issue 13 in one run, printed as markdown tables. Each figure is a
 * median with its spread (p10–p90) and, where it has one, a ratio against a baseline measured in the
 * same run: these machines are shared and noisy, so a lone absolute time means little.
 * `npm run bench -- --write` also replaces the tables in BENCHMARKS.md (between its bench markers).
 * `--only=bundles,http,auth,batch,trace,cold,sdk,list,hop,throughput` runs some sections (the others are skipped).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { awsBuildOptions, awsEntries, awsVariant, shippedBundles, zipSize, type AzureApp, type BundleRow } from './bundles.js';
import { baselineBundles, measureColdInit, type ColdInitCase } from './cold-init.js';
import { formatSpread, markdownTable, paired, ratio, summarize, type Summary } from './stats.js';
import { measureThroughput } from './throughput.js';
import { untraced as untracedPlugin } from './untraced/plugin.js';
import { measureTraceOverhead, VARIANTS, type Runtime } from './untraced/variants.js';

const args = process.argv.slice(2);
const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const runs = (section: string): boolean => only === undefined || only.includes(section);
const out: string[] = [];
const print = (text = ''): void => {
  console.log(text);
  out.push(text);
};
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const ms = (summary: Summary): string => formatSpread(summary, 'ms', 1);
const us = (summary: Summary): string => formatSpread(summary, 'µs', 2);
const started = Date.now();

print(`Run ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC on ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GB, node ${process.version}, load average ${loadavg()[0]!.toFixed(2)} at start. Figures: median (p10–p90).`);

/** Runs a bench child (node + tsx) with its stdout (log lines) into /dev/null; returns what it wrote to fd 3. */
async function child(script: string, env: Record<string, string>): Promise<Record<string, number[]>> {
  const devNull = openSync('/dev/null', 'w');
  const proc = spawn(process.execPath, ['--import', 'tsx', script], { env: { ...process.env, ...env }, stdio: ['ignore', devNull, 'inherit', 'pipe'] });
  const chunks: Buffer[] = [];
  proc.stdio[3]!.on('data', (chunk: Buffer) => chunks.push(chunk));
  const code = await new Promise<number | null>((resolve) => proc.on('close', resolve));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, number[]>;
}

/** A bench script's own printed tables (list page, queue hop), run as it runs alone. */
function script(file: string, env: Record<string, string> = {}): string {
  const result = spawnSync(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, ...env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`${file} exited with ${result.status}`);
  return result.stdout.trim();
}

/**
 * Another major version of node, for figures on both runtimes: BENCH_NODE<major> names a binary, else the npm
 * package `node@<major>` (node's own binaries, published on the npm registry) through npx. The reason, when none.
 */
function otherNode(major: string): string | { reason: string } {
  const given = process.env[`BENCH_NODE${major}`];
  if (given) return given;
  if (process.versions.node.split('.')[0] === major) return process.execPath;
  const found = spawnSync('npx', ['-y', '-p', `node@${major}`, 'node', '-p', 'process.execPath'], { cwd: tmpdir(), encoding: 'utf8', timeout: 300_000 });
  return found.status === 0 ? found.stdout.trim() : { reason: `npx -y -p node@${major} failed (${found.error?.message ?? found.stderr.trim().split('\n').at(-1)}); set BENCH_NODE${major} to a node ${major} binary` };
}

const workDir = mkdtempSync(join(tmpdir(), 'myevents-bench-'));
try {
  // ---- Bundles ----------------------------------------------------------------------------------
  // What the deploy commands write (bench/bundles.ts): sls package's zips, build:azure's app, build:gcp's folders.
  let bundles: BundleRow[] = [];
  let azureApp: AzureApp | undefined;
  if (runs('bundles') || runs('cold') || runs('sdk')) ({ rows: bundles, azureApp } = await shippedBundles(join(workDir, 'bundles')));
  const share = (row: { byPackage: Record<string, number> }, match: (name: string) => boolean): number => Object.entries(row.byPackage).filter(([name]) => match(name)).reduce((sum, [, bytes]) => sum + bytes, 0);
  if (runs('bundles')) {
    const sdkExternal = awsBuildOptions().external?.includes('@aws-sdk/*') === true;
    print(`\n### Bundle per function on AWS: what \`sls package\` ships (the zip, and the bundle in it: minified, CommonJS, the AWS SDK ${sdkExternal ? 'external' : 'bundled from its ES module build'})\n`);
    // The SDK's packages and the few of other names they depend on (DynamoDB's endpoint cache: mnemonist, obliterator).
    const isSdk = (name: string): boolean => ['@aws-sdk/', '@smithy/', '@aws-crypto/', '@aws/'].some((scope) => name.startsWith(scope)) || ['tslib', 'fast-xml-parser', 'strnum', 'bowser', 'uuid', 'mnemonist', 'obliterator'].includes(name);
    print(
      markdownTable(
        ['function', 'bundle', 'AWS SDK (@aws-sdk, @smithy and their dependencies)', 'zod', 'jose', '@middy/core', 'our code', 'other', 'zip (sls package)'],
        bundles
          .filter((row) => row.platform === 'AWS')
          .map((row) => {
            const sdk = share(row, isSdk);
            const zod = share(row, (name) => name === 'zod');
            const jose = share(row, (name) => name === 'jose');
            const middy = share(row, (name) => name === '@middy/core');
            const ours = share(row, (name) => name === 'ours');
            return [row.name, kb(row.bytes), kb(sdk), kb(zod), kb(jose), kb(middy), kb(ours), kb(row.bytes - sdk - zod - jose - middy - ours), kb(row.uploadBytes!)];
          }),
      ),
    );
    print('\n### Per function on Azure and GCP: what `npm run build:azure` and `npm run build:gcp` write (minified, no source maps; Azure: @azure/functions external, the Cosmos DB and Storage SDKs bundled into chunks the functions share; GCP: the Google Cloud clients external)\n');
    print(
      markdownTable(
        ['platform', 'function', 'loaded (Azure: entry module + the chunks it imports)', 'cloud SDKs in it', 'zod', 'our code', 'other', 'upload (GCP: the source folder zipped)'],
        bundles
          .filter((row) => row.platform !== 'AWS')
          .map((row) => {
            const sdk = share(row, (name) => name.startsWith('@azure/') || name.startsWith('@google-cloud/') || name.startsWith('@skunkteam/') || name === 'protobufjs');
            const zod = share(row, (name) => name === 'zod');
            const ours = share(row, (name) => name === 'ours');
            return [row.platform, row.name, kb(row.bytes), kb(sdk), kb(zod), kb(ours), kb(row.bytes - sdk - zod - ours), row.uploadBytes === undefined ? '— (one app)' : kb(row.uploadBytes)];
          }),
      ),
    );
    if (azureApp !== undefined) print(`\nThe Azure app (dist/azure without node_modules, which \`npm install --omit=dev\` fills with @azure/functions on deploy): ${azureApp.files} files, ${kb(azureApp.bytes)}, ${kb(azureApp.zipBytes)} zipped, ${azureApp.mapFiles} source maps. "cloud SDKs" on GCP counts the Firestore event decoder (@skunkteam/google-cloudevents-firestore, protobufjs) that every GCP bundle carries.`);
  }

  // ---- HTTP adapter overhead ----------------------------------------------------------------------
  if (runs('http')) {
    const levels = ['WARN', 'INFO'] as const;
    const byLevel: Record<string, Record<string, number[]>> = {};
    for (const level of levels) byLevel[level] = await child('bench/adapter-overhead.ts', { LOG_LEVEL: level, POWERTOOLS_LOG_LEVEL: level });
    const core = 'core handler (getEvent)';
    for (const level of levels) {
      const samples = byLevel[level]!;
      print(`\n### HTTP: each platform's handler vs the core handler it calls, GET /events/{id} on in-memory ports, log level ${level} (µs per request)\n`);
      print(
        markdownTable(
          ['what', 'time per call', 'over the core handler (paired)', 'ratio to core (paired)'],
          Object.entries(samples).map(([name, values]) => {
            if (name === core) return [name, us(summarize(values)), '—', '1.00×'];
            const { ratio: pairedRatio, difference } = paired(values, samples[core]!);
            return [name, us(summarize(values)), us(difference), `${pairedRatio.median.toFixed(2)}× (${pairedRatio.p10.toFixed(2)}–${pairedRatio.p90.toFixed(2)})`];
          }),
        ),
      );
    }
    const ok = 'AWS Lambda handler (HTTP API 2.0)';
    print('\n### HTTP: error answers vs the 200, through the AWS Lambda handler (µs per request; goal: within 1.5× of the 200)\n');
    print(
      markdownTable(
        ['log level', 'answer', 'time per call', 'ratio to the 200 (paired)'],
        levels.flatMap((level) =>
          Object.entries(byLevel[level]!)
            .filter(([name]) => name.startsWith('AWS Lambda handler, 404'))
            .map(([name, values]) => {
              const { ratio: pairedRatio } = paired(values, byLevel[level]![ok]!);
              return [level, name.replace('AWS Lambda handler, ', ''), us(summarize(values)), `${pairedRatio.median.toFixed(2)}× (${pairedRatio.p10.toFixed(2)}–${pairedRatio.p90.toFixed(2)})`];
            }),
        ),
      ),
    );
    print('\nTyped errors (functions/errors.ts) are answers, not bugs: they capture no stack (≈ 4 µs per throw when they did); unexpected errors, the 500s, keep theirs.');
    print('\nRows below the adapters are parts, timed alone: the shared dispatch (routing, body checks, error mapping, response) with a silent logger, route matching, one access-log line (written to /dev/null at INFO; at WARN it is skipped), and middy with and without Powertools\' injectLambdaContext (used before issue 13).');
  }

  // ---- What a token costs (issue 20) ---------------------------------------------------------------
  if (runs('auth')) {
    const samples = await child('bench/auth-overhead.ts', { LOG_LEVEL: 'WARN', POWERTOOLS_LOG_LEVEL: 'WARN' });
    const publicBaseline = 'public GET /events, no token (baseline)';
    const protectedBaseline = 'protected GET /events/{id}/bookings, no token: 401 (baseline)';
    print('\n### What a token costs through the Lambda handler (HTTP API 2.0, in-memory ports, log level WARN; µs per request; goal ≤ 1.5× the no-token baseline)\n');
    print(
      markdownTable(
        ['request', 'time per call', 'ratio to its no-token baseline (paired)'],
        Object.entries(samples).map(([name, values]) => {
          const baseline = name.startsWith('public') ? publicBaseline : protectedBaseline;
          if (name === baseline) return [name, us(summarize(values)), '1.00×'];
          const { ratio: pairedRatio } = paired(values, samples[baseline]!);
          return [name, us(summarize(values)), `${pairedRatio.median.toFixed(2)}× (${pairedRatio.p10.toFixed(2)}–${pairedRatio.p90.toFixed(2)})`];
        }),
      ),
    );
    print('\nA public route never reads `Authorization`; a protected one remembers a failed verification by the token\'s text (adapters/shared/auth.ts). Before issue 20: a forged token cost ≈ 224 µs on `GET /events` (15× its 14.6 µs) and ≈ 179 µs on a protected route, every time.');
  }

  // ---- Batches ----------------------------------------------------------------------------------
  if (runs('batch')) {
    const samples = await child('bench/batch-overhead.ts', { LOG_LEVEL: 'WARN', POWERTOOLS_LOG_LEVEL: 'WARN' });
    const row = (label: string, ours: string, baseline: string): string[] => {
      const { ratio: pairedRatio } = paired(samples[ours]!, samples[baseline]!);
      return [label, us(summarize(samples[ours]!)), us(summarize(samples[baseline]!)), `${pairedRatio.median.toFixed(2)}× (${pairedRatio.p10.toFixed(2)}–${pairedRatio.p90.toFixed(2)})`];
    };
    print('\n### Batches of 100 records, same core call per record (µs per batch)\n');
    print(
      markdownTable(
        ['batch', 'ours', 'baseline', 'ratio ours / baseline (paired)'],
        [
          row('SQS (bookingsConsumer), baseline: a hand loop', 'SQS: our queueTrigger', 'SQS: hand loop'),
          row('DynamoDB Streams (placePlayers), baseline: Powertools BatchProcessor', 'DynamoDB Streams: our changeStreamTrigger', 'DynamoDB Streams: Powertools BatchProcessor'),
        ],
      ),
    );
  }

  // ---- Trace context's budgets (issue 22) ---------------------------------------------------------------
  if (runs('trace')) {
    // The same code built with and without trace context (bench/untraced), each in its own process, paired sample by sample.
    const runtimes: Runtime[] = [{ label: `node ${process.versions.node}`, node: process.execPath }];
    const node22 = otherNode('22');
    if (typeof node22 === 'string') {
      const label = `node ${spawnSync(node22, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()}`;
      if (node22 !== process.execPath) runtimes.push({ label, node: node22 });
      runtimes.push({ label: `${label} --experimental-async-context-frame`, node: node22, flags: ['--experimental-async-context-frame'] });
    }
    const results = await measureTraceOverhead(runtimes, Number(process.env['BENCH_SAMPLES'] ?? 30));
    print('\n### What trace context costs with no SDK registered (issue 22; budget ≤ +1.5 µs per request): the same code built without it, each in its own process, samples paired (µs per request or per batch of 100)\n');
    print(
      markdownTable(
        ['case', 'runtime', 'without trace context', 'with', 'difference (paired)', 'ratio (paired)'],
        Object.entries(results).flatMap(([runtime, { traced, untraced }]) =>
          Object.keys(traced).map((name) => {
            const { ratio: pairedRatio, difference } = paired(traced[name]!, untraced[name]!);
            return [name, runtime, us(summarize(untraced[name]!)), us(summarize(traced[name]!)), us(difference), `${pairedRatio.median.toFixed(2)}× (${pairedRatio.p10.toFixed(2)}–${pairedRatio.p90.toFixed(2)})`];
          }),
        ),
      ),
    );
    if (typeof node22 !== 'string') print(`\nNode 22 not measured: ${node22.reason}`);

    // Bytes and cold init: each AWS function built with serverless.yml's options, and again with the one change (bench/untraced).
    const names = Object.keys(awsEntries());
    const built = { traced: {} as Record<string, Awaited<ReturnType<typeof awsVariant>>>, untraced: {} as Record<string, Awaited<ReturnType<typeof awsVariant>>> };
    for (const name of names) {
      built.traced[name] = await awsVariant(join(workDir, 'traced'), name, {});
      built.untraced[name] = await awsVariant(join(workDir, 'untraced'), name, { plugins: [untracedPlugin] });
    }
    const coldNames = ['eventsApi', 'bookingsConsumer'];
    // More rounds than the other cold-init tables: a process start varies by ± 10–20 % here, and the budget is 3 %.
    const rounds = Number(process.env['BENCH_TRACE_COLD_ROUNDS'] ?? 41);
    const cold = measureColdInit(
      coldNames.flatMap((name) => VARIANTS.map((variant) => ({ name: `${name} ${variant}`, file: built[variant][name]!.file }))),
      rounds,
    );
    const coldRatio = (name: string, key: 'processCpuMs' | 'requireCpuMs'): string => {
      const { median, p10, p90 } = paired(cold[`${name} traced`]![key], cold[`${name} untraced`]![key]).ratio;
      return `${median.toFixed(3)}× (${p10.toFixed(3)}–${p90.toFixed(3)})`;
    };
    print(`\n### What trace context adds to each AWS function: bundle and zip (budget ≤ +12 KB per function), and cold init (budget ≤ +3 %; ${rounds} runs each, interleaved, paired by round)\n`);
    print(
      markdownTable(
        ['function', 'bundle without trace context', 'with', 'added', '@opentelemetry/api in it', 'zip added', 'process CPU until ready: with / without', 'require() CPU: with / without'],
        names.map((name) => {
          const [traced, plain] = [built.traced[name]!, built.untraced[name]!];
          const measured = coldNames.includes(name);
          return [
            name,
            kb(plain.bytes),
            kb(traced.bytes),
            kb(traced.bytes - plain.bytes),
            kb(traced.byPackage['@opentelemetry/api'] ?? 0),
            kb(traced.zipBytes - plain.zipBytes),
            measured ? coldRatio(name, 'processCpuMs') : '—',
            measured ? coldRatio(name, 'requireCpuMs') : '—',
          ];
        }),
      ),
    );
    print(
      '\n"Without" is bench/untraced: adapters/shared/tracing.ts, trace-context.ts and trace-carriers.ts swapped for stubs with the same exports that do nothing, the rest of the build identical (the dispatch still writes a `traceresponse` header and error bodies a `traceId` field, from the stubs\' constant ids). The hop is passed explicitly (trace-carriers.ts `bindHop`: each request\'s ports are views bound to it), so no AsyncLocalStorage turns on node\'s promise hooks; requests and batches still run each build in its own process, so that nothing one turns on weighs on the other. `--experimental-async-context-frame` (node 22.7+, the default from node 24) is measured too: it changed an AsyncLocalStorage\'s cost, and should change nothing now.',
    );
  }

  // ---- Cold init ----------------------------------------------------------------------------------
  if (runs('cold')) {
    const baselines = await baselineBundles(join(workDir, 'baselines'));
    const aws = bundles.filter((row) => row.platform === 'AWS');
    const sdkOf = (name: string): string => (name.endsWith('Outbox') ? 'SDK clients only: SQS client + util-dynamodb' : 'SDK clients only: DynamoDB document client');
    const eventsApi = aws.find((row) => row.name === 'eventsApi')!;
    // What `sourcemap: true` in serverless.yml would ship (BENCHMARKS.md, "Source maps"): not what ships today.
    const withMap = await awsVariant(join(workDir, 'source-map'), 'eventsApi', { sourcemap: true });
    const cases: ColdInitCase[] = [
      ...Object.entries(baselines).map(([name, file]) => ({ name, file })),
      ...aws.map((row) => ({ name: row.name, file: row.file })),
      { name: 'eventsApi with --enable-source-maps', file: withMap.file, flags: ['--enable-source-maps'] },
    ];
    // Azure and GCP as their runtimes load what build:azure and build:gcp write: GCP one function per instance,
    // Azure the whole app in one worker (package.json main: functions/*.js). The app's node_modules, which the
    // deploy installs (@azure/functions), is a link to ours; GCP's external clients come from ours too.
    const gcp = bundles.filter((row) => row.platform === 'GCP');
    const azureEntries = bundles.filter((row) => row.platform === 'Azure').map((row) => row.file);
    const emptyModule = join(workDir, 'empty.mjs');
    writeFileSync(emptyModule, 'export {};\n');
    if (azureApp !== undefined) symlinkSync(join(process.cwd(), 'node_modules'), join(azureApp.dir, 'node_modules'), 'dir');
    const azureWhole = `Azure: the whole app, ${azureEntries.length} functions in one worker`;
    cases.push(
      { name: 'an empty module, imported', file: emptyModule, register: {} },
      ...gcp.map((row) => ({ name: `GCP: ${row.name}`, file: row.file, register: {} })),
      ...(azureEntries.length > 0 ? [{ name: azureWhole, file: azureEntries[0]!, register: { files: azureEntries } }] : []),
    );
    const rounds = Number(process.env['BENCH_COLD_ROUNDS'] ?? 15);
    const samples = measureColdInit(cases, rounds);
    const cpu = (name: string): Summary => summarize(samples[name]!.processCpuMs);
    const wall = (name: string): Summary => summarize(samples[name]!.wallMs);
    const load = (name: string): Summary => summarize(samples[name]!.requireCpuMs);
    const rss = (name: string): Summary => summarize(samples[name]!.rssMb);
    const constant = 'constant handler';
    /** Process CPU time against a baseline's, paired by round (the cases of a round ran one after another). */
    const times = (name: string, baseline: string): string => {
      const { median, p10, p90 } = paired(samples[name]!.processCpuMs, samples[baseline]!.processCpuMs).ratio;
      return `${median.toFixed(2)}× (${p10.toFixed(2)}–${p90.toFixed(2)})`;
    };
    const over = (name: string, baseline: string): string => ms(paired(samples[name]!.requireCpuMs, samples[baseline]!.requireCpuMs).difference);
    print(`\n### Cold init per function: a new node process loading the bundle (${rounds} runs each, interleaved; CPU time, see below)\n`);
    print(
      markdownTable(
        ['function', 'process CPU until ready', '× constant handler', '× same SDK clients only', 'require() CPU', 'require() over SDK clients only', 'wall time, spawn to exit'],
        aws.map((row) => {
          const sdk = sdkOf(row.name);
          return [row.name, ms(cpu(row.name)), times(row.name, constant), times(row.name, sdk), ms(load(row.name)), over(row.name, sdk), ms(wall(row.name))];
        }),
      ),
    );
    print('\n### Cold init of the baselines and of each library alone (a bundle holding only it)\n');
    print(
      markdownTable(
        ['bundle', 'process CPU until ready', '× constant handler', 'require() CPU', 'require() over the constant handler', 'wall time, spawn to exit'],
        Object.keys(baselines).map((name) => [name, ms(cpu(name)), times(name, constant), ms(load(name)), name === constant ? '—' : over(name, constant), ms(wall(name))]),
      ),
    );
    const empty = 'an empty module, imported';
    print(`\n### Cold init on Azure and GCP: a new node process importing what \`npm run build:azure\` and \`npm run build:gcp\` write (GCP: one function; Azure: every function of the app, as its worker loads them)\n`);
    print(
      markdownTable(
        ['what is loaded', 'process CPU until ready', '× an empty module', 'import() CPU', 'memory (RSS) after import', 'wall time, spawn to exit'],
        [empty, ...gcp.map((row) => `GCP: ${row.name}`), ...(azureEntries.length > 0 ? [azureWhole] : [])].map((name) => [
          name,
          ms(cpu(name)),
          name === empty ? '1.00×' : times(name, empty),
          ms(load(name)),
          formatSpread(rss(name), 'MB', 1),
          ms(wall(name)),
        ]),
      ),
    );
    print('\nRegistration only: the clients connect on first use. GCP loads its Google Cloud clients (external, installed on deploy) and functions-framework; Azure its bundled Cosmos DB and Storage SDKs and @azure/functions (outside the Functions host it registers nothing and says so).');
    const mapped = 'eventsApi with --enable-source-maps';
    // Both zipped alike (zip -X), so the ratio is the map's alone.
    const shippedZip = zipSize(dirname(eventsApi.file), [basename(eventsApi.file)], join(workDir, 'eventsApi-shipped.zip'));
    print('\n### Source maps (eventsApi): the shipped bundle vs one built with `sourcemap: true` (the map in the zip) and run with `--enable-source-maps`\n');
    print(
      markdownTable(
        ['', 'without (as shipped)', 'with', 'ratio (paired)'],
        [
          ['zip size', kb(shippedZip), kb(withMap.zipBytes), `${(withMap.zipBytes / shippedZip).toFixed(2)}×`],
          ['require() CPU', ms(load('eventsApi')), ms(load(mapped)), `${paired(samples[mapped]!.requireCpuMs, samples['eventsApi']!.requireCpuMs).ratio.median.toFixed(2)}×`],
          ['process CPU until ready', ms(cpu('eventsApi')), ms(cpu(mapped)), times(mapped, 'eventsApi')],
          ['memory (RSS) after require', formatSpread(rss('eventsApi'), 'MB', 1), formatSpread(rss(mapped), 'MB', 1), ratio(rss(mapped), rss('eventsApi'))],
        ],
      ),
    );
    print('\nCPU time is what a process spends itself, whatever else the machine runs; wall time adds waiting for the CPU, so on a shared machine it mostly measures the neighbours.');
  }

  // ---- The AWS SDK: bundled from its ES module build vs left to the runtime (issue 19) --------------
  if (runs('sdk')) {
    const names = bundles.filter((row) => row.platform === 'AWS').map((row) => row.name);
    // serverless.yml's options with the one change: the SDK external (as before issue 19, each package's CommonJS
    // build from node_modules, as on Lambda from the runtime's copy), or bundled from each package's ES module build.
    const others = (awsBuildOptions().external ?? []).filter((name) => name !== '@aws-sdk/*');
    const options: Record<'external' | 'bundled', BuildOptions> = {
      external: { external: [...others, '@aws-sdk/*'], mainFields: undefined },
      bundled: { external: others, mainFields: ['module', 'main'] },
    };
    const ships = awsBuildOptions().external?.includes('@aws-sdk/*') ? 'external' : 'bundled';
    const variants = { external: {} as Record<string, Awaited<ReturnType<typeof awsVariant>>>, bundled: {} as Record<string, Awaited<ReturnType<typeof awsVariant>>> };
    for (const kind of ['external', 'bundled'] as const) for (const name of names) variants[kind][name] = await awsVariant(join(workDir, `sdk-${kind}`), name, options[kind]);
    const nodes = [{ label: `node ${process.versions.node}`, path: process.execPath }];
    const node22 = otherNode('22');
    if (typeof node22 === 'string' && node22 !== process.execPath) nodes.push({ label: `node ${spawnSync(node22, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout.trim()}`, path: node22 });
    const cases: ColdInitCase[] = nodes.flatMap((node) =>
      names.flatMap((name) => (['external', 'bundled'] as const).map((kind) => ({ name: `${name} ${kind} · ${node.label}`, file: variants[kind][name]!.file, node: node.path }))),
    );
    const rounds = Number(process.env['BENCH_COLD_ROUNDS'] ?? 15);
    const samples = measureColdInit(cases, rounds);
    const pairedRatio = (a: number[], b: number[]): string => {
      const { median, p10, p90 } = paired(a, b).ratio;
      return `${median.toFixed(2)}× (${p10.toFixed(2)}–${p90.toFixed(2)})`;
    };
    print(`\n### The AWS SDK bundled from its ES module build vs external: cold init and zip per function (${rounds} runs each, interleaved; ratios bundled / external, paired by round; serverless.yml ships it ${ships})\n`);
    print(
      markdownTable(
        ['function', 'node', 'process CPU until ready: external', 'bundled', 'ratio', 'require() CPU: external', 'bundled', 'ratio', 'zip: external', 'bundled', 'ratio'],
        nodes.flatMap((node) =>
          names.map((name) => {
            const external = samples[`${name} external · ${node.label}`]!;
            const bundled = samples[`${name} bundled · ${node.label}`]!;
            const zips = [variants.external[name]!.zipBytes, variants.bundled[name]!.zipBytes] as const;
            return [
              name,
              node.label,
              ms(summarize(external.processCpuMs)),
              ms(summarize(bundled.processCpuMs)),
              pairedRatio(bundled.processCpuMs, external.processCpuMs),
              ms(summarize(external.requireCpuMs)),
              ms(summarize(bundled.requireCpuMs)),
              pairedRatio(bundled.requireCpuMs, external.requireCpuMs),
              kb(zips[0]),
              kb(zips[1]),
              `${(zips[1] / zips[0]).toFixed(2)}×`,
            ];
          }),
        ),
      ),
    );
    if (typeof node22 !== 'string') print(`\nNode 22 not measured: ${node22.reason}`);
    print('\nExternal: the SDK is loaded from node_modules (its CommonJS build), as Lambda loads the runtime\'s copy; bundled: esbuild takes each SDK package\'s ES module build (`mainFields: [module, main]`) into the bundle. Both built with serverless.yml\'s other options and zipped alike (`zip -X`).');
  }

  // ---- Engines: list page, queue hop, throughput ----------------------------------------------------
  if (runs('list')) {
    print('\n### A list page at 10 vs 10,000 stored events (DynamoDB Local)\n');
    print(script('bench/list-page.ts', { LOG_LEVEL: 'ERROR' }));
  }
  if (runs('hop')) {
    print('\n### Local queue and trigger hops (npm start and start:gcp stacks)\n');
    print(script('bench/queue-hop.ts'));
  }
  if (runs('throughput')) {
    const rows = await measureThroughput();
    const ceiling = rows[0]!;
    print(`\n### Local HTTP throughput (autocannon, 10 connections, ${process.env['BENCH_THROUGHPUT_SECONDS'] ?? 5} s each, GET /events?limit=10 on an empty store)\n`);
    print(
      markdownTable(
        ['server', 'requests/s', '× hello world', 'latency median', 'latency p90', 'non-2xx', 'errors'],
        rows.map((row) => [row.name, formatSpread(row.requests, 'req/s', 0), ratio(row.requests, ceiling.requests), `${row.latencyMedianMs} ms`, `${row.latencyP90Ms} ms`, String(row.non2xx), String(row.errors)]),
      ),
    );
  }
  print(`\nWhole run: ${Math.round((Date.now() - started) / 1000)} s.`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}

if (args.includes('--write')) {
  const file = 'BENCHMARKS.md';
  const text = readFileSync(file, 'utf8');
  const [startMarker, endMarker] = ['<!-- bench:start -->', '<!-- bench:end -->'];
  const from = text.indexOf(startMarker);
  const to = text.indexOf(endMarker);
  if (from === -1 || to === -1) throw new Error(`${file} has no ${startMarker} … ${endMarker} section`);
  writeFileSync(file, `${text.slice(0, from + startMarker.length)}\n${out.join('\n')}\n${text.slice(to)}`);
  console.log(`\nWrote the tables into ${file}.`);
}
