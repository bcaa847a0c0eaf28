import type { AddressInfo } from 'node:net';
import azf from '@azure/functions';
import { http } from '@google-cloud/functions-framework';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2 } from 'aws-lambda';
import { httpTrigger as awsHttpTrigger } from '../../adapters/aws/http-trigger.js';
import { httpTriggerOptions as azureHttpTriggerOptions } from '../../adapters/azure/http-trigger.js';
import { httpTrigger as gcpHttpTrigger } from '../../adapters/gcp/http-trigger.js';
import { createLocalHttpServer } from '../../adapters/local/http-server.js';
import { allowedMethods, matchRoute, tableServing } from '../../adapters/shared/router.js';
import type { LocalApp } from '../../adapters/local/local-app.js';
import type { Route } from '../../functions/http/contract.js';
import { httpFunctions, type HttpFunctionName } from '../../functions/routes.js';
import { invocationContext } from '../support/azure-context.js';
import { serveFunction, type ServedFunction } from '../support/functions-framework.js';
import { lambdaContext } from '../support/lambda-context.js';

/**
 * One driver per platform: turns a platform-free request into that platform's real trigger and hands
 * it to the platform's own HTTP adapter, built over the ports of one in-memory world (createLocalApp:
 * the same repositories, streams and queues as memory mode), so every platform sees the same state.
 */

export interface ScenarioRequest {
  method: string;
  /** Path and query, URL-encoded as a client sends them. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HttpDriver {
  readonly platform: PlatformName;
  ask(request: ScenarioRequest): Promise<Answer>;
  close(): Promise<void>;
}

export type PlatformName = 'aws-http-api' | 'aws-rest-api' | 'azure' | 'gcp' | 'memory';

export const REQUEST_ID = '7d3e9c1a-conformance';

/**
 * The function a deployment sends a path to: the one whose route table has the path (API Gateway's
 * `ANY` routes, Azure's route templates, one URL per function on GCP), found by the shared router itself;
 * any other path goes to eventsApi, which holds the `$default` route on AWS.
 */
export function ownerOf(path: string): { name: HttpFunctionName; pattern?: string } {
  const name = tableServing(httpFunctions, path);
  if (name === undefined) return { name: 'eventsApi' };
  const routes = httpFunctions[name] as readonly Route<never>[];
  try {
    return { name, pattern: matchRoute(routes, allowedMethods(routes, path)[0] ?? 'GET', path).route.path };
  } catch {
    return { name }; // a parameter that is not valid URL encoding: the function's 400, no pattern to name
  }
}

const splitUrl = (url: string): { path: string; rawQuery: string } => {
  const [path = '/', rawQuery = ''] = url.split('?');
  return { path, rawQuery };
};

/** Each HTTP function's handler, built by a platform's adapter over the world's ports. */
function handlersOf<H>(app: Pick<LocalApp, 'httpDeps'>, build: <Deps>(routes: readonly Route<Deps>[], deps: Deps, name: HttpFunctionName) => H): Record<HttpFunctionName, H> {
  return {
    eventsApi: build(httpFunctions.eventsApi, app.httpDeps.eventsApi, 'eventsApi'),
    bookingsApi: build(httpFunctions.bookingsApi, app.httpDeps.bookingsApi, 'bookingsApi'),
    playersApi: build(httpFunctions.playersApi, app.httpDeps.playersApi, 'playersApi'),
  };
}

/** API Gateway HTTP API, payload 2.0, as API Gateway builds it for an `ANY /path` route. */
export function httpApiEvent(request: ScenarioRequest): APIGatewayProxyEventV2 {
  const { path, rawQuery } = splitUrl(request.url);
  const pattern = ownerOf(path).pattern;
  const routeKey = pattern === undefined ? '$default' : `ANY ${pattern}`;
  return {
    version: '2.0',
    routeKey,
    rawPath: path,
    rawQueryString: rawQuery,
    headers: { host: 'api.example.com', ...request.headers },
    ...(rawQuery === '' ? {} : { queryStringParameters: Object.fromEntries(new URLSearchParams(rawQuery)) }),
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      domainName: 'api.example.com',
      domainPrefix: 'api',
      http: { method: request.method, path, protocol: 'HTTP/1.1', sourceIp: '192.0.2.1', userAgent: 'conformance' },
      requestId: 'apigw-request',
      routeKey,
      stage: '$default',
      time: '01/May/2026:10:00:00 +0000',
      timeEpoch: 1777629600000,
    },
    ...(request.body === undefined ? {} : { body: request.body }),
    isBase64Encoded: false,
  };
}

/** API Gateway REST API proxy integration, payload 1.0 (single and multi-value maps, as API Gateway fills both). */
export function restApiEvent(request: ScenarioRequest): APIGatewayProxyEvent {
  const { path, rawQuery } = splitUrl(request.url);
  const headers = { Host: 'api.example.com', ...request.headers };
  const query = new URLSearchParams(rawQuery);
  const resource = ownerOf(path).pattern ?? '/{proxy+}';
  const multiValueQuery: Record<string, string[]> = {};
  for (const [name, value] of query) (multiValueQuery[name] ??= []).push(value);
  return {
    resource,
    path,
    httpMethod: request.method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    queryStringParameters: rawQuery === '' ? null : Object.fromEntries(query),
    multiValueQueryStringParameters: rawQuery === '' ? null : multiValueQuery,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'api',
      authorizer: null,
      httpMethod: request.method,
      identity: { sourceIp: '192.0.2.1', userAgent: 'conformance' } as APIGatewayProxyEvent['requestContext']['identity'],
      path: `/prod${path}`,
      protocol: 'HTTP/1.1',
      requestId: 'apigw-request',
      requestTimeEpoch: 1777629600000,
      resourceId: 'abc123',
      resourcePath: resource,
      stage: 'prod',
    },
    body: request.body ?? null,
    isBase64Encoded: false,
  };
}

