/**
 * Runs beside `npm run start:gcp` (offline/gcp/gcp-stack.ts starts it first, over an IPC channel) and kills
 * the stack's processes if that process dies without stopping them (SIGKILL, OOM): the emulators and
 * functions-framework servers would keep their ports, and the next start would fail. The IPC channel
 * closes the moment its parent dies, so this needs no polling. Plain JavaScript: it must start in
 * milliseconds, before anything else of the stack.
 * Messages: `{ watch: pid }` adds a process, `{ forget: pid }` removes one that exited (its pid may be reused).
 */
const pids = new Set();
process.on('message', (message) => {
  if (typeof message?.watch === 'number') pids.add(message.watch);
  if (typeof message?.forget === 'number') pids.delete(message.forget);
});
// Ctrl-C reaches this process too (same process group): the stack's own process stops everything, and
// this one stays until it has gone, in case it is killed halfway.
process.on('SIGINT', () => undefined);
process.on('SIGTERM', () => undefined);
process.on('disconnect', () => {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  process.exit(0);
});
