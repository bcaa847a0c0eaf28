import { randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, Agent, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { errorResponse, type ErrorBody } from '../adapters/shared/error-response.js';
import { functionChecks, healthResponse, isHealthRequest, type HealthCheck } from '../adapters/shared/health.js';
import { isOpenApiRequest, openApiResponse } from '../adapters/shared/openapi-response.js';
import { accessLine, functionOfPath } from './console-lines.js';
import type { BuildReport } from './hot-reload.js';
import { answers } from './engines-reachable.js';
import { UnsupportedMediaTypeError } from '../functions/errors.js';

/**
 * The local stand-in for API Gateway's edge, in front of sls offline. It exists for what serverless-offline
 * gets wrong locally, so that a local answer never lies:
 * - a compressed request body (Content-Encoding) is answered 415 here: hapi, inside sls offline, crashed
 *   the whole process on `PUT /map` with a gzip multipart body ("Invalid compressed payload");
 * - `GET /openapi.json` is the API description and `GET /health` says which functions and engines
 *   answer, as in memory mode (no function serves them);
 * - a Lambda timeout or crash, which serverless-offline answers with HTTP 200 and `{"errorMessage":...}`,
 *   and an unreachable sls offline become a 5xx with our JSON error body;
 * - while a function's bundle does not build (hot-reload.ts), its routes answer 500 `LOCAL_BUILD_FAILED`
 *   naming the compiler's error, instead of serverless-offline's "Cannot find module" stack trace.
 * Everything else passes through unchanged.
 */
export interface EdgeProxy {
  server: Server;
  close(): Promise<void>;
}

type InfrastructureFailure = { status: 502 | 503 | 504; message: string };

function send(response: ServerResponse, status: number, body: ErrorBody, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'content-type': 'application/json', 'x-request-id': body.error.requestId, ...headers });
  response.end(JSON.stringify(body));
}

const infrastructureBody = (code: string, message: string, requestId: string): ErrorBody => ({ error: { code, message, requestId } });

/** A serverless-offline error answer in place of our function's response, if this is one. */
export function lambdaFailure(status: number, headers: IncomingHttpHeaders, body: Buffer): InfrastructureFailure | undefined {
  if (status === 502 || status === 504) return { status, message: 'The function did not answer' };
  if (!String(headers['content-type'] ?? '').includes('json') || body.length > 64 * 1024) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
  // Our functions answer errors as {"error":{...}}; only the runtime answers {"errorMessage","errorType"}.
  if (typeof parsed !== 'object' || parsed === null || !('errorMessage' in parsed) || 'error' in parsed) return undefined;
  const message = String((parsed as { errorMessage: unknown }).errorMessage);
  return /timeout/i.test(message) ? { status: 504, message: 'The function timed out' } : { status: 502, message: 'The function failed' };
}

export interface EdgeProxyOptions {
  port: number;
  upstreamPort: number;
  /** Receives one line per request answered by the functions (console-lines.ts). */
  access?(line: string): void;
  /** The engines `/health` checks besides the functions, by name. */
  engines?: Record<string, string>;
  log(message: string): void;
  /** The hot reload's latest build report, once no rebuild is running: a function whose bundle does not build gets a 500 here. */
  build?(): Promise<BuildReport | undefined>;
}

/** The answer for a request whose function does not build locally, if it is one. */
export function buildFailure(path: string, report: BuildReport | undefined): { functionKey: string; message: string } | undefined {
  if (!report || report.broken.length === 0) return undefined;
  const functionKey = functionOfPath(path) ?? report.catchAll;
  if (functionKey === undefined || !report.broken.includes(functionKey)) return undefined;
  return { functionKey, message: `The local build of ${functionKey} failed: ${report.message}. Fix the file and save; it reloads (see the npm start console).` };
}

export async function startEdgeProxy(options: EdgeProxyOptions): Promise<EdgeProxy> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const upstreamStatus = async (pathAndQuery: string) => (await fetch(`http://127.0.0.1:${options.upstreamPort}${pathAndQuery}`, { signal: AbortSignal.timeout(5_000) })).status;
  // Repeated headers joined, not dropped: a second Authorization must reach the function (refused there, 400).
  const server = createServer({ joinDuplicateHeaders: true }, (incoming: IncomingMessage, response: ServerResponse) => {
    const asked = { method: incoming.method ?? '', path: new URL(incoming.url ?? '/', 'http://localhost').pathname };
    if (isHealthRequest(asked)) {
      incoming.resume();
      const checks = [...functionChecks(upstreamStatus), ...Object.entries(options.engines ?? {}).map(([name, url]): HealthCheck => [name, () => answers(url, 2_000)])];
      void healthResponse(checks, randomUUID()).then((health) => response.writeHead(health.status, health.headers).end(health.body));
      return;
    }
    const encoding = incoming.headers['content-encoding'];
    if (encoding !== undefined && encoding.trim().toLowerCase() !== 'identity') {
      const error = errorResponse(new UnsupportedMediaTypeError(`Content-Encoding "${encoding}" is not supported; send the body uncompressed`), randomUUID());
      incoming.resume(); // drain, so the connection can be reused
      send(response, error.status, error.body, { connection: 'close' });
      return;
    }
    if (isOpenApiRequest(asked)) {
      const description = openApiResponse(randomUUID());
      incoming.resume();
      response.writeHead(description.status, description.headers).end(description.body);
      return;
    }
    const started = performance.now();
    if (!options.build) return forward(incoming, response, started);
    // A request that arrives during a rebuild waits for it: it gets the new code, or the build's error.
    void options.build().then((report) => {
      const broken = buildFailure(asked.path, report);
      if (!broken) return forward(incoming, response, started);
      incoming.resume();
      send(response, 500, infrastructureBody('LOCAL_BUILD_FAILED', broken.message, randomUUID()));
      options.access?.(accessLine(asked.method, incoming.url ?? '/', 500, performance.now() - started));
    });
  });
  const forward = (incoming: IncomingMessage, response: ServerResponse, started: number): void => {
    const upstream = httpRequest(
      { host: '127.0.0.1', port: options.upstreamPort, method: incoming.method, path: incoming.url, headers: incoming.headers, agent },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (chunk: Buffer) => chunks.push(chunk));
        answer.on('end', () => {
          const body = Buffer.concat(chunks);
          const failure = lambdaFailure(answer.statusCode ?? 502, answer.headers, body);
          if (failure) {
            const requestId = String(answer.headers['x-request-id'] ?? randomUUID());
            options.log(`edge: ${incoming.method} ${incoming.url} -> ${failure.status} (${body.toString('utf8').slice(0, 300)})`);
            send(response, failure.status, infrastructureBody('LOCAL_FUNCTION_ERROR', failure.message, requestId));
            return;
          }
          response.writeHead(answer.statusCode ?? 502, answer.headers);
          response.end(body);
          options.access?.(accessLine(incoming.method ?? 'GET', incoming.url ?? '/', answer.statusCode ?? 502, performance.now() - started));
        });
        answer.on('error', () => response.destroy());
      },
    );
    upstream.on('error', (error) => {
      if (response.headersSent) return void response.destroy();
      options.log(`edge: ${incoming.method} ${incoming.url}: sls offline unreachable (${error.message})`);
      send(response, 503, infrastructureBody('LOCAL_SERVER_UNAVAILABLE', 'The local server is not available', randomUUID()));
    });
    incoming.pipe(upstream);
  };
  // A malformed request must never take the server down.
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  return {
    server,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
}
