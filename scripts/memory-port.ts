/**
 * `npm run start:memory`'s port (PORT, default 3000) and the one sentence it prints when the port is
 * taken. Run once before `tsx watch` starts the server (package.json): a server that exits under
 * `tsx watch` leaves the watcher running, waiting for an edit, instead of ending the command.
 */
import { pathToFileURL } from 'node:url';
import { busyPortMessages, type NeededPort } from '../offline/shared/ports.js';

export const memoryPort = (env: Record<string, string | undefined> = process.env): NeededPort => ({
  port: Number(env['PORT'] ?? 3000),
  flag: 'PORT',
  purpose: 'HTTP',
  move: 'PORT=<port> npm run start:memory',
});

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const busy = await busyPortMessages([memoryPort()]);
  if (busy.length > 0) {
    console.error(`\n${busy.join('\n')}\n`);
    process.exit(1);
  }
}
