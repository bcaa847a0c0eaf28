import { redactSecrets } from '../shared/redact.js';
import { randomUUID } from 'node:crypto';
import { nodeRequestHeaders } from '../shared/node-headers.js';
import { createServer, request as httpRequest, STATUS_CODES, type Agent, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Route } from '../../functions/http/contract.js';
import { HeadersTooLargeError, MalformedRequestError, PayloadTooLargeError, RequestTimeoutError, UnsupportedMediaTypeError } from '../../functions/errors.js';
import { httpFunctions, type HttpFunctionName } from '../../functions/routes.js';
import { corsPolicyFromEnv, type CorsPolicy } from '../shared/cors.js';
import { dispatchHttp, errorHttpResponse, MAX_BODY_BYTES, type RawHttpRequest, type RawHttpResponse } from '../shared/http-dispatch.js';
import { isHealthRequest } from '../shared/health.js';
import { NO_STORE, SECURITY_HEADERS } from '../shared/security-headers.js';
import { silentLogger } from '../shared/json-logger.js';
import { isOpenApiRequest, openApiResponse } from '../shared/openapi-response.js';
import { allowedMethods, matchRoute } from '../shared/router.js';
import { consoleAnswer, isConsolePath, type LocalConsole } from './local-console.js';
import { formatTraceparent, newSpanId, newTraceId, parseTraceparent, SAMPLED, type TraceContext } from '../shared/trace-context.js';

/**
 * The trace of an answer the door gives itself (a refusal no function sees): the caller's trace continued,
 * or a new one, so that these answers too carry `traceresponse` and `error.traceId`.
 */
function doorTrace(headers: Record<string, string>): TraceContext {
  const parent = parseTraceparent(headers['traceparent']);
  return { traceId: parent?.traceId ?? newTraceId(), spanId: newSpanId(), flags: parent?.flags ?? SAMPLED };
}

/**
 * An answer as the door sends it: with `traceresponse` always. A function's answer carries its own; an
 * answer of the door or of the mode's infrastructure (the function's server down: 502/503/504, a failed
 * build, the console's) gets the door's trace (doorTrace), and its JSON error body that trace's `traceId`.
 */
function traced(answer: RawHttpResponse, headers: Record<string, string>): RawHttpResponse {
  if (answer.headers['traceresponse'] !== undefined) return answer;
  const trace = doorTrace(headers);
  let body = answer.body;
  if (answer.status >= 400 && body.startsWith('{"error":{')) {
    try {
      const parsed = JSON.parse(body) as { error: Record<string, unknown> };
      parsed.error['traceId'] ??= trace.traceId;
      body = JSON.stringify(parsed);
    } catch {
      // not our JSON error after all: sent as it is
    }
  }
  return { ...answer, headers: { ...answer.headers, traceresponse: formatTraceparent(trace) }, body };
}

/** The trace id of an answer's `traceresponse` (`00-<trace id>-<span id>-<flags>`). */
const traceIdOf = (answer: RawHttpResponse): string | undefined => parseTraceparent(answer.headers['traceresponse'])?.traceId;

/**
 * The one front door of every local mode: memory mode's server, `npm start`'s edge (offline/shared/edge-proxy.ts)
 * and `start:gcp`'s (offline/gcp/gcp-stack.ts) are this server with a different `answer` behind it, so the
 * three answer the edge alike (issue 18: gzip was 415, 400 or an HTML page; preflights, 1 MB headers,
 * `//` and public reads all differed). What it answers itself, with the functions' own error answer
 * (errorHttpResponse) and never by throwing:
 * - a request node cannot parse (NUL, broken request line: 400), headers over 16 KB (431), a client too slow (408);
 * - a `Content-Encoding` body (415: no local server inflates, and hapi once crashed on one);
 * - a body over 1 MiB (413), read to its end first so the client reads the answer instead of a reset;
 * - routing: `OPTIONS` (preflight or plain, with `Allow`), unknown paths (404), other methods (405),
 *   a parameter that is not URL encoding (400), with the shared router, as every function routes;
 * - `GET /openapi.json`, and `GET /health` when the mode says how.
 * Repeated slashes are one (`/players//x` is `/players/x`, as the router reads it) before anything
 * else, so the functions behind every mode see the same path.
 * Written by hand on node:http rather than with a framework: it is small, and what it exists for is
 * control of the socket (clientError, draining) that frameworks hide.
 */

