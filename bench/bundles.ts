/**
 * The artefacts each deploy command writes, per function, measured as shipped:
 * - AWS: `sls package` (serverless-esbuild, serverless.yml `custom.esbuild`): each function's zip, and the bundle
 *   taken out of it (the file Lambda loads). The split by package comes from esbuild's metafile of a build with
 *   the options serverless-esbuild passes (awsBuildOptions), checked byte for byte against the zipped bundle.
 * - Azure: `node scripts/build-azure.mjs` (npm run build:azure) into a work folder, with its --metafile: each
 *   function loads its entry module and the shared chunks it imports, which the metafile's import graph gives.
 * - GCP: scripts/build-gcp.ts's own gcpBundleOptions and writeGcpManifest (what npm run build:gcp runs per
 *   function), with esbuild's metafile on (it changes no byte of the output): each function's source folder.
 * Sizes split by package (`ours` for this repository's code) show what each dependency costs.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { parse } from 'yaml';
import { GCP_FUNCTIONS, gcpBundleOptions, writeGcpManifest, type GcpFunctionName } from '../scripts/build-gcp.js';

export interface BundleRow {
  platform: 'AWS' | 'Azure' | 'GCP';
  name: string;
  /** The file the platform loads for this function (Azure: its entry module, which imports its chunks). */
  file: string;
  /** Bytes the function loads: the bundle (Azure: the entry module and every chunk it imports). */
  bytes: number;
  /** What is uploaded for this function alone: AWS its zip from `sls package`; GCP its source folder zipped (gcloud uploads it zipped); Azure none (one app for all, see AzureApp). */
  uploadBytes?: number;
  /** Bytes in what the function loads, per package (`zod`, `@aws-lambda-powertools/logger`, ...; `ours` for this repository's code). */
  byPackage: Record<string, number>;
}

export interface AzureApp {
  /** The app folder (functions/, host.json, package.json). */
  dir: string;
  /** Every file of the app folder but node_modules (installed on deploy): functions, chunks, host.json, package.json. */
  files: number;
  bytes: number;
  zipBytes: number;
  mapFiles: number;
}

const packageOf = (input: string): string => {
  const at = input.lastIndexOf('node_modules/');
  if (at === -1) return 'ours';
  const [scopeOrName = '', name = ''] = input.slice(at + 'node_modules/'.length).split('/');
  return scopeOrName.startsWith('@') ? `${scopeOrName}/${name}` : scopeOrName;
};

/** Bytes per package in the given outputs of a metafile. */
function byPackage(metafile: Metafile, outputs: readonly string[]): Record<string, number> {
  const sizes: Record<string, number> = {};
  for (const output of outputs) {
    for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[output]?.inputs ?? {})) sizes[packageOf(input)] = (sizes[packageOf(input)] ?? 0) + bytesInOutput;
  }
  return sizes;
}

interface ServerlessYml {
  provider: { runtime: string };
  custom: { esbuild: Record<string, unknown> };
  functions: Record<string, { handler: string }>;
}
const serverlessYml = (): ServerlessYml =>
  parse(readFileSync('serverless.yml', 'utf8'), { customTags: [{ tag: '!Ref', resolve: (v: string) => v }, { tag: '!GetAtt', resolve: (v: string) => v }] }) as ServerlessYml;

/** serverless.yml's functions: name → entry module. */
export function awsEntries(): Record<string, string> {
  return Object.fromEntries(Object.entries(serverlessYml().functions).map(([name, { handler }]) => [name, `${handler.slice(0, handler.lastIndexOf('.'))}.ts`]));
}

/** serverless-esbuild's own options, which it does not pass to esbuild (node_modules/serverless-esbuild/dist/bundle.js). */
const PLUGIN_OPTIONS = new Set(['concurrency', 'zipConcurrency', 'exclude', 'nativeZip', 'packager', 'packagePath', 'watch', 'keepOutputDirectory', 'packagerOptions', 'installExtraArgs', 'outputFileExtension', 'outputBuildFolder', 'outputWorkFolder', 'nodeExternals', 'skipBuild', 'skipRebuild', 'skipBuildExcludeFns', 'stripEntryResolveExtensions', 'disposeContext', 'config']);

/**
 * The esbuild options serverless-esbuild builds each function with: serverless.yml `custom.esbuild` over the
 * plugin's defaults (platform node, exclude ['aws-sdk']), its own options removed, `exclude` made `external`.
 */
