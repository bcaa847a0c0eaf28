import type { ApiRequest, Route } from '../../functions/http/contract.js';
import { MalformedJsonError, PayloadTooLargeError, UnsupportedMediaTypeError } from '../../functions/errors.js';
import type { Logger } from '../../functions/ports.js';
import { authConfigFromEnv, authenticate, type AuthConfig } from './auth.js';
import { corsPolicyFromEnv, corsResponseHeaders, preflightHeaders, type CorsPolicy } from './cors.js';
import { describeError } from './describe-error.js';
import { errorResponse, statusOf } from './error-response.js';
import { allowedMethods, matchRoute } from './router.js';
import { NO_STORE, SECURITY_HEADERS } from './security-headers.js';
import { formatTraceparent, parseTraceparent, type TraceContext } from './trace-context.js';
import { bindHop, bindLogger } from './trace-carriers.js';
import { functionNameOfPlatform, inHop, type Hop, type HopOptions, type SpanDetails } from './tracing.js';

/** API Gateway's own payload limit is 10 MB; ours is smaller because no request needs more. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** What every platform's HTTP adapter extracts from its trigger: the request as received. */
export interface RawHttpRequest {
  method: string;
  /** Path without query string, URL-encoded as received. */
  path: string;
  query: Record<string, string>;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  /**
   * Body text (already base64-decoded); undefined or '' when there is none. Typed as the platforms
   * document it, but read as unknown: emulators hand over other things (see bodyTextOf).
   */
  body?: string;
}

/** What every platform's HTTP adapter turns into its response shape. */
export interface RawHttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Serialised JSON; '' for 204. */
  body: string;
}

export interface DispatchContext {
  requestId: string;
  logger: Logger;
  /** Defaults to the policy of the environment (CORS_ALLOWED_ORIGINS). */
  cors?: CorsPolicy;
  /** Defaults to the configuration of the environment (AUTH_*, adapters/shared/auth.ts); null: none (protected routes fail closed). */
  auth?: AuthConfig | null;
  /** The function of the catalogue serving the request (`faas.name` of its span); the platform's own name for it when omitted. */
  fn?: string;
  /**
   * Links and attributes of the request's span beyond the shared ones (the X-Ray trace API Gateway started,
   * adapters/aws/http-trigger.ts): asked only when an SDK records spans, so they cost nothing otherwise.
   */
  spanDetails?: (request: RawHttpRequest) => { links?: readonly TraceContext[]; attributes?: Record<string, string> };
}

/**
 * `traceresponse` (W3C Trace Context Level 2): the trace and span that served the request, so a caller
 * can find them (`GET /_local/traces/<trace id>` locally, the cloud's trace viewer when exported).
 */
export const traceresponseHeader = (context: TraceContext): { traceresponse: string } => ({ traceresponse: formatTraceparent(context) });

/** Read once per cold start: the platform's settings do not change while an instance runs. */
const environmentCors = corsPolicyFromEnv();
/** Read at the first request rather than at import, so a local stack may set AUTH_* after its imports ran. */
let environmentAuth: { config: AuthConfig | undefined } | undefined;
const authOf = (context: DispatchContext): AuthConfig | undefined =>
  context.auth === undefined ? (environmentAuth ??= { config: authConfigFromEnv() }).config : (context.auth ?? undefined);

/** Read at the first request, like the auth settings. */
let platformFunction: string | undefined;

/** The methods whose body a handler reads. */
const METHODS_WITH_BODY: ReadonlySet<string> = new Set(['POST', 'PUT', 'PATCH']);

const JSON_CONTENT_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

/**
 * The body as text, whatever the platform handed over. serverless-offline passes a JSON body of
 * `false` or `0` on as that value, not as text, and other emulators may pass bytes: a body that is not a
 * string must never become a TypeError (a 500). Bytes are UTF-8; any other value is what the client's
 * JSON text parsed to, so it is written back as that JSON and checked like any other body.
 */
export function bodyTextOf(body: unknown): string {
  if (typeof body === 'string') return body;
  if (body === undefined || body === null) return '';
  if (body instanceof Uint8Array) return Buffer.from(body).toString('utf8');
  try {
    return JSON.stringify(body) ?? '';
  } catch (cause) {
    // A value no JSON text parses to (a cycle, a bigint) was not a client's JSON body.
    throw new MalformedJsonError('Body is not valid JSON', { cause });
  }
}

