import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildGcp, GCP_FUNCTIONS } from '../../scripts/build-gcp.js';
import { asyncLocalStoragesOf } from '../support/deployed-bundle.js';
import { localOnlyMarkers } from '../support/local-only.js';

const root = new URL('../../', import.meta.url).pathname;
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const outDirs: string[] = [];
afterAll(() => outDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

describe('npm run build:gcp', () => {
  it('writes index.js and package.json per function, without source maps unless asked', async () => {
    const plain = mkdtempSync(join(tmpdir(), 'gcp-build-'));
    const mapped = mkdtempSync(join(tmpdir(), 'gcp-build-maps-'));
    outDirs.push(plain, mapped);
    await buildGcp(plain);
    await buildGcp(mapped, { sourcemap: true });
    for (const name of Object.keys(GCP_FUNCTIONS)) {
      expect(readdirSync(join(plain, name)).sort(), name).toEqual(['index.js', 'package.json']);
      expect(readdirSync(join(mapped, name)).sort(), name).toEqual(['index.js', 'index.js.map', 'package.json']);
      // The local console and the OpenTelemetry SDK are for the local modes only.
      expect(localOnlyMarkers(readFileSync(join(plain, name, 'index.js'), 'utf8')), name).toEqual([]);
      // The hop is passed explicitly: no AsyncLocalStorage at all (the functions framework's own is not bundled: a dependency).
      const bundle = readFileSync(join(plain, name, 'index.js'), 'utf8');
      expect(asyncLocalStoragesOf(bundle), name).toEqual([]);
      expect(bundle, name).not.toContain('async_hooks');
    }
  }, 120_000);
});

/** The environment without the caller's AUTH_* or REGION, so each run says which settings it gives. */
const cleanEnv = () => Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AUTH_') && name !== 'REGION'));
const deployDryRun = (env: NodeJS.ProcessEnv) =>
  spawnSync(process.execPath, [tsx, 'scripts/deploy-gcp.ts', '--region', 'europe-west1', '--dry-run'], { cwd: root, encoding: 'utf8', env });

/**
 * Where a shell line leaves a `$NAME` or `$(...)` unexpanded (inside single quotes) or unquoted (split into
 * words): a small reader of shell quoting, with a context per `$(`, since quotes start afresh inside one.
 */
function badExpansions(line: string): string[] {
  const bad: string[] = [];
  const stack: ('plain' | 'double' | 'single' | 'subshell')[] = ['plain'];
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i]!;
    const state = stack.at(-1)!;
    if (state === 'single') {
      if (char === "'") stack.pop();
      else if (char === '$' && /[A-Za-z_(]/.test(line[i + 1] ?? '')) bad.push(`${line.slice(i, i + 20)} (single-quoted)`);
      continue;
    }
    if (char === '\\') i += 1;
    else if (char === '$' && line[i + 1] === '(') {
      if (state !== 'double') bad.push(`${line.slice(i, i + 20)} (unquoted)`);
      stack.push('subshell');
      i += 1;
    } else if (char === '$' && /[A-Za-z_]/.test(line[i + 1] ?? '')) {
      // An assignment's right side is not split: NAME=$(...) and NAME="$X" alike are safe, but say it quoted.
      if (state !== 'double') bad.push(`${line.slice(i, i + 20)} (unquoted)`);
    } else if (char === '"') {
      if (state === 'double') stack.pop();
      else stack.push('double');
    } else if (char === "'" && state !== 'double') stack.push('single');
    else if (char === ')' && state === 'subshell') stack.pop();
  }
  if (stack.length !== 1) bad.push(`unbalanced quoting: ${stack.join(' > ')}`);
  return bad;
}

