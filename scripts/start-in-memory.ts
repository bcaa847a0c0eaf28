/**
 * Starts the whole app in one process over in-memory stores: HTTP on PORT (3000), change streams
 * and queues delivered in-process. No cloud account, no Docker, no java. The console shows one line
 * per request, as under `npm start` (offline/shared/console-lines.ts), and warnings and errors; `--verbose`
 * shows every JSON log line instead.
 */
import { parseArgs } from 'node:util';
import { trustDevKeyUnlessConfigured } from '../adapters/local/dev-auth.js';
import { createLocalApp } from '../adapters/local/local-app.js';
import { createLocalHttpServer } from '../adapters/local/http-server.js';
import { recordSpansInto, SpanStore } from '../adapters/local/span-store.js';
import { listenLocally } from '../adapters/local/front-door.js';
import { jsonLogger } from '../adapters/shared/json-logger.js';
import { accessLine } from '../offline/shared/console-lines.js';
import { busyPortMessages } from '../offline/shared/ports.js';
import { memoryPort } from './memory-port.js';

const { values } = parseArgs({ options: { verbose: { type: 'boolean', default: false } } });
// Tokens from `npm run token` are accepted here (adapters/shared/auth.ts reads AUTH_* at the first request).
await trustDevKeyUnlessConfigured();
const { port } = memoryPort();
const logger = jsonLogger({ service: 'myevents-local' }, undefined, values.verbose ? 'INFO' : 'WARN');
// The spans of the last 1,000 traces, for GET /_local/traces and the page at /_local/.
const spans = new SpanStore();
recordSpansInto(spans);
const server = createLocalHttpServer(createLocalApp({ logger }), {
  spans,
  access: (method, url, status, durationMs, traceId) => console.log(accessLine(method, url, status, durationMs, traceId)),
  log: (message) => console.error(message),
});
try {
  await listenLocally(server, port);
} catch (error) {
  // Taken since the check before `tsx watch` (package.json), or run without it: the same one sentence.
  if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
  console.error(`\n${(await busyPortMessages([memoryPort()])).join('\n') || String(error)}\n`);
  process.exit(1);
}
console.log(
  [
    '',
    `MyEvents is running at http://localhost:${port}   (in memory: data is lost on exit; GET /health, GET /openapi.json)`,
    `Traces, queues and dead letters: http://localhost:${port}/_local/`,
    `One line per request below; \`npm run start:memory -- --verbose\` shows every log line. Ctrl-C stops it.`,
    '',
  ].join('\n'),
);
const stop = (): void => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