/** Parses the body as JSON at the edge: 413 when too large, 415 when declared as something else, 400 when malformed. */
function readJsonBody(request: RawHttpRequest): unknown {
  const text = bodyTextOf(request.body as unknown);
  if (text.length === 0) return undefined;
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new PayloadTooLargeError(`Body exceeds ${MAX_BODY_BYTES} bytes`);
  }
  const contentType = request.headers['content-type'];
  // A missing content-type is read as JSON (the only type we accept); a declared other type is refused.
  if (contentType !== undefined && !JSON_CONTENT_TYPE.test(contentType)) {
    throw new UnsupportedMediaTypeError(`Content-Type "${contentType}" is not supported; send application/json`);
  }
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new MalformedJsonError(`Body is not valid JSON: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * Runs one HTTP request through a function's route table: routing (404/405), body checks,
 * the handler, and the error mapping. Never throws: every outcome is a response.
 */
export function dispatchHttp<Deps>(
  routes: readonly Route<Deps>[],
  deps: Deps,
  request: RawHttpRequest,
  context: DispatchContext,
): Promise<RawHttpResponse> {
  // The request's span: the caller's trace continued (traceparent), or a new one.
  const parent = parseTraceparent(request.headers['traceparent'], request.headers['tracestate']);
  const options: HopOptions<RequestDetails> = {
    name: request.method.toUpperCase(),
    kind: 'http',
    fn: context.fn ?? (platformFunction ??= functionNameOfPlatform()),
    request,
    context,
    spanDetails: requestSpanDetails,
  };
  if (parent !== undefined) options.parent = parent;
  return inHop(options, (hop) => dispatchInHop(routes, deps, request, context, hop), (response) => response.status >= 500);
}

interface RequestDetails {
  request: RawHttpRequest;
  context: DispatchContext;
}

/** The request's span attributes and links, worked out only when an SDK records spans (tracing.ts). */
function requestSpanDetails({ request, context }: HopOptions<RequestDetails>): SpanDetails {
  const extra = context.spanDetails?.(request);
  return {
    ...(extra?.links && { links: extra.links }),
    attributes: { ...extra?.attributes, 'http.request.method': request.method.toUpperCase(), 'url.path': request.path },
  };
}

async function dispatchInHop<Deps>(
  routes: readonly Route<Deps>[],
  deps: Deps,
  request: RawHttpRequest,
  context: DispatchContext,
  hop: Hop,
): Promise<RawHttpResponse> {
  const trace = hop.context;
  // The logger and the ports bound to this request's hop: its lines, writes and messages carry its trace context.
  const logger = bindLogger(context.logger, hop);
  const started = performance.now();
  const cors = context.cors ?? environmentCors;
  const origin = request.headers['origin'];
  const baseHeaders = {
    'content-type': 'application/json; charset=utf-8',
    'x-request-id': context.requestId,
    traceresponse: hop.traceparent,
    ...SECURITY_HEADERS,
    ...corsResponseHeaders(cors, origin),
  };
  let response: RawHttpResponse;
  try {
    if (request.method.toUpperCase() === 'OPTIONS') {
      // A CORS preflight (or a plain OPTIONS): which methods the path accepts; 404 for an unknown path.
      const methods = allowedMethods(routes, request.path);
      response = { status: 204, headers: { 'x-request-id': context.requestId, traceresponse: hop.traceparent, ...SECURITY_HEADERS, ...preflightHeaders(cors, origin, methods) }, body: '' };
      logRequest(logger, request, response, started);
      return response;
    }
    const { route, params } = matchRoute(routes, request.method, request.path);
    hop.rename(`${route.method} ${route.path}`, route.path);
    // A public route reads no token: no async step (a promise and a tick less per request).
    const caller = route.access === 'public' ? undefined : await authenticate(route.access, request.headers['authorization'], authOf(context));
    const apiRequest: ApiRequest = {
      method: request.method.toUpperCase(),
      path: request.path,
      params,
      query: request.query,
      headers: request.headers,
      // A GET or DELETE body has no meaning (RFC 9110) and no handler reads one: it is ignored, not refused,
      // so those routes answer only the statuses the API description gives them.
      body: METHODS_WITH_BODY.has(route.method) ? readJsonBody(request) : undefined,
      ...(caller && { caller }),
    };
    const result = await route.handler(apiRequest, bindHop(deps, hop));
    response = {
      status: result.status,
      headers: { ...baseHeaders, ...(caller && NO_STORE), ...result.headers },
      body: result.body === undefined ? '' : JSON.stringify(result.body),
    };
  } catch (error) {
    if (statusOf(error) >= 500) logger.error('Unhandled error', { error: describeError(error) });
    response = errorHttpResponse(error, context.requestId, cors, origin, trace);
  }
  hop.setAttribute('http.response.status_code', response.status);
  logRequest(logger, request, response, started);
  return response;
}

/**
 * The answer to a request that failed with `error`, headers included, as every function gives it: the
 * local front doors answer what they refuse themselves (adapters/local/front-door.ts) with this same answer.
 */
export function errorHttpResponse(error: unknown, requestId: string, cors: CorsPolicy = environmentCors, origin?: string, trace?: TraceContext): RawHttpResponse {
  const mapped = errorResponse(error, requestId, trace?.traceId);
  const headers = {
    'content-type': 'application/json; charset=utf-8',
    'x-request-id': requestId,
    ...(trace && traceresponseHeader(trace)),
    ...SECURITY_HEADERS,
    ...corsResponseHeaders(cors, origin),
    ...NO_STORE,
    ...mapped.headers,
  };
  return { status: mapped.status, headers, body: JSON.stringify(mapped.body) };
}

function logRequest(logger: Logger, request: RawHttpRequest, response: RawHttpResponse, started: number): void {
  logger.info('HTTP request', {
    method: request.method,
    path: request.path,
    status: response.status,
    durationMs: Math.round(performance.now() - started),
  });
}