export function awsBuildOptions(): BuildOptions {
  const custom: Record<string, unknown> = { platform: 'node', exclude: ['aws-sdk'], ...serverlessYml().custom.esbuild };
  const exclude = (custom['exclude'] as string[] | undefined) ?? [];
  const options = Object.fromEntries(Object.entries(custom).filter(([key]) => !PLUGIN_OPTIONS.has(key))) as BuildOptions;
  return { ...options, external: [...(options.external ?? []), ...(exclude.includes('*') ? [] : exclude)] };
}

/** `zip -X` of some files (each under its own name), as the platforms upload them: the archive's size. */
export function zipSize(dir: string, files: readonly string[], zipFile: string): number {
  execFileSync('zip', ['-q', '-X', zipFile, ...files], { cwd: dir });
  return statSync(zipFile).size;
}

const slsEnv = (workFolder: string): NodeJS.ProcessEnv => ({
  ...process.env,
  // sls package refuses without the token settings (README, Authentication): placeholders, as nothing is deployed.
  AUTH_ISSUER: 'https://issuer.example/',
  AUTH_AUDIENCE: 'myevents',
  AUTH_JWKS_URL: 'https://issuer.example/.well-known/jwks.json',
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_PROFILE: 'none-configured',
  ESBUILD_WORK_FOLDER: workFolder,
});

/** `sls package` as the README's deploy runs it (stage `bench`), into `outDir`; its work folder is its own and removed by it. */
export function slsPackage(outDir: string): void {
  execFileSync(process.execPath, ['node_modules/serverless/bin/serverless.js', 'package', '--stage', 'bench', '--package', outDir], { stdio: 'pipe', env: slsEnv(`.esbuild-bench-${process.pid}`) });
}

/** Each AWS function as `sls package` ships it: zip size, and the bundle taken out of the zip into `outDir/aws`. */
async function awsRows(outDir: string): Promise<BundleRow[]> {
  const packageDir = join(outDir, 'aws-package');
  slsPackage(packageDir);
  mkdirSync(join(outDir, 'aws'), { recursive: true });
  mkdirSync(join(outDir, 'aws-metafile'), { recursive: true });
  const rows: BundleRow[] = [];
  for (const [name, entry] of Object.entries(awsEntries())) {
    const zip = join(packageDir, `${name}.zip`);
    const entries = execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n');
    if (entries.length !== 1 || !entries[0]!.endsWith('.cjs')) throw new Error(`${name}.zip holds ${entries.join(', ')}: expected its bundle alone`);
    const file = join(outDir, 'aws', `${name}.cjs`);
    writeFileSync(file, execFileSync('unzip', ['-p', zip, entries[0]!], { maxBuffer: 64 * 2 ** 20 }));
    // The split by package: the same build with a metafile, which must be the zipped bundle byte for byte.
    const check = join(outDir, 'aws-metafile', `${name}.cjs`);
    const result = await build({ ...awsBuildOptions(), entryPoints: [entry], outfile: check, metafile: true, logLevel: 'error' });
    if (!readFileSync(check).equals(readFileSync(file))) throw new Error(`bench/bundles.ts's build of ${name} differs from sls package's: serverless.yml custom.esbuild has an option awsBuildOptions() does not pass on`);
    const output = Object.keys(result.metafile.outputs).find((path) => path.endsWith(basename(check)))!;
    rows.push({ platform: 'AWS', name, file, bytes: statSync(file).size, uploadBytes: statSync(zip).size, byPackage: byPackage(result.metafile, [output]) });
  }
  return rows;
}

/** Each GCP function's source folder as npm run build:gcp writes it (scripts/build-gcp.ts's options, metafile on), under `outDir/gcp`. */
async function gcpRows(outDir: string): Promise<BundleRow[]> {
  const gcpDir = join(outDir, 'gcp');
  const rows: BundleRow[] = [];
  for (const name of Object.keys(GCP_FUNCTIONS) as GcpFunctionName[]) {
    const folder = writeGcpManifest(name, gcpDir);
    const result = await build({ ...gcpBundleOptions(name, gcpDir, false), metafile: true });
    const files = readdirSync(folder).sort();
    if (files.join() !== 'index.js,package.json') throw new Error(`${folder} holds ${files.join(', ')}: expected index.js and package.json`);
    const file = join(folder, 'index.js');
    const output = Object.keys(result.metafile!.outputs).find((path) => resolve(path) === resolve(file))!;
    rows.push({ platform: 'GCP', name, file, bytes: statSync(file).size, uploadBytes: zipSize(folder, files, resolve(outDir, `gcp-${name}.zip`)), byPackage: byPackage(result.metafile!, [output]) });
  }
  return rows;
}