describe('npm run deploy:gcp -- --dry-run', () => {
  it('prints lines bash parses, every setting left to the shell double-quoted so it expands', () => {
    const run = deployDryRun(cleanEnv());
    expect(run.status, run.stderr).toBe(0);
    const lines = run.stdout.split('\n').filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(lines.filter((line) => line.startsWith('gcloud functions deploy'))).toHaveLength(Object.keys(GCP_FUNCTIONS).length);
    const syntax = spawnSync('bash', ['-n'], { input: run.stdout, encoding: 'utf8' });
    expect(syntax.status, syntax.stderr).toBe(0);
    expect(lines.flatMap((line) => badExpansions(line).map((problem) => `${problem} in: ${line}`))).toEqual([]);
    expect(run.stdout).toContain('"--set-env-vars=AUTH_ISSUER=$AUTH_ISSUER,AUTH_AUDIENCE=$AUTH_AUDIENCE,AUTH_JWKS_URL=$AUTH_JWKS_URL"');
  }, 60_000);

  it('prints the settings given to it, expanded, and those lines run in bash as printed', () => {
    const settings = { AUTH_ISSUER: 'https://issuer.example/', AUTH_AUDIENCE: 'myevents', AUTH_JWKS_URL: 'https://issuer.example/jwks.json' };
    const run = deployDryRun({ ...cleanEnv(), ...settings });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).not.toContain('$AUTH_');
    // bash runs the printed deploy lines with a gcloud that prints its arguments: what gcloud would get.
    const deployLines = run.stdout.split('\n').filter((line) => line.startsWith('gcloud functions deploy'));
    const shell = spawnSync('bash', ['-c', `gcloud() { printf '%s\\n' "$@"; echo ---; }\n${deployLines.join('\n')}`], { encoding: 'utf8', env: cleanEnv() });
    expect(shell.status, shell.stderr).toBe(0);
    const received = shell.stdout.split('---\n').filter(Boolean).map((block) => block.trim().split('\n'));
    expect(received[0]).toContain(`--set-env-vars=AUTH_ISSUER=${settings.AUTH_ISSUER},AUTH_AUDIENCE=${settings.AUTH_AUDIENCE},AUTH_JWKS_URL=${settings.AUTH_JWKS_URL}`);
    expect(received[3]).toContain('--trigger-event-filters=database=(default)');
    expect(received[3]).toContain('--trigger-event-filters-path-pattern=document=events/{documentId}');
  }, 60_000);

  it('prints the API Gateway lines that, run as printed, build the config from each function URL and deploy it', () => {
    const run = deployDryRun(cleanEnv());
    expect(run.status, run.stderr).toBe(0);
    const gatewayBlock = run.stdout.slice(run.stdout.indexOf('# Then serve the HTTP functions at one base URL'));
    expect(gatewayBlock).toContain('gcloud api-gateway api-configs create');
    // bash runs the block with stand-ins that log their arguments: gcloud answers a function's URL and knows no
    // gateway yet (describe fails), npm records its call.
    const standIns = [
      'log() { printf "%s|" "$@" >> "$LOG"; echo >> "$LOG"; }',
      'gcloud() { if [ "$1 $2" = "functions describe" ]; then echo "https://$3.example"; else log gcloud "$@"; [ "$2 $3" != "gateways describe" ]; fi; }',
      'npm() { log npm "$@"; }',
      'REGION=europe-west1',
    ].join('\n');
    const dir = mkdtempSync(join(tmpdir(), 'gcp-gateway-lines-'));
    outDirs.push(dir);
    const log = join(dir, 'calls.log');
    const shell = spawnSync('bash', ['-c', `set -eu\n${standIns}\n${gatewayBlock}`], { encoding: 'utf8', env: { ...cleanEnv(), LOG: log } });
    expect(shell.status, shell.stderr).toBe(0);
    const calls = readFileSync(log, 'utf8').trim().split('\n');
    expect(calls[0]).toBe('npm|run|build:gcp-gateway|--|--eventsApi=https://eventsApi.example|--bookingsApi=https://bookingsApi.example|--playersApi=https://playersApi.example|');
    expect(calls[1]).toMatch(/^gcloud\|api-gateway\|api-configs\|create\|myevents-\d{8}-\d{6}\|--api=myevents\|--openapi-spec=dist\/gcp\/api-gateway\.yaml\|$/);
    const config = calls[1]!.split('|')[4];
    // The stand-in gcloud describes no gateway, so the line creates it, with the config just made.
    expect(calls.slice(2)).toEqual([
      'gcloud|api-gateway|gateways|describe|myevents|--location=europe-west1|',
      `gcloud|api-gateway|gateways|create|myevents|--api=myevents|--api-config=${config}|--location=europe-west1|`,
      'gcloud|api-gateway|gateways|describe|myevents|--location=europe-west1|--format=value(defaultHostname)|',
    ]);
  }, 60_000);

  it('refuses a real deploy without the token settings, naming the missing ones', () => {
    const run = spawnSync(process.execPath, [tsx, 'scripts/deploy-gcp.ts', '--region', 'europe-west1'], { cwd: root, encoding: 'utf8', env: { ...cleanEnv(), AUTH_AUDIENCE: 'myevents' } });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('Set AUTH_ISSUER, AUTH_JWKS_URL');
  }, 60_000);
});
