import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { openApiDocument, operationIdOf } from '../../adapters/shared/openapi.js';
import { httpFunctions, type HttpFunctionName } from '../../functions/routes.js';

/**
 * `npm run build:gcp-gateway -- --eventsApi=URL --bookingsApi=URL --playersApi=URL`: the Google API Gateway
 * config that serves the three HTTP functions at one base URL, as API Gateway does on AWS and the function app
 * on Azure. Written from the route table (which function serves which path) and the OpenAPI document (operation
 * ids, summaries, parameters, statuses), so it cannot drift from either; `npm run deploy:gcp` prints the gcloud
 * lines that make the function URLs, this file, the API config and the gateway, in that order.
 *
 * Swagger 2.0 (OpenAPI 2.0), not our OpenAPI 3.1: API Gateway's long-standing format, and the one in which
 * `x-google-allow` works (its OpenAPI 3.x support, with other extensions, lacks it; see "OpenAPI 3.x feature
 * limitations" in Google's API Gateway docs). Bodies and answer schemas are left out: the gateway routes and does
 * not validate them, and Swagger 2.0's schema dialect cannot hold our JSON Schema 2020-12 without loss. Clients
 * generate from /openapi.json.
 *
 * Each operation's `x-google-backend`:
 * - `path_translation: APPEND_PATH_TO_ADDRESS`: the function gets the whole request path (`/events/42`) and routes
 *   it with the same table as everywhere; at operation level the default is CONSTANT_ADDRESS, which would send
 *   every request to `/` with the path parameters in the query string.
 * - `disable_auth: true`: the gateway sends no Google ID token of its own, so the caller's `Authorization` reaches
 *   the function unchanged and our code verifies the JWT (adapters/shared/auth.ts), as on every platform. With
 *   backend auth the gateway would replace `Authorization` and pass the caller's in `X-Forwarded-Authorization`.
 *   The functions stay deployed with --allow-unauthenticated, as API Gateway's targets are on AWS.
 * No `securityDefinitions` (x-google-issuer, x-google-jwks_uri): optional, and our functions check every token.
 *
 * Every method of every path reaches the path's function, so a method the path does not take answers our 405 with
 * `Allow`, and OPTIONS our CORS preflight; `x-google-allow: all` with the top-level backend (eventsApi) sends
 * unknown paths to our 404, as serverless.yml's `ANY /<path>` and `*` routes do on AWS.
 */

/** The operations of a Swagger 2.0 path item (https://swagger.io/specification/v2/#path-item-object). */
const SWAGGER_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'] as const;

/** Each HTTP function's URL (`gcloud functions describe <name> --gen2 --format='value(serviceConfig.uri)'`). */
export type GatewayBackends = Record<HttpFunctionName, string>;

export interface GoogleBackend {
  address: string;
  path_translation: 'APPEND_PATH_TO_ADDRESS';
  disable_auth: true;
}

type SwaggerParameter = Record<string, unknown> & { name: string; in: 'path' | 'query' | 'header' };
export interface SwaggerOperation {
  operationId: string;
  summary: string;
  tags?: string[];
  parameters?: SwaggerParameter[];
  responses: Record<string, { description: string }>;
  'x-google-backend': GoogleBackend;
}

export interface GatewayConfig {
  swagger: '2.0';
  info: { title: string; version: string; description: string };
  schemes: ['https'];
  produces: ['application/json'];
  'x-google-allow': 'all';
  'x-google-backend': GoogleBackend;
  paths: Record<string, Partial<Record<(typeof SWAGGER_METHODS)[number], SwaggerOperation>>>;
}

interface OpenApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  description?: string;
  schema: Record<string, unknown>;
}
interface OpenApiOperation {
  operationId: string;
  summary: string;
  tags: string[];
  parameters: OpenApiParameter[];
  responses: Record<string, { description: string }>;
}

/** The JSON Schema keywords a Swagger 2.0 non-body parameter carries inline. */
const PARAMETER_KEYWORDS = ['type', 'format', 'minimum', 'maximum', 'minLength', 'maxLength', 'pattern', 'default', 'enum'];

/** An OpenAPI 3.1 parameter as Swagger 2.0 states it: its schema's keywords inline, on a primitive type. */
function swaggerParameter(parameter: OpenApiParameter): SwaggerParameter {
  const { type } = parameter.schema;
  if (type !== 'string' && type !== 'integer' && type !== 'number' && type !== 'boolean') {
    throw new Error(`Parameter ${parameter.name} (${parameter.in}) is not of a primitive type: Swagger 2.0 cannot state it`);
  }
  const inline = Object.fromEntries(PARAMETER_KEYWORDS.filter((keyword) => keyword in parameter.schema).map((keyword) => [keyword, parameter.schema[keyword]]));
  return { name: parameter.name, in: parameter.in, required: parameter.in === 'path' ? true : parameter.required === true, ...(parameter.description ? { description: parameter.description } : {}), ...inline };
}

