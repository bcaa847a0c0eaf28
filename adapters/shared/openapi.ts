import * as z from 'zod/mini';
import { bookingSchema } from '../../functions/domain/booking.js';
import { eventSchema } from '../../functions/domain/event.js';
import { locationSchema } from '../../functions/domain/location.js';
import { placedPlayerSchema, playerViewSchema } from '../../functions/domain/player.js';
import type { Access, Route } from '../../functions/http/contract.js';
import { errorBodySchema } from '../../functions/http/error-body.js';
import { PAGE_LIMIT } from '../../functions/paging.js';
import { functionCatalogue, type FunctionSpec } from '../../functions/catalogue.js';
import { httpFunctions } from '../../functions/routes.js';
import { SECURITY_HEADERS } from './security-headers.js';

/**
 * The OpenAPI 3.1 description of the HTTP API, generated from the route table and the zod schemas the
 * handlers validate requests with and type their answers from (the repositories parse stored records
 * with the same schemas), so it cannot drift from what the functions do. It lives beside the shared HTTP
 * layer because that layer adds half of what it states: the statuses of authentication, body checks and
 * routing, and the headers of every answer. Served locally at `/openapi.json` (memory mode and
 * `npm start`); `redocly lint` checks it in `npm test` and test/conformance/http.test.ts validates every
 * answer of the conformance table against it.
 */

/** JSON Schema of a zod schema; the dialect is the document's own in OpenAPI 3.1, so the per-schema `$schema` is left out. */
const jsonSchemaOf = (schema: z.ZodMiniType, io: 'input' | 'output'): Record<string, unknown> => {
  const jsonSchema: Record<string, unknown> = { ...z.toJSONSchema(schema, { io, unrepresentable: 'any' }) };
  delete jsonSchema['$schema'];
  return jsonSchema;
};

/** The answer bodies, by the component name a generated client gives their type. */
const namedBodies = new Map<z.ZodMiniType, string>([
  [locationSchema, 'Location'],
  [eventSchema, 'Event'],
  [bookingSchema, 'Booking'],
  [playerViewSchema, 'Player'],
  [placedPlayerSchema, 'PlacedPlayer'],
  [errorBodySchema, 'Error'],
]);

const schemaRef = (schema: z.ZodMiniType): { $ref: string } => {
  const name = namedBodies.get(schema);
  // A new answer schema must be named here, or clients would get an anonymous type for it.
  if (name === undefined) throw new Error('An answer schema of the route table has no component name in adapters/shared/openapi.ts');
  return { $ref: `#/components/schemas/${name}` };
};

interface HeaderObject {
  description: string;
  required?: boolean;
  schema: Record<string, unknown>;
}
type HeaderName = 'XRequestId' | 'Traceresponse' | 'CacheControl' | 'Link' | 'IdempotentReplayed' | 'WWWAuthenticate' | 'Allow' | 'AccessControlAllowOrigin' | 'AccessControlExposeHeaders' | 'Vary' | keyof typeof securityHeaderNames;

/** The security headers of every answer (adapters/shared/security-headers.ts), by component name. */
const securityHeaderNames = {
  XContentTypeOptions: 'x-content-type-options',
  XFrameOptions: 'x-frame-options',
  ContentSecurityPolicy: 'content-security-policy',
  ReferrerPolicy: 'referrer-policy',
  StrictTransportSecurity: 'strict-transport-security',
} as const;

const headerComponents: Record<string, HeaderObject> = {
  XRequestId: { description: 'The request id: also in error bodies (`error.requestId`) and in every log line of the request', required: true, schema: { type: 'string', minLength: 1 } },
  Traceresponse: {
    description: 'W3C Trace Context Level 2: `00-<trace id>-<span id>-01`, the trace (continued from `traceparent`, or new) and span that served the request; the trace id is also in error bodies (`error.traceId`) and in every log line of the request',
    required: true,
    schema: { type: 'string', pattern: '^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$' },
  },
  CacheControl: { description: '`no-store` on errors and on answers to a caller who sent a valid token: no shared cache may keep them', schema: { type: 'string', const: 'no-store' } },
  Link: { description: 'The next page, relative to the request path (RFC 8288): `</events?limit=10&cursor=…>; rel="next"`; absent on the last page', schema: { type: 'string', pattern: '^<[^>]+>; rel="next"$' } },
  IdempotentReplayed: { description: '`true` when this is the booking a previous request with the same Idempotency-Key made', schema: { type: 'string', const: 'true' } },
  WWWAuthenticate: { description: 'The Bearer challenge (RFC 6750): `error="invalid_token"` and why, or `error="insufficient_scope"` with the scope needed', required: true, schema: { type: 'string', pattern: '^Bearer realm=' } },
  Allow: { description: 'The methods the path accepts', required: true, schema: { type: 'string' } },
  AccessControlAllowOrigin: { description: 'CORS (CORS_ALLOWED_ORIGINS): present when the request carried an allowed Origin', schema: { type: 'string' } },
  AccessControlExposeHeaders: { description: 'CORS: the headers a browser script may read', schema: { type: 'string' } },
  Vary: { description: 'CORS: `origin` when only some origins are allowed', schema: { type: 'string' } },
  ...Object.fromEntries(
    Object.entries(securityHeaderNames).map(([component, name]): [string, HeaderObject] => [component, { description: 'Security header of every answer (OWASP REST Security Cheat Sheet)', required: true, schema: { type: 'string', const: SECURITY_HEADERS[name] } }]),
  ),
};

