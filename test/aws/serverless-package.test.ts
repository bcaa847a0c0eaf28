import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functionCatalogue, functionNames, QUEUE_MAX_DELIVERIES, STREAM_MAX_RETRIES, type QueueName, type StoreName } from '../../functions/catalogue.js';
import { httpFunctions } from '../../functions/routes.js';
import { asyncLocalStoragesOf } from '../support/deployed-bundle.js';
import { localOnlyMarkers } from '../support/local-only.js';
import { freePort } from '../../offline/shared/ports.js';

/**
 * `sls deploy` cannot reach AWS here; `sls package` builds the same CloudFormation template and zips
 * without credentials, so this asserts on what a deploy would create.
 */
type Resource = { Type: string; Properties: Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- CloudFormation JSON
let template: { Resources: Record<string, Resource> };
let packageDir: string;

const resourcesOfType = (type: string) => Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
const logicalId = (functionName: string) => `${functionName.charAt(0).toUpperCase()}${functionName.slice(1)}LambdaFunction`;

/** The catalogue's platform-free sources (functions/catalogue.ts) as this stack's logical ids. */
const tableOf: Record<StoreName, string> = { events: 'EventsTable', bookings: 'BookingsTable', players: 'PlayersTable' };
const queueOf: Record<QueueName, string> = { bookings: 'BookingsQueue', events: 'EventsQueue' };
const streamFunctions = Object.fromEntries(
  Object.entries(functionCatalogue).flatMap(([name, spec]) => (spec.trigger === 'change-stream' ? [[name, tableOf[spec.store]]] : [])),
);
const queueFunctions = Object.fromEntries(Object.entries(functionCatalogue).flatMap(([name, spec]) => (spec.trigger === 'queue' ? [[name, queueOf[spec.queue]]] : [])));
const allFunctions: string[] = functionNames;

/** The resources each function's role may name: its own tables, streams and queues, nothing else. */
const allowedResources: Record<string, string[]> = {
  eventsApi: ['EventsTable'],
  bookingsApi: ['BookingsTable'],
  playersApi: ['PlayersTable', 'GameMapTable'],
  eventsOutbox: ['EventsTable', 'BookingsQueue', 'StreamFailuresQueue'],
  bookingsOutbox: ['BookingsTable', 'EventsQueue', 'StreamFailuresQueue'],
  placePlayers: ['PlayersTable', 'GameMapTable', 'StreamFailuresQueue'],
  bookingsConsumer: ['BookingsQueue', 'BookingsTable'],
  eventsConsumer: ['EventsQueue', 'EventsTable'],
};

/** Logical ids a CloudFormation value refers to (Ref, Fn::GetAtt, ${X.Arn} inside Fn::Sub). */
function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (typeof value !== 'object' || value === null) return [];
  const record = value as Record<string, unknown>;
  if (typeof record['Ref'] === 'string') return [record['Ref']];
  if (Array.isArray(record['Fn::GetAtt'])) return [String(record['Fn::GetAtt'][0])];
  if (typeof record['Fn::Sub'] === 'string') return [...record['Fn::Sub'].matchAll(/\$\{(\w+)\.\w+\}/g)].map((match) => match[1]!);
  return Object.values(record).flatMap(referencedIds);
}

/** The token settings a deployment needs (README, Authentication): `sls package` refuses without them. */
const authSettings = { AUTH_ISSUER: 'https://issuer.example/', AUTH_AUDIENCE: 'myevents', AUTH_JWKS_URL: 'https://issuer.example/.well-known/jwks.json' };
const noCredentials = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_PROFILE: 'none-configured' };
/** The environment without any AUTH_* of the caller's, so each test says which settings it gives. */
const baseEnv = () => ({ ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('AUTH_'))), ...noCredentials });

const slsPackage = (outDir: string, env: Record<string, string | undefined>) =>
  execFileSync(process.execPath, ['node_modules/serverless/bin/serverless.js', 'package', '--stage', 'test', '--package', outDir], { stdio: 'pipe', env });

/** The file names inside a zip, sorted (unzip -Z1 lists one per line). */
const zipEntries = (zip: string) => execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim().split('\n').sort();

beforeAll(() => {
  packageDir = mkdtempSync(join(tmpdir(), 'sls-package-'));
  slsPackage(packageDir, { ...baseEnv(), ...authSettings, ESBUILD_WORK_FOLDER: '.esbuild-package' });
  template = JSON.parse(readFileSync(join(packageDir, 'cloudformation-template-update-stack.json'), 'utf8'));
}, 240_000);
afterAll(() => rmSync(packageDir, { recursive: true, force: true }));

