import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../offline/shared/ports.js';
import { stopProcessGroup } from '../../offline/shared/process-group.js';
import { placeholderAzureSettings } from '../support/azure-settings.js';
import { spawnNodeUntilReady } from '../support/process-group.js';

/**
 * README, "Adding a function", followed step by step in a temporary copy of the project (node_modules
 * linked): a scratch HTTP function `pingApi` (GET /ping, built from the clock port) gets its handler and
 * routes, one catalogue entry, one entry file per platform and its serverless.yml lines with its role,
 * and nothing else. Then each platform's own build must carry it, as the user would run it.
 */
const tsx = createRequire(import.meta.url).resolve('tsx/cli');
const PROJECT_FILES = ['functions', 'adapters', 'offline', 'infra', 'scripts', 'serverless.yml', 'host.json', 'package.json', 'tsconfig.json'];
let project = '';

/** Replaces `anchor` in a file of the copy with `replacement`; fails if the anchor is gone (the README's step no longer applies). */
function edit(file: string, anchor: string, replacement: string): void {
  const path = join(project, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(anchor)) throw new Error(`${file} no longer contains ${JSON.stringify(anchor)}: update README "Adding a function" and this test`);
  writeFileSync(path, text.replace(anchor, replacement));
}

const write = (file: string, text: string): void => writeFileSync(join(project, file), text);
const run = (args: string[], env: NodeJS.ProcessEnv = process.env) => spawnSync(process.execPath, args, { cwd: project, env, encoding: 'utf8' });

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), 'adding-a-function-'));
  for (const file of PROJECT_FILES) cpSync(resolve(file), join(project, file), { recursive: true });
  symlinkSync(resolve('node_modules'), join(project, 'node_modules'), 'dir');

  // 1. The handler, platform-free, and its routes in functions/routes.ts.
  write(
    'functions/http/ping.ts',
    `import type { ApiRequest, ApiResponse } from './contract.js';
import type { Clock } from '../ports.js';

export interface PingDeps {
  clock: Clock;
}

export async function ping(_request: ApiRequest, deps: PingDeps): Promise<ApiResponse> {
  return { status: 200, body: { pong: deps.clock.now().toISOString() } };
}
`,
  );
  edit('functions/routes.ts', "import type { Route } from './http/contract.js';", "import type { Route } from './http/contract.js';\nimport { ping, type PingDeps } from './http/ping.js';");
  edit('functions/routes.ts', 'export interface HttpFunctionDeps {', "export const pingApiRoutes: Route<PingDeps>[] = [{ method: 'GET', path: '/ping', access: 'public', handler: ping, summary: 'Ping' }];\n\nexport interface HttpFunctionDeps {\n  pingApi: PingDeps;");
  edit('functions/routes.ts', '  playersApi: playersApiRoutes,\n};', '  playersApi: playersApiRoutes,\n  pingApi: pingApiRoutes,\n};');

  // 2. One catalogue entry: its line, and its name in functionCatalogue.
  edit('functions/catalogue.ts', "import { bookingsApiRoutes, eventsApiRoutes, playersApiRoutes } from './routes.js';", "import { bookingsApiRoutes, eventsApiRoutes, pingApiRoutes, playersApiRoutes } from './routes.js';");
  edit('functions/catalogue.ts', 'export const functionCatalogue = {', "export const pingApi = /* @__PURE__ */ http('pingApi', ['clock'], pingApiRoutes, { description: 'Ping', probe: '/ping' });\n\nexport const functionCatalogue = {\n  pingApi,");

  // 3. One entry file per platform.
  write('adapters/aws/functions/ping-api.ts', "import { pingApi } from '../../../functions/catalogue.js';\nimport { composeHttp } from '../compose.js';\nimport { clock } from '../ports.js';\n\nexport const handler = composeHttp(pingApi, { clock });\n");
  write('adapters/azure/functions/ping-api.ts', "import { pingApi } from '../../../functions/catalogue.js';\nimport { composeHttp } from '../compose.js';\nimport { clock } from '../ports.js';\n\ncomposeHttp(pingApi, { clock });\n");
  write('adapters/gcp/functions/ping-api.ts', "import * as catalogue from '../../../functions/catalogue.js';\nimport { composeHttp } from '../compose.js';\nimport { clock } from '../ports.js';\n\nexport const pingApi = composeHttp(catalogue.pingApi, { clock });\n");

  // 4. Its serverless.yml lines, and its role (its own log group only: it reads no table).
  edit('serverless.yml', '\nfunctions:\n', "\nfunctions:\n  pingApi:\n    handler: adapters/aws/functions/ping-api.handler\n    role: PingApiRole\n    events:\n      - httpApi: 'ANY /ping'\n");
  edit(
    'infra/aws/roles.yml',
    '  PlayersApiRole:\n',
    `  PingApiRole:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: '2012-10-17'
        Statement:
          - { Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }
      Policies:
        - PolicyName: pingApi
          PolicyDocument:
            Version: '2012-10-17'
            Statement:
              - Effect: Allow
                Action: [logs:CreateLogStream, logs:PutLogEvents]
                Resource: !Sub 'arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/\${self:service}-\${sls:stage}-pingApi:*'
  PlayersApiRole:
`,
  );
});

