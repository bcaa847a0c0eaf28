import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// A well-kept validator of Swagger 2.0 (the OpenAPI 2.0 JSON schema plus the checks the schema cannot make:
// declared path parameters, unique operation ids), rather than our own reading of the specification.
import SwaggerParser from '@apidevtools/swagger-parser';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { openApiDocument } from '../../adapters/shared/openapi.js';
import { httpFunctions, type HttpFunctionName } from '../../functions/routes.js';
import { apiGatewayConfig, type GatewayBackends, type GatewayConfig } from '../../infra/gcp/api-gateway.js';

const root = new URL('../../', import.meta.url).pathname;
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const outDirs: string[] = [];
afterAll(() => outDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** Cloud Run functions' URLs look like these (`gcloud functions describe … --format='value(serviceConfig.uri)'`). */
const backends: GatewayBackends = {
  eventsApi: 'https://eventsapi-a1b2c3-ew.a.run.app',
  bookingsApi: 'https://bookingsapi-a1b2c3-ew.a.run.app',
  playersApi: 'https://playersapi-a1b2c3-ew.a.run.app',
};
const backendOf = (name: HttpFunctionName) => ({ address: backends[name], path_translation: 'APPEND_PATH_TO_ADDRESS', disable_auth: true });
const swaggerMethods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

describe('the API Gateway config (npm run build:gcp-gateway)', () => {
  const config = apiGatewayConfig(backends);

  it('routes every route of the route table to its own function, with the OpenAPI document\'s operation id', () => {
    const document = openApiDocument();
    let routes = 0;
    for (const [name, table] of Object.entries(httpFunctions) as [HttpFunctionName, readonly { method: string; path: string }[]][]) {
      for (const route of table) {
        routes += 1;
        const operation = config.paths[route.path]?.[route.method.toLowerCase() as keyof GatewayConfig['paths'][string]];
        expect(operation, `${route.method} ${route.path}`).toBeDefined();
        expect(operation!['x-google-backend'], `${route.method} ${route.path}`).toEqual(backendOf(name));
        expect(operation!.operationId).toBe((document.paths[route.path]![route.method.toLowerCase()] as { operationId: string }).operationId);
      }
    }
    expect(routes).toBeGreaterThan(0);
  });

  it('sends every other method of a path to the same function (our 405 and CORS preflight), unknown paths to eventsApi, and nothing else', () => {
    const tablePaths = new Map<string, HttpFunctionName>();
    for (const [name, table] of Object.entries(httpFunctions) as [HttpFunctionName, readonly { path: string }[]][]) for (const route of table) tablePaths.set(route.path, name);
    expect(Object.keys(config.paths).sort()).toEqual([...tablePaths.keys()].sort());
    for (const [path, item] of Object.entries(config.paths)) {
      expect(Object.keys(item).sort(), path).toEqual([...swaggerMethods].sort());
      for (const operation of Object.values(item)) expect(operation['x-google-backend'], path).toEqual(backendOf(tablePaths.get(path)!));
    }
    expect(config['x-google-allow']).toBe('all');
    expect(config['x-google-backend']).toEqual(backendOf('eventsApi'));
  });

  it('is valid Swagger 2.0', async () => {
    // validate() dereferences in place: give it a copy.
    await expect(SwaggerParser.validate(structuredClone(config) as never)).resolves.toBeDefined();
  });

  it('would be caught invalid by the same check (an undeclared path parameter)', async () => {
    const broken = structuredClone(config);
    delete broken.paths['/events/{id}']!.get!.parameters;
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow(/path parameter/i);
  });

  it('refuses a function URL that is missing or not https', () => {
    expect(() => apiGatewayConfig({ ...backends, playersApi: '' })).toThrow('No URL for playersApi');
    expect(() => apiGatewayConfig({ ...backends, bookingsApi: 'http://bookingsapi.example' })).toThrow("bookingsApi's URL must be https");
  });
});

describe('npm run build:gcp-gateway', () => {
  const run = (args: string[]) => spawnSync(process.execPath, [tsx, 'infra/gcp/api-gateway.ts', ...args], { cwd: root, encoding: 'utf8' });

  it('writes the config as YAML for gcloud api-gateway api-configs create', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gcp-gateway-'));
    outDirs.push(dir);
    const out = join(dir, 'api-gateway.yaml');
    const result = run([`--eventsApi=${backends.eventsApi}/`, `--bookingsApi=${backends.bookingsApi}`, `--playersApi=${backends.playersApi}`, `--out=${out}`]);
    expect(result.status, result.stderr).toBe(0);
    // A trailing slash is dropped: the request path is appended to the address.
    expect(parse(readFileSync(out, 'utf8'))).toEqual(apiGatewayConfig(backends));
  }, 60_000);

  it('names the function URLs it was not given', () => {
    const result = run([`--eventsApi=${backends.eventsApi}`]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('--bookingsApi=https://… --playersApi=https://…');
  }, 60_000);
});