describe('`sls package` artefacts', () => {
  it.each(allFunctions)("%s's zip holds its bundle and nothing else", (name) => {
    const handler = String(template.Resources[logicalId(name)]!.Properties['Handler']);
    expect(zipEntries(join(packageDir, `${name}.zip`))).toEqual([`${handler.slice(0, handler.lastIndexOf('.'))}.cjs`]);
  });

  it.each(allFunctions)("%s's bundle holds neither the local console nor the OpenTelemetry SDK (local modes only)", (name) => {
    const bundle = execFileSync('unzip', ['-p', join(packageDir, `${name}.zip`)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(bundle.length).toBeGreaterThan(1000);
    expect(localOnlyMarkers(bundle)).toEqual([]);
  });

  it.each(allFunctions)("%s's bundle makes no AsyncLocalStorage of ours (the hop is passed explicitly; the AWS SDK's own is made only under AWS_LAMBDA_MAX_CONCURRENCY)", (name) => {
    const bundle = execFileSync('unzip', ['-p', join(packageDir, `${name}.zip`)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    expect(bundle.length).toBeGreaterThan(1000);
    expect(asyncLocalStoragesOf(bundle)).toEqual([]);
  });

  it('holds the same files after a local build (`sls offline`, as npm start, the bench and the tests run it) as from a clean folder', async () => {
    // Prepare: sls offline builds (with esbuild metafiles, for hot reload) and then stops, as no engine answers.
    const folder = `.esbuild-reuse-${process.pid}`;
    const afterLocalBuild = mkdtempSync(join(tmpdir(), 'sls-package-reuse-'));
    const [httpPort, lambdaPort, nothing] = [await freePort(), await freePort(), `http://127.0.0.1:${await freePort()}`];
    try {
      const offline = spawnSync(process.execPath, ['node_modules/serverless/bin/serverless.js', 'offline', 'start', '--stage', 'local', '--httpPort', String(httpPort), '--lambdaPort', String(lambdaPort)], {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...baseEnv(), AWS_ENDPOINT_URL_DYNAMODB: nothing, LOCAL_SQS_URL: nothing, ESBUILD_WORK_FOLDER: folder },
      });
      expect(offline.status, `${offline.stdout}${offline.stderr}`).toBe(1);
      // Wherever the local build went, it left its metafiles behind.
      const localBuild = readdirSync('.').filter((entry) => entry.startsWith(folder)).flatMap((entry) => readdirSync(entry, { recursive: true }).map(String));
      expect(localBuild.filter((file) => file.endsWith('-meta.json'))).toHaveLength(allFunctions.length);

      // Act: package with the same work folder setting.
      slsPackage(afterLocalBuild, { ...baseEnv(), ...authSettings, ESBUILD_WORK_FOLDER: folder });

      // Assess
      for (const name of allFunctions) expect(zipEntries(join(afterLocalBuild, `${name}.zip`)), name).toEqual(zipEntries(join(packageDir, `${name}.zip`)));
    } finally {
      for (const path of [folder, `${folder}-offline`, afterLocalBuild]) rmSync(path, { recursive: true, force: true });
    }
  }, 300_000);

  it('refuses to package without the token settings, naming the missing ones', () => {
    const run = spawnSync(process.execPath, ['node_modules/serverless/bin/serverless.js', 'package', '--stage', 'test', '--package', join(packageDir, 'refused')], {
      encoding: 'utf8',
      env: { ...baseEnv(), AUTH_AUDIENCE: 'myevents', ESBUILD_WORK_FOLDER: `.esbuild-refused-${process.pid}` },
    });
    rmSync(`.esbuild-refused-${process.pid}`, { recursive: true, force: true });
    expect(run.status).not.toBe(0);
    expect(`${run.stdout}${run.stderr}`).toContain('Set AUTH_ISSUER, AUTH_JWKS_URL before packaging or deploying');
  }, 120_000);
});

describe('serverless.yml, as packaged by `sls package` without credentials', () => {
  it.each(allFunctions)('%s is a nodejs22.x arm64 function with its own role and its own zip', (name) => {
    const lambda = template.Resources[logicalId(name)];
    expect(lambda?.Type).toBe('AWS::Lambda::Function');
    expect(lambda?.Properties).toMatchObject({ FunctionName: `myevents-test-${name}`, Runtime: 'nodejs22.x', Architectures: ['arm64'] });
    expect(referencedIds(lambda?.Properties['Role'])).toEqual([`${name.charAt(0).toUpperCase()}${name.slice(1)}Role`]);
    const zip = readdirSync(packageDir).find((file) => file === `${name}.zip`);
    expect(zip).toBeDefined();
    expect(statSync(join(packageDir, zip!)).size).toBeGreaterThan(1000);
  });

  it('deploys exactly the functions the platforms share', () => {
    const deployed = resourcesOfType('AWS::Lambda::Function').map(([, resource]) => String(resource.Properties['FunctionName']).replace('myevents-test-', ''));
    expect(deployed.sort()).toEqual([...allFunctions].sort());
  });

  it('routes every method of each path of the route table to the function that owns it, and unknown paths to eventsApi', () => {
    const integrationOwner = new Map(
      resourcesOfType('AWS::ApiGatewayV2::Integration').map(([id, resource]) => [id, referencedIds(resource.Properties['IntegrationUri'])[0]]),
    );
    const routed = resourcesOfType('AWS::ApiGatewayV2::Route').map(([, resource]) => {
      const integration = referencedIds(resource.Properties['Target'])[0] ?? String(resource.Properties['Target']).split('/').pop();
      return `${resource.Properties['RouteKey']} -> ${integrationOwner.get(String(integration))}`;
    });
    const declared = Object.entries(httpFunctions).flatMap(([name, routes]) => [
      ...new Set(routes.map((route) => `ANY ${route.path} -> ${logicalId(name)}`)),
      ...routes.filter((route) => route.access !== 'public').map((route) => `${route.method} ${route.path} -> ${logicalId(name)}`),
    ]);
    expect(routed.sort()).toEqual([...declared, `$default -> ${logicalId('eventsApi')}`].sort());
  });

  it('puts the JWT authorizer on exactly the routes that need a caller, with the admin scope where the route table says so', () => {
    const [authorizerId, authorizer] = resourcesOfType('AWS::ApiGatewayV2::Authorizer')[0]!;
    expect(authorizer.Properties).toMatchObject({ AuthorizerType: 'JWT', IdentitySource: ['$request.header.Authorization'] });
    expect(authorizer.Properties['JwtConfiguration']).toEqual({ Audience: [authSettings.AUTH_AUDIENCE], Issuer: authSettings.AUTH_ISSUER });
    const protectedRoutes = Object.fromEntries(
      resourcesOfType('AWS::ApiGatewayV2::Route')
        .filter(([, route]) => route.Properties['AuthorizationType'] === 'JWT')
        .map(([, route]) => {
          expect(referencedIds(route.Properties['AuthorizerId'])).toEqual([authorizerId]);
          return [route.Properties['RouteKey'], route.Properties['AuthorizationScopes'] ?? []];
        }),
    );
    const expected = Object.fromEntries(
      Object.values(httpFunctions)
        .flat()
        .filter((route) => route.access !== 'public')
        .map((route) => [`${route.method} ${route.path}`, route.access === 'admin' ? ['admin'] : []]),
    );
    expect(protectedRoutes).toEqual(expected);
  });

  it('throttles the HTTP API (rate and burst) on its stage, and gives the functions the token settings', () => {
    const [, stage] = resourcesOfType('AWS::ApiGatewayV2::Stage')[0]!;
    expect(stage.Properties['DefaultRouteSettings']).toEqual({ ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 });
    const variables = template.Resources[logicalId('bookingsApi')]!.Properties['Environment'].Variables;
    expect(variables).toMatchObject(authSettings);
  });

  it('declares the CORS policy of the shared HTTP layer for the HTTP API, and gives the functions the same origins', () => {
    const [, api] = resourcesOfType('AWS::ApiGatewayV2::Api')[0]!;
    expect(api.Properties['CorsConfiguration']).toEqual({
      AllowOrigins: ['*'],
      AllowHeaders: ['content-type', 'idempotency-key', 'authorization'],
      AllowMethods: ['GET', 'POST', 'DELETE', 'OPTIONS'],
      ExposeHeaders: ['link', 'x-request-id', 'idempotent-replayed'],
      MaxAge: 600,
    });
    expect(template.Resources[logicalId('eventsApi')]!.Properties['Environment'].Variables['CORS_ALLOWED_ORIGINS']).toBe('*');
  });

  it.each(Object.entries(streamFunctions))('%s reads the stream of %s with bounded retries, bisect, partial batch responses and an on-failure queue', (name, table) => {
    const mappings = resourcesOfType('AWS::Lambda::EventSourceMapping').filter(([, mapping]) => referencedIds(mapping.Properties['FunctionName'])[0] === logicalId(name));
    expect(mappings).toHaveLength(1);
    const properties = mappings[0]![1].Properties;
    expect(properties['EventSourceArn']).toEqual({ 'Fn::GetAtt': [table, 'StreamArn'] });
    expect(properties).toMatchObject({ StartingPosition: 'TRIM_HORIZON', BisectBatchOnFunctionError: true, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    expect(properties['MaximumRetryAttempts']).toBe(STREAM_MAX_RETRIES);
    expect(referencedIds(properties['DestinationConfig']?.OnFailure?.Destination)).toEqual(['StreamFailuresQueue']);
  });

  it.each(Object.entries(queueFunctions))('%s consumes %s with partial batch responses; the queue has a DLQ and a visibility timeout of at least 6x the function timeout', (name, queue) => {
    const mappings = resourcesOfType('AWS::Lambda::EventSourceMapping').filter(([, mapping]) => referencedIds(mapping.Properties['FunctionName'])[0] === logicalId(name));
    expect(mappings).toHaveLength(1);
    expect(mappings[0]![1].Properties).toMatchObject({ EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] }, FunctionResponseTypes: ['ReportBatchItemFailures'] });
    const queueProperties = template.Resources[queue]!.Properties;
    expect(queueProperties['RedrivePolicy'].maxReceiveCount).toBe(QUEUE_MAX_DELIVERIES);
    expect(template.Resources[referencedIds(queueProperties['RedrivePolicy'].deadLetterTargetArn)[0]!]?.Type).toBe('AWS::SQS::Queue');
    const timeout = template.Resources[logicalId(name)]!.Properties['Timeout'];
    expect(queueProperties['VisibilityTimeout']).toBeGreaterThanOrEqual(6 * timeout);
  });

  it('has four on-demand tables with pk/sk keys; the events, bookings and players tables stream both images', () => {
    const tables = Object.fromEntries(resourcesOfType('AWS::DynamoDB::Table'));
    expect(Object.keys(tables).sort()).toEqual(['BookingsTable', 'EventsTable', 'GameMapTable', 'PlayersTable']);
    for (const table of Object.values(tables)) {
      expect(table.Properties).toMatchObject({ BillingMode: 'PAY_PER_REQUEST', KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }] });
    }
    for (const name of Object.values(streamFunctions)) {
      expect(tables[name]?.Properties['StreamSpecification']).toEqual({ StreamViewType: 'NEW_AND_OLD_IMAGES' });
    }
  });

  it('lists events and locations through a keys-only index of the events table, which the events API may query and nothing else names', () => {
    const events = template.Resources['EventsTable']!.Properties;
    expect(events['GlobalSecondaryIndexes']).toEqual([
      {
        IndexName: 'list',
        KeySchema: [
          { AttributeName: 'listPk', KeyType: 'HASH' },
          { AttributeName: 'listSk', KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ]);
    const queries = resourcesOfType('AWS::IAM::Role').flatMap(([id, role]) =>
      role.Properties['Policies']
        .flatMap((policy: { PolicyDocument: { Statement: { Action: string[]; Resource: unknown }[] } }) => policy.PolicyDocument.Statement)
        .filter((statement: { Action: string[]; Resource: unknown }) => JSON.stringify(statement.Resource).includes('/index/'))
        .map((statement: { Action: string[]; Resource: unknown }) => ({ id, action: statement.Action, resource: statement.Resource })),
    );
    expect(queries).toEqual([{ id: 'EventsApiRole', action: ['dynamodb:Query'], resource: { 'Fn::Sub': '${EventsTable.Arn}/index/list' } }]);
  });

  it.each(allFunctions)("%s's role names only its own resources, with no wildcard actions", (name) => {
    const role = template.Resources[`${name.charAt(0).toUpperCase()}${name.slice(1)}Role`];
    expect(role?.Type).toBe('AWS::IAM::Role');
    const statements = role!.Properties['Policies'].flatMap((policy: { PolicyDocument: { Statement: unknown[] } }) => policy.PolicyDocument.Statement);
    expect(role!.Properties['ManagedPolicyArns']).toBeUndefined();
    for (const statement of statements as { Action: string[]; Resource: unknown }[]) {
      for (const action of statement.Action) expect(action).not.toContain('*');
      expect(statement.Resource).not.toBe('*');
    }
    const named = new Set(statements.flatMap((statement: { Resource: unknown }) => referencedIds(statement.Resource)));
    expect([...named].sort()).toEqual([...allowedResources[name]!].sort());
  });

  it('gives every function its table and queue names from the stack', () => {
    const lambda = template.Resources[logicalId('eventsApi')]!;
    expect(lambda.Properties['Environment'].Variables).toMatchObject({
      EVENTS_TABLE: 'myevents-test-events',
      BOOKINGS_TABLE: 'myevents-test-bookings',
      PLAYERS_TABLE: 'myevents-test-players',
      GAME_MAP_TABLE: 'myevents-test-game-map',
      BOOKINGS_QUEUE_URL: { Ref: 'BookingsQueue' },
      EVENTS_QUEUE_URL: { Ref: 'EventsQueue' },
    });
  });
});
