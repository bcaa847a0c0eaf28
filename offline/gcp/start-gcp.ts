/**
 * `npm run start:gcp`: the Google Cloud build on the Firestore and Pub/Sub emulators (offline/gcp/gcp-stack.ts).
 *   HTTP                 http://localhost:3100   (--http-port; GET /health, GET /openapi.json)
 *   Firestore emulator   127.0.0.1:8080          (--firestore-port)
 *   Pub/Sub emulator     127.0.0.1:8085          (--pubsub-port)
 * One readable line per request (offline/shared/console-lines.ts); `--verbose` shows the functions' JSON lines too.
 * An edit under functions/ or adapters/ rebuilds and reloads the functions it touches. Ctrl-C or SIGTERM
 * stops every process; if this one is killed, offline/gcp/orphan-guard.mjs stops the rest. If an emulator or
 * a function dies, the whole stack stops with exit code 1 and says which one.
 */
import { parseArgs } from 'node:util';
import { trustDevKeyUnlessConfigured } from '../../adapters/local/dev-auth.js';
import { busyPortMessages } from '../shared/ports.js';
import { accessLine, hopLine } from '../shared/console-lines.js';
import { startGcpStack, type GcpStack } from './gcp-stack.js';

/** After the first Ctrl-C or SIGTERM, the stack gets this long to stop; then (or on a second signal) this process exits and the guard kills the rest. */
const STOP_TIMEOUT_MS = 8_000;

const { values } = parseArgs({
  options: {
    'http-port': { type: 'string', default: '3100' },
    'firestore-port': { type: 'string', default: '8080' },
    'pubsub-port': { type: 'string', default: '8085' },
    'out-dir': { type: 'string', default: 'dist/gcp' },
    verbose: { type: 'boolean', default: false },
  },
});
const ports = { frontDoor: Number(values['http-port']), firestore: Number(values['firestore-port']), pubsub: Number(values['pubsub-port']) };
const busy = await busyPortMessages(
  [
    { port: ports.frontDoor, flag: '--http-port', purpose: 'HTTP' },
    { port: ports.firestore, flag: '--firestore-port', purpose: 'the Firestore emulator' },
    { port: ports.pubsub, flag: '--pubsub-port', purpose: 'the Pub/Sub emulator' },
  ],
  'npm run start:gcp',
);
if (busy.length > 0) {
  console.error(`\n${busy.join('\n')}\n`);
  process.exit(1);
}

let stack: GcpStack | undefined;
let stopping = false;
const shutdown = (code: number): void => {
  // A second signal, or a signal while starting: exit now; the orphan guard kills what runs.
  if (stopping || stack === undefined) process.exit(stopping ? 1 : 130);
  stopping = true;
  setTimeout(() => process.exit(1), STOP_TIMEOUT_MS).unref();
  void stack.stop().then(() => process.exit(code));
};
process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

try {
  // Tokens from `npm run token` are accepted here: the functions' processes inherit AUTH_*.
  await trustDevKeyUnlessConfigured();
  stack = await startGcpStack({
    ports,
    outDir: values['out-dir'],
    watch: true,
    // One readable line per request, as npm start and start:memory print; the functions' JSON lines only with --verbose.
    access: (method, url, status, durationMs, traceId) => console.log(accessLine(method, url, status, durationMs, traceId)),
    functionOutput: values.verbose ? 'inherit' : 'readable',
    // One line per trigger hop too (a Firestore change, a Pub/Sub delivery), from its span.
    hop: (span) => (span.status === 'error' ? console.error(hopLine(span)) : console.log(hopLine(span))),
  });
  stack.onFailure((message) => {
    console.error(`\nMyEvents stopped: ${message}.\nThe rest of the stack has been stopped too (a half-running stack would answer wrongly). Run \`npm run start:gcp\` again.\n`);
    shutdown(1);
  });
  console.log(
    [
      '',
      `MyEvents (Google Cloud build) is running at ${stack.url}   (GET /health, GET /openapi.json)`,
      `  functions  ${Object.entries(stack.functionPorts()).map(([name, port]) => `${name} :${port}`).join(', ')}`,
      `  emulators  Firestore ${stack.firestoreHost}, Pub/Sub ${stack.pubsubHost} (data in memory)`,
      `Traces, queues and dead letters: ${stack.url}/_local/`,
      'An edit under functions/ or adapters/ reloads the functions it touches.',
      'One line per request below; `npm run start:gcp -- --verbose` shows every log line. Ctrl-C stops it.',
      '',
    ].join('\n'),
  );
} catch (error) {
  console.error(`\n[start:gcp] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
