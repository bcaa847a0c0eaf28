import { redactSecrets } from '../../adapters/shared/redact.js';
import { Agent, type IncomingHttpHeaders, type Server } from 'node:http';
import type { LocalConsole } from '../../adapters/local/local-console.js';
import { createFrontDoor, forwardRequest, functionHeaders, infrastructureAnswer, listenLocally, type DoorRequest, type ForwardedAnswer } from '../../adapters/local/front-door.js';
import { corsPolicyFromEnv, corsResponseHeaders } from '../../adapters/shared/cors.js';
import { functionChecks, healthResponse, type HealthCheck } from '../../adapters/shared/health.js';
import type { RawHttpResponse } from '../../adapters/shared/http-dispatch.js';
import { accessLine, functionOfPath } from './console-lines.js';
import type { BuildReport } from './hot-reload.js';
import { answers } from './engines-reachable.js';

/**
 * The local stand-in for API Gateway's edge, in front of sls offline: the shared front door
 * (adapters/local/front-door.ts), which answers what every local mode answers at the edge (a compressed
 * body 415 — hapi, inside sls offline, crashed the whole process on a gzip multipart body —, preflights,
 * unknown paths, bodies over 1 MiB, `/openapi.json`), and behind it what serverless-offline gets wrong
 * locally, so that a local answer never lies:
 * - `GET /health` says which functions and engines answer, as in memory mode (no function serves it);
 * - hapi's own headers (`cache-control: no-cache`, `accept-ranges`) are dropped: no function sets them;
 * - its CORS headers (serverless.yml's, on every answer) are the function's again (ourCorsHeaders);
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
  /** The local console (`/_local/`) over the stack's spans and queues. */
  console?: LocalConsole;
}

/** The answer for a request whose function does not build locally, if it is one. */
export function buildFailure(path: string, report: BuildReport | undefined): { functionKey: string; message: string } | undefined {
  if (!report || report.broken.length === 0) return undefined;
  const functionKey = functionOfPath(path) ?? report.catchAll;
  if (functionKey === undefined || !report.broken.includes(functionKey)) return undefined;
  return { functionKey, message: `The local build of ${functionKey} failed: ${report.message}. Fix the file and save; it reloads (see the npm start console).` };
}

const cors = corsPolicyFromEnv();

/**
 * The answer's CORS headers as the function set them (adapters/shared/cors.ts, for the request's `Origin`):
 * serverless-offline replaces them with its own from serverless.yml's `httpApi.cors` on every answer
 * (the origin echoed, `vary: origin` and the exposed headers even without an `Origin`), which neither
 * memory mode nor start:gcp sends. Same policy, same environment (CORS_ALLOWED_ORIGINS), so these are
 * the headers the function wrote.
 */
function ourCorsHeaders(headers: Record<string, string>, origin: string | undefined): Record<string, string> {
  const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith('access-control-') && name !== 'vary'));
  return { ...kept, ...corsResponseHeaders(cors, origin) };
}

export async function startEdgeProxy(options: EdgeProxyOptions): Promise<EdgeProxy> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const upstreamStatus = async (pathAndQuery: string) => (await fetch(`http://127.0.0.1:${options.upstreamPort}${pathAndQuery}`, { signal: AbortSignal.timeout(5_000) })).status;
  const checks = (): HealthCheck[] => [...functionChecks(upstreamStatus), ...Object.entries(options.engines ?? {}).map(([name, url]): HealthCheck => [name, () => answers(url, 2_000)])];

  /** The function's answer from sls offline, with serverless-offline's own failures made ours. */
  const forward = async (request: DoorRequest): Promise<RawHttpResponse> => {
    let answer: ForwardedAnswer;
    try {
      answer = await forwardRequest(options.upstreamPort, request, agent);
    } catch (error) {
      options.log(`edge: ${request.method} ${redactSecrets(request.url)}: sls offline unreachable (${error instanceof Error ? error.message : String(error)})`);
      return infrastructureAnswer(503, 'LOCAL_SERVER_UNAVAILABLE', 'The local server is not available', request.requestId, { 'retry-after': '2' });
    }
    const failure = lambdaFailure(answer.status, answer.headers, answer.body);
    if (failure) {
      const requestId = String(answer.headers['x-request-id'] ?? request.requestId);
      options.log(`edge: ${request.method} ${redactSecrets(request.url)} -> ${failure.status} (${answer.body.toString('utf8').slice(0, 300)})`);
      return infrastructureAnswer(failure.status, 'LOCAL_FUNCTION_ERROR', failure.message, requestId);
    }
    return { status: answer.status, headers: ourCorsHeaders(functionHeaders(answer.headers), request.headers['origin']), body: answer.body.toString('utf8') };
  };

  const server = createFrontDoor({
    health: async (requestId) => healthResponse(checks(), requestId),
    access: (method, url, status, durationMs, traceId) => options.access?.(accessLine(method, url, status, durationMs, traceId)),
    log: options.log,
    ...(options.console && { console: options.console }),
    answer: async (request) => {
      // A request that arrives during a rebuild waits for it: it gets the new code, or the build's error.
      const broken = options.build ? buildFailure(request.path, await options.build()) : undefined;
      if (broken) return infrastructureAnswer(500, 'LOCAL_BUILD_FAILED', broken.message, request.requestId);
      return forward(request);
    },
  });
  await listenLocally(server, options.port);
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
