import middy from '@middy/core';
import type {
  APIGatewayProxyEvent,
  APIGatewayProxyEventV2,
  APIGatewayProxyResult,
  APIGatewayProxyStructuredResultV2,
  Context,
} from 'aws-lambda';
import type { Route } from '../../functions/http/contract.js';
import { dispatchHttp, type DispatchContext, type RawHttpRequest, type RawHttpResponse } from '../shared/http-dispatch.js';
import { amznTraceIdToW3c, SAMPLED } from '../shared/trace-context.js';
import { functionNameOfPlatform, HOP_ATTRIBUTES } from '../shared/tracing.js';
import { isApiGatewayV2Event } from './guards.js';
import { portLogger } from './logger.js';
import { LAMBDA_WRAPPER_OPTIONS } from './middy-options.js';

/** Only text is base64-decoded: an emulator may hand over a non-string body, which the shared dispatch reads (bodyTextOf). */
const decodeBody = (body: string | null | undefined, isBase64Encoded: boolean): string | undefined =>
  body == null ? undefined : isBase64Encoded && typeof body === 'string' ? Buffer.from(body, 'base64').toString('utf8') : body;

/** A loop rather than Object.fromEntries(entries.filter): this runs on every request, and the loop costs a fifth. */
function definedValues(record: Record<string, string | undefined> | null | undefined): Record<string, string> {
  const values: Record<string, string> = {};
  for (const name in record) {
    const value = record[name];
    if (value !== undefined) values[name] = value;
  }
  return values;
}

/** HTTP API (payload 2.0): headers arrive lower-cased and comma-joined; cookies come apart from headers. */
export function apiGatewayV2EventToRawRequest(event: APIGatewayProxyEventV2): RawHttpRequest {
  const headers = definedValues(event.headers);
  if (event.cookies?.length) headers['cookie'] = event.cookies.join('; ');
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query: definedValues(event.queryStringParameters),
    headers,
    body: decodeBody(event.body, event.isBase64Encoded),
  };
}

/** REST API (payload 1.0): multi-value maps hold every repeated header and query value. */
export function apiGatewayV1EventToRawRequest(event: APIGatewayProxyEvent): RawHttpRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(definedValues(event.headers))) headers[name.toLowerCase()] = value;
  for (const [name, values] of Object.entries(event.multiValueHeaders ?? {})) {
    if (values?.length) headers[name.toLowerCase()] = values.join(', ');
  }
  const query = definedValues(event.queryStringParameters);
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (values?.length) query[name] = values.join(',');
  }
  return { method: event.httpMethod, path: event.path, query, headers, body: decodeBody(event.body, event.isBase64Encoded) };
}

export function rawResponseToProxyResultV2(response: RawHttpResponse): APIGatewayProxyStructuredResultV2 {
  return { statusCode: response.status, headers: response.headers, body: response.body, isBase64Encoded: false };
}

export function rawResponseToProxyResultV1(response: RawHttpResponse): APIGatewayProxyResult {
  return { statusCode: response.status, headers: response.headers, body: response.body, isBase64Encoded: false };
}

/**
 * The X-Ray trace API Gateway (or Lambda's active tracing) started for this request, in W3C terms: named
 * on the request's span and, when it says which segment called us, linked to it. Our trace stays the
 * caller's `traceparent` (or a new one): X-Ray's ids are another system's, not a parent we continue.
 */
export function xrayTraceOf(request: RawHttpRequest, env: Record<string, string | undefined> = process.env): ReturnType<NonNullable<DispatchContext['spanDetails']>> {
  const xray = amznTraceIdToW3c(request.headers['x-amzn-trace-id'] ?? env['_X_AMZN_TRACE_ID']);
  if (xray === undefined) return {};
  const attributes = { [HOP_ATTRIBUTES.xrayTraceId]: `1-${xray.traceId.slice(0, 8)}-${xray.traceId.slice(8)}` };
  return xray.spanId === undefined ? { attributes } : { attributes, links: [{ traceId: xray.traceId, spanId: xray.spanId, flags: SAMPLED }] };
}

export type ApiGatewayEvent = APIGatewayProxyEventV2 | APIGatewayProxyEvent;
export type ApiGatewayResult = APIGatewayProxyStructuredResultV2 | APIGatewayProxyResult;

/**
 * A Lambda handler for one HTTP function: API Gateway HTTP API (2.0) or REST API (1.0) event in,
 * the function's route table in between, the matching result shape out. The Lambda request id is
 * the request id callers see and every log line carries.
 */
export function httpTrigger<Deps>(routes: readonly Route<Deps>[], deps: Deps) {
  // The catalogue name of the function, from the name Lambda runs it under (spans' faas.name); one per handler.
  let fn: string | undefined;
  const handle = async (event: ApiGatewayEvent, context: Context): Promise<ApiGatewayResult> => {
    const requestId = context.awsRequestId;
    const logger = portLogger(requestId);
    fn ??= functionNameOfPlatform({ AWS_LAMBDA_FUNCTION_NAME: context.functionName });
    if (isApiGatewayV2Event(event)) {
      const request = apiGatewayV2EventToRawRequest(event);
      return rawResponseToProxyResultV2(await dispatchHttp(routes, deps, request, { requestId, logger, fn, spanDetails: xrayTraceOf }));
    }
    const request = apiGatewayV1EventToRawRequest(event);
    return rawResponseToProxyResultV1(await dispatchHttp(routes, deps, request, { requestId, logger, fn, spanDetails: xrayTraceOf }));
  };
  // middy stays the wrapper users add their middlewares to; it has none of ours: Powertools'
  // injectLambdaContext (4 µs per request) only added keys our log lines carry already. Nothing logs
  // the event, which holds the caller's bearer token.
  return middy(handle, LAMBDA_WRAPPER_OPTIONS);
}