/** A request the front door accepted, for the mode's function `fn`. */
export interface DoorRequest extends RawHttpRequest {
  /** Normalised path and the query as received: what a proxy sends upstream. */
  url: string;
  body: string;
  /** The body's bytes as received (a proxy forwards them unchanged). */
  bytes: Buffer;
  requestId: string;
  fn: HttpFunctionName;
}

export interface FrontDoorOptions {
  /** The mode's answer to a routed request: in process (memory mode) or from the function's server. */
  answer(request: DoorRequest): Promise<RawHttpResponse>;
  /** The mode's `/health` answer; without it `/health` is an unknown path. */
  health?(requestId: string): Promise<RawHttpResponse>;
  /** Called once per answered request (the console's one line, offline/shared/console-lines.ts), with the trace of its answer. */
  access?(method: string, url: string, status: number, durationMs: number, traceId?: string): void;
  /** A failure of the mode's `answer` (it was answered 500). */
  log?(message: string): void;
  cors?: CorsPolicy;
  /** The local console (`/_local/`: traces, the page, queues), local-console.ts; without it those paths are unknown. */
  console?: LocalConsole;
  /** How long a client may take to send a whole request before it is answered 408 (default node's: 300 s; the tests' is short). */
  requestTimeoutMs?: number;
}

/** Every function's routes in one table, for routing only: no handler is ever called through it. */
const routingTable: Route<unknown>[] = (Object.values(httpFunctions) as readonly Route<unknown>[][]).flat();

/** The deployed function whose routes include this (normalised) path, if any. */
export function functionServing(path: string): HttpFunctionName | undefined {
  for (const name of Object.keys(httpFunctions) as HttpFunctionName[]) {
    try {
      allowedMethods<unknown>(httpFunctions[name] as readonly Route<unknown>[], path);
      return name;
    } catch {
      // not this function's path
    }
  }
  return undefined;
}

/** The deployed function whose routes include this (routed) path. */
function functionFor(path: string): HttpFunctionName {
  const name = functionServing(path);
  if (name === undefined) throw new Error(`no function serves ${path}`); // unreachable: the path was routed before
  return name;
}

/** Beyond this a body is not even drained: the connection is closed after the 413. */
const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES;

/** The body, or `tooLarge` (then read to its end and dropped, up to DRAIN_LIMIT_BYTES). Rejects when the client aborts. */
async function readBody(incoming: IncomingMessage): Promise<{ bytes: Buffer; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of incoming as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    if (size > DRAIN_LIMIT_BYTES) break;
  }
  return { bytes: size > MAX_BODY_BYTES ? Buffer.alloc(0) : Buffer.concat(chunks), tooLarge: size > MAX_BODY_BYTES };
}

/** Path (repeated and trailing slashes made one) and query string of a request target; undefined when it is no path. */
export function normalisedTarget(target: string): { path: string; search: string } | undefined {
  let pathAndQuery = target;
  if (!target.startsWith('/')) {
    // The absolute form (`GET http://host/x`) names a path too; `*` and anything else does not.
    try {
      const url = new URL(target);
      pathAndQuery = `${url.pathname}${url.search}`;
    } catch {
      return undefined;
    }
  }
  const queryAt = pathAndQuery.indexOf('?');
  const rawPath = queryAt === -1 ? pathAndQuery : pathAndQuery.slice(0, queryAt);
  const search = queryAt === -1 ? '' : pathAndQuery.slice(queryAt);
  const path = `/${rawPath.split('/').filter((segment) => segment !== '').join('/')}`;
  return { path, search };
}


