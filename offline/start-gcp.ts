import { trustDevKeyUnlessConfigured } from '../adapters/local/dev-auth.js';
import { startGcpStack } from './gcp-stack.js';

/** `npm run start:gcp`: the Google Cloud stack on fixed ports (offline/gcp-stack.ts), until Ctrl-C. */
try {
  // Tokens from `npm run token` are accepted here: the functions' process inherits AUTH_*.
  await trustDevKeyUnlessConfigured();
  const stack = await startGcpStack();
  const stop = (): void => void stack.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  process.stderr.write(`[start:gcp] ready: http://localhost:3100 (Firestore emulator ${stack.firestoreHost}, Pub/Sub emulator ${stack.pubsubHost}); Ctrl-C stops everything\n`);
} catch (error) {
  process.stderr.write(`[start:gcp] failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