/** How each component header is spelled on the wire. */
const wireNames: Record<string, string> = {
  XRequestId: 'X-Request-Id',
  Traceresponse: 'traceresponse',
  CacheControl: 'Cache-Control',
  Link: 'Link',
  IdempotentReplayed: 'Idempotent-Replayed',
  WWWAuthenticate: 'WWW-Authenticate',
  Allow: 'Allow',
  AccessControlAllowOrigin: 'Access-Control-Allow-Origin',
  AccessControlExposeHeaders: 'Access-Control-Expose-Headers',
  Vary: 'Vary',
  ...Object.fromEntries(Object.entries(securityHeaderNames).map(([component, name]) => [component, name.replace(/(^|-)(\w)/g, (letters: string) => letters.toUpperCase())])),
};

/** Headers of an answer: every answer's, plus `extra`; `required` says which `CacheControl` is required on. */
function headersOf(extra: readonly HeaderName[], cacheControl: 'required' | 'optional'): Record<string, unknown> {
  const names: HeaderName[] = ['XRequestId', 'Traceresponse', ...(Object.keys(securityHeaderNames) as HeaderName[]), 'AccessControlAllowOrigin', 'AccessControlExposeHeaders', 'Vary', ...extra];
  const headers: Record<string, unknown> = Object.fromEntries(names.map((name) => [wireNames[name] ?? name, { $ref: `#/components/headers/${name}` }]));
  // Cache-Control is required on some answers only: stated inline there, as a $ref cannot override `required`.
  headers['Cache-Control'] = cacheControl === 'required' ? { ...headerComponents['CacheControl'], required: true } : { $ref: '#/components/headers/CacheControl' };
  return headers;
}