afterAll(() => {
  if (project) rmSync(project, { recursive: true, force: true });
});

describe('README "Adding a function": a scratch pingApi added by its steps', () => {
  it('typechecks: the compiler accepts the ports the catalogue and the entries name', () => {
    const result = run([createRequire(import.meta.url).resolve('typescript/bin/tsc'), '--noEmit', '-p', '.']);
    expect(result.status, result.stdout + result.stderr).toBe(0);
  }, 120_000);

  it('is in `sls package`: its own zip, its function in the template, and its bundle answers GET /ping', () => {
    const out = join(project, '.serverless-package');
    const env = { ...process.env, AUTH_ISSUER: 'https://issuer.example/', AUTH_AUDIENCE: 'myevents', AUTH_JWKS_URL: 'https://issuer.example/jwks.json', AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'none-configured' };
    const result = run(['node_modules/serverless/bin/serverless.js', 'package', '--stage', 'test', '--package', out], env);
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const template = JSON.parse(readFileSync(join(out, 'cloudformation-template-update-stack.json'), 'utf8')) as { Resources: Record<string, { Type: string; Properties: Record<string, unknown> }> };
    expect(template.Resources['PingApiLambdaFunction']?.Properties['Handler']).toBe('adapters/aws/functions/ping-api.handler');

    const bundle = join(project, 'ping-api.cjs');
    writeFileSync(bundle, execFileSync('unzip', ['-p', join(out, 'pingApi.zip'), 'adapters/aws/functions/ping-api.cjs']));
    const invoke = `const { handler } = require(${JSON.stringify(bundle)});
handler({ version: '2.0', rawPath: '/ping', rawQueryString: '', headers: {}, isBase64Encoded: false, requestContext: { http: { method: 'GET', path: '/ping' }, requestId: 'r' } }, { awsRequestId: 'r', functionName: 'pingApi', getRemainingTimeInMillis: () => 1000 })
  .then((result) => console.log(JSON.stringify(result)));`;
    const answer = run(['-e', invoke], { ...env, LOG_LEVEL: 'WARN', NODE_PATH: join(project, 'node_modules') });
    expect(answer.status, answer.stderr).toBe(0);
    const result2 = JSON.parse(answer.stdout.trim().split('\n').at(-1) ?? '{}') as { statusCode: number; body: string };
    expect(result2.statusCode).toBe(200);
    expect(JSON.parse(result2.body)).toEqual({ pong: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
  }, 120_000);

  it('is in `npm run build:azure`: dist/azure registers it with the other functions', () => {
    const build = run(['scripts/build-azure.mjs']);
    expect(build.status, build.stderr).toBe(0);
    const script = `import { readdirSync } from 'node:fs';
for (const file of readdirSync('dist/azure/functions').filter((name) => name.endsWith('.js')).sort()) await import('./dist/azure/functions/' + file);`;
    const load = run(['--input-type=module', '-e', script], { ...process.env, ...placeholderAzureSettings });
    expect(load.status, load.stderr).toBe(0);
    const registered = [...`${load.stdout}${load.stderr}`.matchAll(/Skipping call to register function "(\w+)"/g)].map((match) => match[1]);
    expect(registered).toContain('pingApi');
    expect(registered).toHaveLength(9);
  }, 120_000);

  it('is in `npm run build:gcp`: dist/gcp/pingApi registers it with functions-framework', () => {
    const build = run([tsx, 'scripts/build-gcp.ts']);
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toMatch(/^pingApi\s+dist\/gcp\/pingApi\/index\.js$/m);
    expect(existsSync(join(project, 'dist/gcp/pingApi/package.json'))).toBe(true);
    const load = run(['-e', "require('./dist/gcp/pingApi/index.js'); console.log(typeof require('@google-cloud/functions-framework/testing').getFunction('pingApi'))"]);
    expect(load.status, load.stderr).toBe(0);
    expect(load.stdout.trim()).toBe('function');
  }, 120_000);

  it('is in `npm run start:memory`: GET /ping answers on its port', async () => {
    const port = await freePort();
    const server = await spawnNodeUntilReady('start:memory', ['--import', 'tsx', 'scripts/start-in-memory.ts'], 'MyEvents is running', 30_000, { cwd: project, env: { ...process.env, PORT: String(port) } });
    try {
      const response = await fetch(`http://127.0.0.1:${port}/ping`);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ pong: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
    } finally {
      await stopProcessGroup(server);
    }
  }, 60_000);
});
