import type { IncomingMessage } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Request, Response } from '@google-cloud/functions-framework';
import type { Route } from '../../functions/http/contract.js';
import { dispatchHttp, type RawHttpRequest, type RawHttpResponse } from '../shared/http-dispatch.js';
import { nodeRequestHeaders } from '../shared/node-headers.js';
import { gcpLogger } from './logger.js';

/** Reads a body no parser has read (functions-framework parses only the content types it knows; without one, nothing reads the stream). */
async function unreadBody(request: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks);
}

/**
 * The body as sent: functions-framework's parsers keep the bytes they read in `rawBody`; we parse
 * (and size-check) the text ourselves, as on every platform, rather than use their `body`.
 */
async function bodyText(request: Request): Promise<string | undefined> {
  if (Buffer.isBuffer(request.rawBody)) return request.rawBody.toString('utf8');
  if (request.readableEnded || request.complete) return undefined;
  const bytes = await unreadBody(request);
  return bytes.length === 0 ? undefined : bytes.toString('utf8');
}

/**
 * The query as API Gateway (payload 2.0) hands it over: from the raw query string, each value
 * decoded once, repeated names joined with ",". Express's own `req.query` parsing is not used, so
 * both platforms read `?limit=1&limit=2` the same way.
 */
function queryOf(originalUrl: string): Record<string, string> {
  const query: Record<string, string> = {};
  const search = originalUrl.includes('?') ? originalUrl.slice(originalUrl.indexOf('?') + 1) : '';
  for (const [name, value] of new URLSearchParams(search)) query[name] = name in query ? `${query[name]},${value}` : value;
  return query;
}

/** A functions-framework (Express) request as the raw request every platform dispatches: path still URL-encoded, as received. */
export async function expressRequestToRawRequest(request: Request): Promise<RawHttpRequest> {
  const originalUrl = request.originalUrl || request.url;
  const path = originalUrl.split('?')[0] ?? '/';
  return { method: request.method, path, query: queryOf(originalUrl), headers: nodeRequestHeaders(request), body: await bodyText(request) };
}

/** Writes the raw response as it is: status, headers, body text (nothing for 204). */
export function rawResponseToExpress(response: RawHttpResponse, target: Response): void {
  target.status(response.status);
  for (const [name, value] of Object.entries(response.headers)) target.setHeader(name, value);
  target.end(response.body);
}

/**
 * A functions-framework HTTP function for one deployed HTTP function: the Express request in, the
 * function's route table in between, the response out. The request id callers see and every log
 * line carries is functions-framework's execution id (Cloud Run functions' Function-Execution-Id).
 *
 * One difference from AWS that this adapter cannot remove: functions-framework parses an
 * `application/json` body before calling us, and answers malformed JSON itself with a plain 400
 * (functions-framework-nodejs issue #686), so that 400 lacks our error body (start:gcp's front door
 * gives it our shape locally: offline/gcp/gcp-stack.ts, frameworkRefusal).
 */
export function httpTrigger<Deps>(routes: readonly Route<Deps>[], deps: Deps, fn?: string): (request: Request, response: Response) => Promise<void> {
  return async (request, response) => {
    const requestId = request.executionId ?? randomUUID();
    const raw = await expressRequestToRawRequest(request);
    // `fn`: the catalogue name (compose.ts), for spans; without it, the platform's FUNCTION_TARGET.
    rawResponseToExpress(await dispatchHttp(routes, deps, raw, { requestId, logger: gcpLogger(requestId), ...(fn !== undefined && { fn }) }), response);
  };
}