const errorResponse = (description: string, extraHeaders: readonly HeaderName[] = []) => ({
  description,
  headers: headersOf(extraHeaders, 'required'),
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

const pageParameters = [
  { name: 'limit', in: 'query', required: false, description: 'Items per page', schema: { type: 'integer', minimum: PAGE_LIMIT.min, maximum: PAGE_LIMIT.max, default: PAGE_LIMIT.default } },
  { name: 'cursor', in: 'query', required: false, description: 'The cursor of the previous page, from its `Link: <…>; rel="next"` header', schema: { type: 'string', minLength: 1 } },
];

/** How callers authenticate: a JWT from the configured issuer (adapters/shared/auth.ts); `admin` is a scope in it. */
const securitySchemes = {
  bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'A JWT of the configured issuer and audience; the `admin` scope (in `scope`, a space-separated string, or `scp`, a string or an array of strings) creates locations and events. Locally: `npm run token -- --scope admin`.' },
};

/** Per-operation security: explicitly none on public routes (a public route never reads Authorization). */
const securityOf = (access: Access) => (access === 'public' ? [] : [{ bearer: access === 'admin' ? ['admin'] : [] }]);

/** Every status an operation can answer: the handler's own refusals and what the shared HTTP layer adds for this route. */
function responsesOf(route: Route<never>): Record<string, unknown> {
  const protectedRoute = route.access !== 'public';
  const successStatus = route.method === 'DELETE' ? '204' : route.method === 'POST' ? '201' : '200';
  const success: Record<string, unknown> = {
    description: route.paged ? 'One page, a JSON array; `Link: <…>; rel="next"` when another page follows' : route.method === 'DELETE' ? 'Deleted' : route.method === 'POST' ? 'Created' : 'Found',
    headers: headersOf([...(route.paged ? (['Link'] as const) : []), ...(route.requestHeaders?.some((header) => header.name === 'Idempotency-Key') ? (['IdempotentReplayed'] as const) : [])], protectedRoute ? 'required' : 'optional'),
  };
  if (route.responseBody !== undefined) {
    success['content'] = { 'application/json': { schema: route.paged ? { type: 'array', items: schemaRef(route.responseBody) } : schemaRef(route.responseBody) } };
  }
  const badRequest = [
    ...(route.requestBody ? ['malformed JSON (MALFORMED_JSON) or a body that breaks the schema, naming each field (VALIDATION_FAILED)'] : []),
    ...(route.requestHeaders ?? []).map((header) => `a malformed ${header.name} header (VALIDATION_FAILED)`),
    ...(route.paged ? ['a limit outside 1–100 (VALIDATION_FAILED) or a cursor this list did not hand out (INVALID_CURSOR)'] : []),
    ...(route.path.includes('{') ? ['a path segment that is not valid URL encoding (VALIDATION_FAILED)'] : []),
    ...(protectedRoute ? ['two Authorization headers, or a comma-joined one (INVALID_REQUEST)'] : []),
  ];
  const forbidden = [...(route.access === 'admin' ? ['The token lacks the admin scope'] : []), ...(route.refusals?.[403] === undefined ? [] : [route.refusals[403]])];
  const responses: Record<string, unknown> = { [successStatus]: success };
  if (badRequest.length > 0) responses['400'] = errorResponse(`${badRequest.join('; ')}`.replace(/^./, (letter) => letter.toUpperCase()));
  if (protectedRoute) responses['401'] = errorResponse('No token, or one that is expired, forged, malformed or for another audience (UNAUTHENTICATED)', ['WWWAuthenticate']);
  // The admin scope's refusal carries a challenge; an ownership refusal does not.
  if (forbidden.length > 0) responses['403'] = errorResponse(`${forbidden.join('; ')} (FORBIDDEN)`, route.access === 'admin' ? ['WWWAuthenticate'] : []);
  for (const status of [404, 409, 422] as const) {
    const why = route.refusals?.[status];
    if (why !== undefined) responses[String(status)] = errorResponse(status === 404 ? `${why} (NOT_FOUND)` : why);
  }
  if (route.requestBody) {
    responses['413'] = errorResponse('Body over 1 MiB (PAYLOAD_TOO_LARGE)');
    responses['415'] = errorResponse('A Content-Type other than JSON (UNSUPPORTED_MEDIA_TYPE)');
  }
  responses['500'] = errorResponse('An unexpected failure: the body names only the request id (INTERNAL)');
  return responses;
}

/** An operation's id from its method and path: `getEventsByIdBookings` for GET /events/{id}/bookings (the GCP gateway config names its extra operations alike). */
export const operationIdOf = (method: string, path: string): string =>
  `${method.toLowerCase()}${path.replace(/\{(\w+)\}/g, 'By-$1').replace(/(^|[/-])(\w)/g, (_match, _separator: string, letter: string) => letter.toUpperCase())}`;

export interface OpenApiDocument {
  openapi: '3.1.0';
  info: Record<string, unknown>;
  servers: { url: string; description: string; variables?: Record<string, { default: string; description: string }> }[];
  tags: { name: string; description: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown>; headers: Record<string, unknown>; responses: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

/** Each HTTP function's tag: its description in functions/catalogue.ts. */
const functionDescriptions: Record<string, string> = Object.fromEntries(
  (Object.values(functionCatalogue) as FunctionSpec[]).flatMap((spec) => (spec.trigger === 'http' ? [[spec.name, spec.description]] : [])),
);

/**
 * W3C Trace Context's request headers, which every operation reads (adapters/shared/http-dispatch.ts): stated
 * inline in each operation rather than as a component, so that the GCP gateway's Swagger 2.0 (infra/gcp/api-gateway.ts) carries them too.
 */
const traceParameters = [
  {
    name: 'traceparent',
    in: 'header',
    required: false,
    description:
      "W3C Trace Context: `00-<trace id>-<parent span id>-<flags>`, the caller's trace, which this request continues (its answer's `traceresponse` names the same trace id); missing or invalid (uppercase hex, an all-zero id, version ff), a new trace starts",
    schema: { type: 'string', pattern: '^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-.*)?$' },
  },
  {
    name: 'tracestate',
    in: 'header',
    required: false,
    description: "W3C Trace Context: vendors' own trace data, read with `traceparent` and kept with the request's trace context; ignored without a valid `traceparent`, or when longer than 512 characters or not printable ASCII",
    schema: { type: 'string', maxLength: 512 },
  },
] as const;

export function openApiDocument(): OpenApiDocument {
  const paths: OpenApiDocument['paths'] = {};
  for (const [functionName, routes] of Object.entries(httpFunctions) as [string, readonly Route<never>[]][]) {
    for (const route of routes) {
      const pathParameters = [...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => ({ name, in: 'path', required: true, description: `The ${name} (an id or name that could never exist answers 404)`, schema: { type: 'string' } }));
      const headerParameters = (route.requestHeaders ?? []).map((header) => ({ name: header.name, in: 'header', required: false, description: header.description, schema: jsonSchemaOf(header.schema, 'input') }));
      const operation: Record<string, unknown> = {
        operationId: operationIdOf(route.method, route.path),
        summary: route.summary,
        tags: [functionName],
        security: securityOf(route.access),
        parameters: [...pathParameters, ...headerParameters, ...traceParameters, ...(route.paged ? pageParameters : [])],
        responses: responsesOf(route),
      };
      if (route.requestBody) operation['requestBody'] = { required: true, content: { 'application/json': { schema: jsonSchemaOf(route.requestBody, 'input') } } };
      (paths[route.path] ??= {})[route.method.toLowerCase()] = operation;
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'MyEvents',
      version: '0.1.0',
      description:
        'Locations, events, bookings and the game map of MyEvents, the same API on AWS Lambda, Azure Functions and Google Cloud Functions. ' +
        'A method a path does not list answers 405 with `Allow` (components.responses.MethodNotAllowed); `OPTIONS` answers CORS preflights (components.responses.Preflight). ' +
        "Platforms may answer before our code runs: API Gateway's JWT authorizer (401/403 with its own body) and throttling (429); functions-framework's 400 for a body declared JSON that is not.",
      // No licence has been chosen for this code: a placeholder (an SPDX LicenseRef) until its owner decides.
      license: { name: 'Proprietary (no licence chosen yet)', identifier: 'LicenseRef-Proprietary' },
    },
    servers: [
      // Relative: the host that served this document, which the local stacks do at /openapi.json.
      { url: '/', description: 'The local stack serving this document: `npm start` and `npm run start:memory` (port 3000), `npm run start:gcp` (port 3100)' },
      {
        url: 'https://{apiId}.execute-api.{region}.amazonaws.com',
        description: "AWS: the HTTP API's default endpoint (`npx sls deploy` prints it)",
        variables: { apiId: { default: 'apiId', description: 'The HTTP API id' }, region: { default: 'us-east-1', description: 'The region deployed to (serverless.yml default)' } },
      },
      { url: 'https://{functionApp}.azurewebsites.net', description: 'Azure: the function app (routePrefix "")', variables: { functionApp: { default: 'myevents', description: 'The function app name (main.bicep output functionAppName)' } } },
      {
        url: 'https://{gatewayHost}',
        description: "GCP: the API Gateway in front of the three HTTP functions (infra/gcp/api-gateway.ts; `npm run deploy:gcp`'s last line prints it)",
        variables: { gatewayHost: { default: 'myevents-hash.ew.gateway.dev', description: "The gateway's defaultHostname (myevents-<hash>.<region code>.gateway.dev)" } },
      },
    ],
    tags: Object.entries(functionDescriptions).map(([name, description]) => ({ name, description: `${description}: the ${name} function` })),
    paths,
    components: {
      schemas: Object.fromEntries([...namedBodies].map(([schema, name]) => [name, jsonSchemaOf(schema, 'output')])),
      headers: headerComponents,
      responses: {
        MethodNotAllowed: { ...errorResponse('The path exists, the method does not (METHOD_NOT_ALLOWED)', ['Allow']) },
        Preflight: {
          description: 'A CORS preflight (or a plain OPTIONS) of a known path: the methods it accepts',
          headers: { ...headersOf(['Allow'], 'optional'), 'Access-Control-Allow-Methods': { description: 'CORS: the methods the path accepts', schema: { type: 'string' } }, 'Access-Control-Allow-Headers': { description: 'CORS: the request headers a browser may send', schema: { type: 'string' } }, 'Access-Control-Max-Age': { description: 'CORS: seconds a browser may keep this answer', schema: { type: 'string' } } },
        },
      },
      securitySchemes,
    },
  };
}
