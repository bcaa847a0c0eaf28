import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { functionNames } from '../../functions/catalogue.js';
import { placeholderAzureSettings } from '../support/azure-settings.js';
import { asyncLocalStoragesOf } from '../support/deployed-bundle.js';
import { localOnlyMarkers } from '../support/local-only.js';

/**
 * `npm run build:azure` output, loaded the way the Functions host's Node.js worker loads it (every
 * file package.json `main` matches, in one process), but without the host: @azure/functions then runs
 * in "test mode" and reports each registration it skips, which is what this test reads.
 */
const root = new URL('../../', import.meta.url).pathname;
/** Every function of the catalogue, as the host should register them (sorted as the test reads them). */
const FUNCTIONS = [...functionNames].sort();

/** Placeholder settings: clients are created at load time and connect on first use only. */
const settings = placeholderAzureSettings;

let main = '';

beforeAll(() => {
  execFileSync(process.execPath, [join(root, 'scripts/build-azure.mjs')], { cwd: root, stdio: 'pipe' });
  main = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { main: string }).main;
}, 60_000);

/** Every file under a folder, relative to it. */
const filesUnder = (dir: string) => readdirSync(dir, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1));

describe('npm run build:azure: the deployable folder dist/azure', () => {
  it('holds minified functions and chunks without source maps, host.json, and a package.json needing only @azure/functions', () => {
    const app = join(root, 'dist/azure');
    const files = filesUnder(app);
    expect(files.filter((file) => !file.startsWith('functions/')).sort()).toEqual(['host.json', 'package.json']);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    for (const file of files.filter((name) => name.endsWith('.js'))) {
      const text = readFileSync(join(app, file), 'utf8');
      // Minified: hardly an indented line (esbuild breaks lines at 500 characters, lineLimit, without indenting).
      const lines = text.split('\n');
      expect(lines.filter((line) => /^\s+\S/.test(line)).length, file).toBeLessThan(1 + lines.length / 10); // template literals only; unminified code has most lines indented
    }
    expect(readFileSync(join(app, 'host.json'), 'utf8')).toBe(readFileSync(join(root, 'host.json'), 'utf8'));
    const rootManifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { type: string; main: string; dependencies: Record<string, string>; devDependencies?: unknown };
    expect(manifest).toMatchObject({ type: 'module', main: 'functions/*.js', dependencies: { '@azure/functions': rootManifest.dependencies['@azure/functions'] } });
    expect(Object.keys(manifest.dependencies)).toEqual(['@azure/functions']);
    expect(manifest.devDependencies).toBeUndefined();
  });

  it('holds neither the local console nor the OpenTelemetry SDK (local modes only)', () => {
    const app = join(root, 'dist/azure');
    const scripts = filesUnder(app).filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) expect(localOnlyMarkers(readFileSync(join(app, file), 'utf8')), file).toEqual([]);
  });

  it('makes no AsyncLocalStorage (the hop is passed explicitly)', () => {
    const app = join(root, 'dist/azure');
    const scripts = filesUnder(app).filter((name) => name.endsWith('.js'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) expect(asyncLocalStoragesOf(readFileSync(join(app, file), 'utf8')), file).toEqual([]);
  });

  it('writes a source map beside every file only when asked (--sourcemap)', () => {
    const out = mkdtempSync(join(tmpdir(), 'azure-sourcemap-'));
    try {
      execFileSync(process.execPath, [join(root, 'scripts/build-azure.mjs'), '--sourcemap', '--outdir', out], { cwd: root, stdio: 'pipe' });
      const files = filesUnder(out);
      const scripts = files.filter((file) => file.endsWith('.js'));
      expect(scripts.length).toBeGreaterThan(FUNCTIONS.length);
      for (const file of scripts) expect(statSync(join(out, `${file}.map`)).size, file).toBeGreaterThan(0);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 60_000);

  it('writes esbuild\'s metafile where --metafile says (npm run bench reads it), the app folder as without it', () => {
    const work = mkdtempSync(join(tmpdir(), 'azure-metafile-'));
    try {
      const out = join(work, 'app');
      execFileSync(process.execPath, [join(root, 'scripts/build-azure.mjs'), '--outdir', out, '--metafile', join(work, 'meta.json')], { cwd: root, stdio: 'pipe' });
      expect(filesUnder(out).sort()).toEqual(filesUnder(join(root, 'dist/azure')).sort());
      const metafile = JSON.parse(readFileSync(join(work, 'meta.json'), 'utf8')) as { outputs: Record<string, { entryPoint?: string; bytes: number }> };
      const entries = Object.entries(metafile.outputs).filter(([, output]) => output.entryPoint !== undefined);
      expect(entries).toHaveLength(FUNCTIONS.length);
      for (const [file, output] of entries) expect(statSync(join(root, file)).size, file).toBe(output.bytes);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('npm run build:azure', () => {
  it('produces one file per function where package.json main points', () => {
    expect(main).toBe('dist/azure/functions/*.js');
    const built = readdirSync(join(root, 'dist/azure/functions')).filter((file) => file.endsWith('.js'));
    expect(built).toHaveLength(FUNCTIONS.length);
  });

  it('loads without the host, every file registering its function', () => {
    const script = `import { readdirSync } from 'node:fs';
for (const file of readdirSync('dist/azure/functions').filter((name) => name.endsWith('.js')).sort()) await import('./dist/azure/functions/' + file);`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: root, env: { ...process.env, ...settings }, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const skipped = [...`${run.stdout}${run.stderr}`.matchAll(/Skipping call to register function "(\w+)"/g)].map((match) => match[1]).sort();
    expect(skipped).toEqual(FUNCTIONS);
  });

  it('fails at load, naming the setting, when an app setting is missing', () => {
    const incomplete = Object.fromEntries(Object.entries(settings).filter(([name]) => name !== 'COSMOS_CONNECTION'));
    const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !(name in settings)));
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', "await import('./dist/azure/functions/events-api.js')"], { cwd: root, env: { ...env, ...incomplete }, encoding: 'utf8' });
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('App setting COSMOS_CONNECTION is not set');
  });
});

describe('infra/azure/main.bicep (read as text: no Bicep CLI on these machines)', () => {
  const bicep = readFileSync(join(root, 'infra/azure/main.bicep'), 'utf8');
  const appSettings = [...bicep.matchAll(/\{ name: '(\w+)', value: /g)].map((match) => match[1]);

  it('gives the Function App every setting the app reads (the Azure ones and the token settings)', async () => {
    const { SETTINGS } = await import('../../adapters/azure/environment.js');
    expect(appSettings).toEqual(expect.arrayContaining([...Object.values(SETTINGS), 'AUTH_ISSUER', 'AUTH_AUDIENCE', 'AUTH_JWKS_URL']));
  });

  it('makes the token settings required parameters, without a default that would answer 500, and runs Node 22', () => {
    for (const param of ['authIssuer', 'authAudience', 'authJwksUrl']) expect(bicep, param).toMatch(new RegExp(`^param ${param} string$`, 'm'));
    expect(bicep).toContain("linuxFxVersion: 'Node|22'");
  });
});