function lambdaDriver(platform: 'aws-http-api' | 'aws-rest-api', app: Pick<LocalApp, 'httpDeps'>): HttpDriver {
  const handlers = handlersOf(app, (routes, deps) => awsHttpTrigger(routes, deps));
  return {
    platform,
    async ask(request) {
      const { name } = ownerOf(splitUrl(request.url).path);
      const event = platform === 'aws-http-api' ? httpApiEvent(request) : restApiEvent(request);
      const result = await handlers[name](event, lambdaContext(name, REQUEST_ID));
      if (!('statusCode' in result)) throw new Error('expected a structured result');
      return { status: result.statusCode ?? 0, headers: (result.headers ?? {}) as Record<string, string>, body: String(result.body ?? '') };
    },
    close: async () => undefined,
  };
}

function azureDriver(app: Pick<LocalApp, 'httpDeps'>): HttpDriver {
  const handlers = handlersOf(app, (routes, deps) => azureHttpTriggerOptions(routes, deps).handler);
  return {
    platform: 'azure',
    async ask(request) {
      const { name } = ownerOf(splitUrl(request.url).path);
      const httpRequest = new azf.HttpRequest({
        method: request.method,
        url: `https://myevents.azurewebsites.net${request.url}`,
        headers: request.headers ?? {},
        // Bytes, as the host hands the body over: a string would make the request say `text/plain`.
        ...(request.body === undefined ? {} : { body: { bytes: Buffer.from(request.body, 'utf8') } }),
      });
      const response = await handlers[name](httpRequest, invocationContext({ functionName: name, invocationId: REQUEST_ID }));
      if (!('status' in response)) throw new Error('expected an HttpResponseInit');
      const headers = Object.fromEntries(new Headers(response.headers as ConstructorParameters<typeof Headers>[0]));
      return { status: response.status ?? 200, headers, body: typeof response.body === 'string' ? response.body : '' };
    },
    close: async () => undefined,
  };
}

async function gcpDriver(app: Pick<LocalApp, 'httpDeps'>): Promise<HttpDriver> {
  const handlers = handlersOf(app, (routes, deps, name) => gcpHttpTrigger(routes, deps, name));
  const served = {} as Record<HttpFunctionName, ServedFunction>;
  for (const name of Object.keys(handlers) as HttpFunctionName[]) {
    http(`conformance-${name}`, handlers[name]);
    served[name] = await serveFunction(`conformance-${name}`);
  }
  return {
    platform: 'gcp',
    async ask(request) {
      const { name } = ownerOf(splitUrl(request.url).path);
      const response = await fetch(`${served[name].url}${request.url}`, {
        method: request.method,
        headers: { 'function-execution-id': REQUEST_ID, ...request.headers },
        // Bytes, not a string: fetch would add `content-type: text/plain` to a string body.
        ...(request.body === undefined ? {} : { body: Buffer.from(request.body, 'utf8') }),
      });
      return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
    },
    close: () => Promise.all(Object.values(served).map((function_) => function_.close())).then(() => undefined),
  };
}

/** Memory mode: the node HTTP server `npm run start:memory` runs, in front of the whole app. */
async function memoryDriver(app: LocalApp): Promise<HttpDriver> {
  const server = createLocalHttpServer(app);
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    platform: 'memory',
    async ask(request) {
      const response = await fetch(`http://127.0.0.1:${port}${request.url}`, {
        method: request.method,
        headers: request.headers ?? {},
        ...(request.body === undefined ? {} : { body: Buffer.from(request.body, 'utf8') }),
      });
      return { status: response.status, headers: Object.fromEntries(response.headers), body: await response.text() };
    },
    close: () => new Promise<void>((closed, failed) => server.close((error) => (error ? failed(error) : closed()))),
  };
}

export const PLATFORMS: readonly PlatformName[] = ['aws-http-api', 'aws-rest-api', 'azure', 'gcp', 'memory'];

export function startDriver(platform: PlatformName, app: LocalApp): Promise<HttpDriver> {
  return platform === 'memory' ? memoryDriver(app) : startCloudDriver(platform, app);
}

/** A cloud platform's HTTP adapter over any ports (test/conformance/trace-tree.test.ts: the platform's own repositories). */
export function startCloudDriver(platform: Exclude<PlatformName, 'memory'>, world: Pick<LocalApp, 'httpDeps'>): Promise<HttpDriver> {
  switch (platform) {
    case 'aws-http-api':
    case 'aws-rest-api':
      return Promise.resolve(lambdaDriver(platform, world));
    case 'azure':
      return Promise.resolve(azureDriver(world));
    case 'gcp':
      return gcpDriver(world);
  }
}
