/**
 * Starts the whole app in one process over in-memory stores: HTTP on PORT (3000), change streams
 * and queues delivered in-process. No cloud account, no Docker, no java.
 */
import { trustDevKeyUnlessConfigured } from '../adapters/local/dev-auth.js';
import { createLocalApp } from '../adapters/local/local-app.js';
import { createLocalHttpServer } from '../adapters/local/http-server.js';
import { jsonLogger } from '../adapters/shared/json-logger.js';

// Tokens from `npm run token` are accepted here (adapters/shared/auth.ts reads AUTH_* at the first request).
await trustDevKeyUnlessConfigured();
const port = Number(process.env['PORT'] ?? 3000);
const logger = jsonLogger({ service: 'myevents-local' });
const server = createLocalHttpServer(createLocalApp({ logger }));
server.listen(port, '127.0.0.1', () => {
  logger.info(`MyEvents is running at http://localhost:${port} (in-memory; data is lost on exit)`);
});
const stop = (): void => {
  server.close(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
