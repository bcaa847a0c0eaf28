/**
 * Serves one function built by build:gcp as functions-framework serves it, but on 127.0.0.1 only:
 * functions-framework's command (5.0) has no host option and listens on every interface. The server is
 * functions-framework's own (`getTestServer` of its public testing module builds it with the same
 * getServer the command uses), so requests are decoded exactly as on Cloud Run functions.
 * Usage: node offline/gcp/gcp-function-host.mjs <source folder> <function name> <port>
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { getTestServer } from '@google-cloud/functions-framework/testing';

const [source, target, port] = process.argv.slice(2);
if (!source || !target || !port) {
  console.error('usage: gcp-function-host.mjs <source folder> <function name> <port>');
  process.exit(2);
}
const require = createRequire(import.meta.url);
// The bundle registers its function (http(...) / cloudEvent(...)) with the same functions-framework
// module, resolved from the project's node_modules as this file's import is.
require(resolve(source, 'index.js'));

// Warm-up, before the server accepts anything: the first call of a Google Cloud client in a process loads
// gRPC and the API's descriptors and connects (0.4–2 s measured; the first trigger or queue hop took 1.5–3 s
// because of it). Paid here, a client the function makes answers its first call in ~20 ms. Every function
// uses both clients (adapters/gcp/environment.ts); the placeholder credentials are the adapters' own for
// the emulators (no metadata-server probe). A failed warm-up only leaves the function cold.
const credentials = { client_email: 'emulator@localhost', private_key: 'unused-by-the-emulator' };
await Promise.allSettled([
  // Started by start:gcp (an IPC channel to it): this process's spans go to its local console
  // (offline/shared/span-export.ts, bundled by function-processes.ts's buildSpanExport); alongside the warm-up.
  (async () => {
    const bundle = process.env.MYEVENTS_SPAN_EXPORT;
    if (process.send === undefined || bundle === undefined) return;
    const { exportSpansToParent } = require(bundle);
    exportSpansToParent();
  })(),
  (async () => {
    const { Firestore } = require('@google-cloud/firestore');
    const firestore = new Firestore({ credentials });
    await firestore.doc('local-warm-up/probe').get().finally(() => firestore.terminate());
  })(),
  (async () => {
    const { PubSub } = require('@google-cloud/pubsub');
    const pubsub = new PubSub({ credentials });
    await pubsub.getTopics({ pageSize: 1 }).finally(() => pubsub.close());
  })(),
]);

const server = getTestServer(target);
server.listen(Number(port), '127.0.0.1');
server.setTimeout(0); // as functions-framework's command: no timeout on incoming connections
// As functions-framework's command: a signal ends the process at once.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