/** The Azure app as npm run build:azure writes it (the command itself, into `outDir/azure`), per function and whole. */
function azureRows(outDir: string): { rows: BundleRow[]; app: AzureApp } {
  const appDir = join(outDir, 'azure');
  const metafilePath = join(outDir, 'azure-metafile.json');
  execFileSync(process.execPath, ['scripts/build-azure.mjs', '--outdir', appDir, '--metafile', metafilePath], { stdio: 'pipe' });
  const metafile = JSON.parse(readFileSync(metafilePath, 'utf8')) as Metafile;
  /** An output and every output it imports statically, as node loads them. */
  const loaded = (output: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(output)) return seen;
    seen.add(output);
    for (const { path, kind } of metafile.outputs[output]?.imports ?? []) if (kind === 'import-statement' && path in metafile.outputs) loaded(path, seen);
    return seen;
  };
  const rows = Object.entries(metafile.outputs)
    .filter(([, output]) => output.entryPoint !== undefined)
    .map(([output, { entryPoint }]): BundleRow => {
      const files = [...loaded(output)];
      const name = basename(entryPoint!, '.ts').replace(/-(\w)/g, (_, letter: string) => letter.toUpperCase());
      return { platform: 'Azure', name, file: resolve(output), bytes: files.reduce((sum, path) => sum + statSync(path).size, 0), byPackage: byPackage(metafile, files) };
    });
  const appFiles = readdirSync(appDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(appDir, join(entry.parentPath, entry.name)));
  const app: AzureApp = {
    dir: appDir,
    files: appFiles.length,
    bytes: appFiles.reduce((sum, file) => sum + statSync(join(appDir, file)).size, 0),
    zipBytes: zipSize(appDir, appFiles, resolve(outDir, 'azure-app.zip')),
    mapFiles: appFiles.filter((file) => file.endsWith('.map')).length,
  };
  return { rows, app };
}

/** Every function's shipped artefact on every platform, written under `outDir`. */
export async function shippedBundles(outDir: string): Promise<{ rows: BundleRow[]; azureApp: AzureApp }> {
  mkdirSync(outDir, { recursive: true });
  const aws = await awsRows(outDir);
  const gcp = await gcpRows(outDir);
  const azure = azureRows(outDir);
  return { rows: [...aws, ...azure.rows, ...gcp], azureApp: azure.app };
}

/**
 * One AWS function built as serverless-esbuild would with `changes` over serverless.yml's options (a variant
 * the bench compares with what ships: with a source map, or with the AWS SDK bundled), zipped alike.
 */
export async function awsVariant(outDir: string, name: string, changes: BuildOptions): Promise<{ file: string; bytes: number; zipBytes: number; byPackage: Record<string, number> }> {
  const entry = awsEntries()[name];
  if (entry === undefined) throw new Error(`serverless.yml has no function ${name}`);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${name}.cjs`);
  const result = await build({ ...awsBuildOptions(), ...changes, entryPoints: [entry], outfile: file, metafile: true, logLevel: 'error' });
  const files = [basename(file), ...(changes.sourcemap ? [`${basename(file)}.map`] : [])];
  const output = Object.keys(result.metafile.outputs).find((path) => path.endsWith(basename(file)))!;
  return { file, bytes: statSync(file).size, zipBytes: zipSize(outDir, files, resolve(outDir, `${name}.zip`)), byPackage: byPackage(result.metafile, [output]) };
}

/** A small entry bundled the AWS way (serverless.yml's options), for the cold-init baselines (a constant handler, SDK clients only, one library alone). */
export async function bundleSnippet(outDir: string, name: string, source: string): Promise<string> {
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, `${name}.cjs`);
  await build({ ...awsBuildOptions(), stdin: { contents: source, loader: 'ts', resolveDir: process.cwd(), sourcefile: `${name}.ts` }, outfile, logLevel: 'error' });
  return outfile;
}
