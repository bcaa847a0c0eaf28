import * as z from 'zod/mini';
import { PAGE_LIMIT } from './paging.js';
import { httpFunctions } from './routes.js';
import type { Access } from './http/contract.js';

/**
 * The OpenAPI 3.1 description of the HTTP API, generated from the route table and the zod schemas the
 * handlers validate with, so it cannot drift from what the functions do. Served locally at
 * `/openapi.json` (memory mode and `npm start`); a test checks it lists exactly the route table.
 */

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message', 'requestId'],
      properties: {
        code: { type: 'string', examples: ['VALIDATION_FAILED', 'NOT_FOUND', 'INSUFFICIENT_SEATS'] },
        message: { type: 'string' },
        details: { type: 'array', items: { type: 'object', required: ['field', 'message'], properties: { field: { type: 'string' }, message: { type: 'string' } } } },
        requestId: { type: 'string' },
      },
    },
  },
} as const;

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

const pageParameters = [
  { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: PAGE_LIMIT.min, maximum: PAGE_LIMIT.max, default: PAGE_LIMIT.default } },
  { name: 'cursor', in: 'query', required: false, description: 'The cursor of the previous page, from its `Link: <…>; rel="next"` header', schema: { type: 'string' } },
];

/** JSON Schema of what a client sends (input side: defaults and transforms as the client sees them). */
const inputSchema = (schema: z.ZodMiniType): Record<string, unknown> => {
  // The dialect is the document's own in OpenAPI 3.1, so the per-schema `$schema` is left out.
  const jsonSchema: Record<string, unknown> = { ...z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) };
  delete jsonSchema['$schema'];
  return jsonSchema;
};

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: { title: string; version: string };
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

/** How callers authenticate: a JWT from the configured issuer (adapters/shared/auth.ts); `admin` is a scope in it. */
const securitySchemes = {
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT of the configured issuer and audience; the `admin` scope (in `scope`, a space-separated string, or `scp`, a string or an array of strings) creates locations and events. Locally: `npm run token -- --scope admin`.' },
};

/** Per-operation security: public routes need none (`[]` overrides nothing, as there is no global requirement). */
const securityOf = (access: Access) => (access === 'public' ? {} : { security: [{ bearer: access === 'admin' ? ['admin'] : [] }] });

const authResponses = (access: Access) =>
  access === 'public'
    ? {}
    : {
        '401': errorResponse('No token, or one that is expired, forged, malformed or for another audience (see WWW-Authenticate)'),
        '403': errorResponse(access === 'admin' ? 'The token lacks the admin scope' : "Another caller's resource"),
      };

export function openApiDocument(): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const [functionName, routes] of Object.entries(httpFunctions)) {
    for (const route of routes) {
      const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, schema: { type: 'string' } }));
      const created = route.method === 'POST';
      const operation: Record<string, unknown> = {
        operationId: `${route.method.toLowerCase()}${route.path.replace(/\{(\w+)\}/g, 'By-$1').replace(/(^|[/-])(\w)/g, (_match, _separator: string, letter: string) => letter.toUpperCase())}`,
        summary: route.summary,
        tags: [functionName],
        ...securityOf(route.access),
        parameters: [...pathParameters, ...(route.paged ? pageParameters : [])],
        responses: {
          [route.method === 'DELETE' ? '204' : created ? '201' : '200']: {
            description: route.paged ? 'One page, a JSON array; `Link: <…>; rel="next"` when another page follows' : 'Success',
            ...(route.paged ? { headers: { link: { schema: { type: 'string' } } } } : {}),
          },
          '400': errorResponse(
            `Malformed JSON, a schema violation naming each field, or a bad limit or cursor${route.access === 'public' ? '' : '; INVALID_REQUEST for two Authorization headers (or a comma-joined one)'}`,
          ),
          '404': errorResponse('Unknown route or resource'),
          '405': errorResponse('Another method is allowed on this path (see Allow)'),
          ...authResponses(route.access),
          ...(route.requestBody ? { '409': errorResponse('Conflict: no seats left, or the name is taken'), '413': errorResponse('Body over 1 MiB'), '415': errorResponse('Not JSON'), '422': errorResponse('Refers to something that makes it impossible') } : {}),
        },
      };
      if (route.requestBody) operation['requestBody'] = { required: true, content: { 'application/json': { schema: inputSchema(route.requestBody) } } };
      (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
    }
  }
  return { openapi: '3.1.0', info: { title: 'MyEvents', version: '0.1.0' }, paths, components: { schemas: { Error: errorSchema }, securitySchemes } };
}