/** The answer to a request node could not parse, written on the raw socket (there is no response object). */
function answerClientError(error: NodeJS.ErrnoException, socket: Duplex, cors: CorsPolicy): void {
  if (error.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
  const refusal =
    error.code === 'HPE_HEADER_OVERFLOW' ? new HeadersTooLargeError('Request headers exceed 16 KB')
    : error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? new RequestTimeoutError('The request was not received in time')
    : new MalformedRequestError('The request is not valid HTTP');
  const answer = errorHttpResponse(refusal, randomUUID(), cors, undefined, doorTrace({}));
  const head = [`HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}`, ...Object.entries(answer.headers).map(([name, value]) => `${name}: ${value}`)];
  head.push(`content-length: ${Buffer.byteLength(answer.body)}`, 'connection: close');
  // Written, then the rest of what the client sends is read and dropped until it closes (bounded): closing
  // with unread bytes would reset the connection, and the client would never read the answer.
  socket.end(`${head.join('\r\n')}\r\n\r\n${answer.body}`);
  socket.on('error', () => undefined);
  socket.resume();
  setTimeout(() => socket.destroy(), 5_000).unref();
}

/** A front door (not yet listening); `listen` it on 127.0.0.1. */
export function createFrontDoor(options: FrontDoorOptions): Server {
  const cors = options.cors ?? corsPolicyFromEnv();
  const timeouts =
    options.requestTimeoutMs === undefined
      ? {}
      : // node checks the timeouts every connectionsCheckingInterval (30 s by default): checked often enough to be felt.
        { requestTimeout: options.requestTimeoutMs, headersTimeout: options.requestTimeoutMs, connectionsCheckingInterval: Math.max(10, Math.floor(options.requestTimeoutMs / 4)) };
  const server = createServer(timeouts, (incoming: IncomingMessage, response: ServerResponse) => {
    void serve(incoming, response).catch((error: unknown) => {
      // Only a failure of the mode's own answer gets here: still an answer, never an exit.
      options.log?.(`front door: ${incoming.method} ${redactSecrets(incoming.url ?? '/')}: ${error instanceof Error ? error.message : String(error)}`);
      if (response.headersSent) return void response.destroy();
      write(response, errorHttpResponse(error, randomUUID(), cors, undefined, doorTrace(nodeRequestHeaders(incoming))));
    });
  });

  const write = (response: ServerResponse, answer: RawHttpResponse): void => {
    response.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
    response.end(answer.body);
  };

  async function serve(incoming: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const requestId = randomUUID();
    const method = incoming.method ?? 'GET';
    const headers = nodeRequestHeaders(incoming);
    const origin = headers['origin'];
    const done = (answer: RawHttpResponse, url: string): void => {
      const sent = traced(answer, headers);
      write(response, sent);
      options.access?.(method, url, sent.status, performance.now() - started, traceIdOf(sent));
    };
    const refuse = (error: unknown, url: string): void => done(errorHttpResponse(error, requestId, cors, origin, doorTrace(headers)), url);

    let body: { bytes: Buffer; tooLarge: boolean };
    try {
      body = await readBody(incoming);
    } catch {
      return void response.destroy(); // the client went away mid-body: nobody to answer
    }
    if (body.tooLarge && !incoming.complete) response.shouldKeepAlive = false;
    const target = normalisedTarget(incoming.url ?? '/');
    if (target === undefined) return refuse(new MalformedRequestError(`"${(incoming.url ?? '').slice(0, 100)}" is not a path`), incoming.url ?? '');
    const url = `${target.path}${target.search}`;
    const encoding = headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      return refuse(new UnsupportedMediaTypeError(`Content-Encoding "${encoding}" is not supported; send the body uncompressed`), url);
    }
    if (body.tooLarge) return refuse(new PayloadTooLargeError(`Body exceeds ${MAX_BODY_BYTES} bytes`), url);
    const query = Object.fromEntries(new URLSearchParams(target.search));
    const raw: RawHttpRequest = { method, path: target.path, query, headers, body: body.bytes.toString('utf8') };
    // No console line for the console's own requests: its page polls every 2 s.
    if (options.console && isConsolePath(target.path)) return void write(response, traced(await consoleAnswer(options.console, raw), headers));
    if (isOpenApiRequest(raw)) return done(openApiResponse(requestId), url);
    if (isHealthRequest(raw) && options.health) return done(await options.health(requestId), url);
    try {
      if (method.toUpperCase() !== 'OPTIONS') matchRoute(routingTable, method, target.path);
    } catch {
      // Unknown path, other method, undecodable parameter: answered as every function answers it (no handler runs).
      return done(await dispatchHttp(routingTable, undefined, raw, { requestId, logger: silentLogger, cors }), url);
    }
    if (method.toUpperCase() === 'OPTIONS') return done(await dispatchHttp(routingTable, undefined, raw, { requestId, logger: silentLogger, cors }), url);
    const answer = await options.answer({ ...raw, body: raw.body ?? '', url, bytes: body.bytes, requestId, fn: functionFor(target.path) });
    done(answer, url);
  }

  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => answerClientError(error, socket, cors));
  return server;
}

