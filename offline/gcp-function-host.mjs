/**
 * Serves one function built by build:gcp as functions-framework serves it, but on 127.0.0.1 only:
 * functions-framework's command (5.0) has no host option and listens on every interface. The server is
 * functions-framework's own (`getTestServer` of its public testing module builds it with the same
 * getServer the command uses), so requests are decoded exactly as on Cloud Run functions.
 * Usage: node offline/gcp-function-host.mjs <source folder> <function name> <port>
 */
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { getTestServer } from '@google-cloud/functions-framework/testing';

const [source, target, port] = process.argv.slice(2);
if (!source || !target || !port) {
  console.error('usage: gcp-function-host.mjs <source folder> <function name> <port>');
  process.exit(2);
}
// The bundle registers its function (http(...) / cloudEvent(...)) with the same functions-framework
// module, resolved from the project's node_modules as this file's import is.
createRequire(import.meta.url)(resolve(source, 'index.js'));
const server = getTestServer(target);
server.listen(Number(port), '127.0.0.1');
server.setTimeout(0); // as functions-framework's command: no timeout on incoming connections
// As functions-framework's command: a signal ends the process at once.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => process.exit(0));
