import { readFileSync } from 'node:fs';
import { functionCatalogue, functionNames } from '../../functions/catalogue.js';
import type { RawHttpRequest, RawHttpResponse } from '../shared/http-dispatch.js';
import type { SpanStore } from './span-store.js';

/**
 * The local console: `GET /_local/` (a page), `GET /_local/traces?limit=20`, `GET /_local/traces/{traceId}`,
 * `GET /_local/functions`, `GET /_local/queues` and `POST /_local/queues/{name}/dead-letters/{index}/redrive`.
 * Served by the local front door (front-door.ts) of every local mode, never deployed: no entry file
 * imports it, and a test checks the packaged template and the Azure and GCP builds for `/_local`.
 */

/** A queue or change stream of a local mode, as the console shows it. */
export interface QueueView {
  name: string;
  /** The function it triggers. */
  function: string;
  kind: 'queue' | 'change-stream';
  /** Messages or changes waiting or being delivered; null when the mode cannot tell (start:gcp's push subscriptions). */
  depth: number | null;
  deadLetters: { index: number; id: string; attempts: number; error: string; traceId?: string }[];
}

export interface LocalConsole {
  spans: SpanStore;
  /** The mode's queues and streams; none when the mode cannot see them (asked of an emulator under npm start). */
  queues?(): QueueView[] | Promise<QueueView[]>;
  /** Sends a dead letter back to its queue; false when there is no such dead letter. */
  redrive?(queue: string, index: number): boolean | Promise<boolean>;
}

export const CONSOLE_PREFIX = '/_local';

/** Whether the console answers this path. */
export const isConsolePath = (path: string): boolean => path === CONSOLE_PREFIX || path.startsWith(`${CONSOLE_PREFIX}/`);

const asset = (name: string): string => readFileSync(new URL(`./console/${name}`, import.meta.url), 'utf8');

/** The page may run its own script and style, fetch from this origin, and nothing else. */
const PAGE_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  'referrer-policy': 'no-referrer',
};

const json = (status: number, body: unknown): RawHttpResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...PAGE_HEADERS },
  body: JSON.stringify(body),
});

const notFound = (message: string): RawHttpResponse => json(404, { error: { code: 'NOT_FOUND', message } });

/** The catalogue's functions with their triggers, for the page. */
function catalogueView(): unknown[] {
  return functionNames.map((name) => {
    const spec = functionCatalogue[name];
    if (spec.trigger === 'http') return { name, trigger: 'http', source: spec.routes.map((route) => `${route.method} ${route.path}`) };
    if (spec.trigger === 'queue') return { name, trigger: 'queue', source: [`queue ${spec.queue}`], maxDeliveries: spec.maxDeliveries };
    return { name, trigger: 'change-stream', source: [`${spec.store} store changes`], ...('publishesTo' in spec && { publishesTo: spec.publishesTo }), maxRetries: spec.maxRetries };
  });
}

/** The console's answer to a request under /_local. */
export async function consoleAnswer(console: LocalConsole, request: RawHttpRequest): Promise<RawHttpResponse> {
  const path = request.path.replace(/\/+$/, '');
  const method = request.method.toUpperCase();
  if (method === 'GET' && (path === CONSOLE_PREFIX || path === '')) {
    return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8', ...PAGE_HEADERS }, body: asset('page.html') };
  }
  if (method === 'GET' && path === `${CONSOLE_PREFIX}/console.js`) return { status: 200, headers: { 'content-type': 'text/javascript; charset=utf-8', ...PAGE_HEADERS }, body: asset('console.js') };
  if (method === 'GET' && path === `${CONSOLE_PREFIX}/console.css`) return { status: 200, headers: { 'content-type': 'text/css; charset=utf-8', ...PAGE_HEADERS }, body: asset('console.css') };
  if (method === 'GET' && path === `${CONSOLE_PREFIX}/traces`) {
    const limit = Number(request.query['limit'] ?? 20);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1_000) return json(400, { error: { code: 'VALIDATION_FAILED', message: 'limit must be an integer from 1 to 1000' } });
    return json(200, console.spans.recent(limit));
  }
  const traceMatch = /^\/_local\/traces\/([^/]+)$/.exec(path);
  if (method === 'GET' && traceMatch) {
    const traceId = decodeURIComponent(traceMatch[1]!);
    const spans = console.spans.trace(traceId);
    if (spans === undefined) return notFound(`No trace ${traceId} among the last traces`);
    return json(200, { traceId, spans: spans.map(({ traceId: _traceId, ...span }) => span) });
  }
  if (method === 'GET' && path === `${CONSOLE_PREFIX}/functions`) return json(200, catalogueView());
  if (method === 'GET' && path === `${CONSOLE_PREFIX}/queues`) return json(200, (await console.queues?.()) ?? []);
  const redrive = /^\/_local\/queues\/([^/]+)\/dead-letters\/(\d+)\/redrive$/.exec(path);
  if (method === 'POST' && redrive) {
    const done = (await console.redrive?.(decodeURIComponent(redrive[1]!), Number(redrive[2]))) ?? false;
    return done ? json(202, { redriven: true }) : notFound('No such dead letter');
  }
  return notFound(`${method} ${request.path} is not part of the local console`);
}