const pathParameters = (path: string): SwaggerParameter[] =>
  [...path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name: name!, in: 'path', required: true, type: 'string' }));

/** A URL the gateway can call: absolute https (Cloud Run functions' URLs are). */
function backendOf(name: HttpFunctionName, address: string | undefined): GoogleBackend {
  if (address === undefined || address === '') throw new Error(`No URL for ${name}`);
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    throw new Error(`${name}'s URL is not a URL: ${address}`);
  }
  if (url.protocol !== 'https:') throw new Error(`${name}'s URL must be https: ${address}`);
  // The request path is appended: https://x.run.app/ + /events would double the slash.
  return { address: address.replace(/\/+$/, ''), path_translation: 'APPEND_PATH_TO_ADDRESS', disable_auth: true };
}

/** The gateway config for the given function URLs. */
export function apiGatewayConfig(backends: GatewayBackends): GatewayConfig {
  const document = openApiDocument();
  const info = document.info as { title: string; version: string };
  const paths: GatewayConfig['paths'] = {};
  const owner = new Map<string, HttpFunctionName>();
  for (const [name, routes] of Object.entries(httpFunctions) as [HttpFunctionName, readonly { method: string; path: string }[]][]) {
    const backend = backendOf(name, backends[name]);
    for (const path of new Set(routes.map((route) => route.path))) {
      const claimed = owner.get(path);
      if (claimed !== undefined) throw new Error(`${path} is routed to both ${claimed} and ${name}: one path, one function`);
      owner.set(path, name);
      const item: GatewayConfig['paths'][string] = {};
      for (const method of SWAGGER_METHODS) {
        const described = document.paths[path]?.[method] as OpenApiOperation | undefined;
        item[method] = described
          ? {
              operationId: described.operationId,
              summary: described.summary,
              tags: described.tags,
              ...(described.parameters.length > 0 ? { parameters: described.parameters.map(swaggerParameter) } : {}),
              responses: Object.fromEntries(Object.entries(described.responses).map(([status, { description }]) => [status, { description }])),
              'x-google-backend': backend,
            }
          : {
              operationId: operationIdOf(method, path),
              summary: method === 'options' ? 'CORS preflight: the methods this path accepts' : `Not a method of ${path}: ${name} answers 405 with Allow`,
              ...(path.includes('{') ? { parameters: pathParameters(path) } : {}),
              responses: method === 'options' ? { '204': { description: 'The methods this path accepts (Allow, and the CORS headers for an allowed Origin)' } } : { '405': { description: 'The path exists, the method does not (METHOD_NOT_ALLOWED)' } },
              'x-google-backend': backend,
            };
      }
      paths[path] = item;
    }
  }
  return {
    swagger: '2.0',
    info: { title: info.title, version: info.version, description: 'MyEvents at one base URL: each path routed to the Cloud Run function that serves it (generated by npm run build:gcp-gateway from functions/routes.ts and the OpenAPI document; the API itself is described at /openapi.json of the local stacks).' },
    schemes: ['https'],
    produces: ['application/json'],
    'x-google-allow': 'all',
    'x-google-backend': backendOf('eventsApi', backends.eventsApi),
    paths,
  };
}

export const GATEWAY_CONFIG_FILE = 'dist/gcp/api-gateway.yaml';

// Run as a script (npm run build:gcp-gateway), not when imported by deploy-gcp.ts or a test.
if (process.argv[1]?.endsWith('api-gateway.ts')) {
  const names = Object.keys(httpFunctions) as HttpFunctionName[];
  const { values } = parseArgs({ options: { ...Object.fromEntries(names.map((name) => [name, { type: 'string' as const }])), out: { type: 'string', default: GATEWAY_CONFIG_FILE } } });
  const given = values as Partial<Record<HttpFunctionName | 'out', string>>;
  const missing = names.filter((name) => !given[name]);
  if (missing.length > 0) {
    console.error(`Give each HTTP function's URL: ${missing.map((name) => `--${name}=https://…`).join(' ')} (npm run deploy:gcp prints the lines that read them with gcloud)`);
    process.exit(2);
  }
  let config: GatewayConfig;
  try {
    config = apiGatewayConfig(given as GatewayBackends);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  const out = given.out ?? GATEWAY_CONFIG_FILE;
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, `# Generated by npm run build:gcp-gateway (infra/gcp/api-gateway.ts): do not edit.\n${stringify(config, { lineWidth: 0, aliasDuplicateObjects: false })}`);
  console.log(`Wrote ${out}: ${Object.keys(config.paths).length} paths, every method routed to its function (${names.map((name) => `${name} ${given[name]}`).join(', ')})`);
}