/** Listens on 127.0.0.1:`port` (never every interface: a local stack is for this machine). */
export const listenLocally = (server: Server, port: number): Promise<void> =>
  new Promise((listening, failed) => {
    server.once('error', failed);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', failed);
      listening();
    });
  });

/** Headers a server behind the door adds that no function sets (hapi's `no-cache` and ranges, Express's signature, hop-by-hop). */
const PLATFORM_HEADERS = new Set(['accept-ranges', 'x-powered-by', 'etag', 'connection', 'keep-alive', 'transfer-encoding', 'content-length', 'date', 'last-modified']);

/** A proxied answer's headers as the function set them: one string each, the servers' own additions dropped. */
export function functionHeaders(headers: Record<string, string | string[] | number | undefined>): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined || PLATFORM_HEADERS.has(name)) continue;
    const text = Array.isArray(value) ? value.join(', ') : String(value);
    // Our functions set `no-store` or nothing (security-headers.ts); hapi adds `no-cache` to everything else.
    if (name === 'cache-control' && text === 'no-cache') continue;
    kept[name] = text;
  }
  return kept;
}

/**
 * An answer of the local infrastructure (not of a function: the server behind the door is down, or its
 * build failed) in our error shape, with the headers every error carries.
 */
export const infrastructureAnswer = (status: number, code: string, message: string, requestId: string, extra: Record<string, string> = {}): RawHttpResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, ...SECURITY_HEADERS, ...NO_STORE, ...extra },
  body: JSON.stringify({ error: { code, message, requestId } }),
});

/** A function server's whole answer to a forwarded request. */
export interface ForwardedAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Sends a request the door accepted (its body already read) to the function's server on 127.0.0.1:`port`; rejects when it does not answer. */
export function forwardRequest(port: number, request: DoorRequest, agent?: Agent): Promise<ForwardedAnswer> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...request.headers, 'content-length': String(request.bytes.length) };
    delete headers['transfer-encoding'];
    delete headers['connection'];
    // The door hands the function's body on as text, so it must arrive uncompressed: hapi (inside sls
    // offline) gzips any answer over 1 KB for a client that accepts it, and API Gateway compresses nothing by default.
    delete headers['accept-encoding'];
    const upstream = httpRequest({ host: '127.0.0.1', port, method: request.method, path: request.url, headers, ...(agent && { agent }) }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.on('error', reject);
      answer.on('end', () => resolve({ status: answer.statusCode ?? 502, headers: answer.headers, body: Buffer.concat(chunks) }));
    });
    upstream.on('error', reject);
    upstream.end(request.bytes);
  });
}
