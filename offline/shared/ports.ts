import { createServer } from 'node:net';

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no free port'))));
    });
  });
}

/** A port a local stack needs, the flag that moves it, and what it is for. */
export interface NeededPort {
  port: number;
  flag: string;
  purpose: string;
  /** How to pick another port, if not `npm start -- <flag> <port>` (start:memory reads PORT). */
  move?: string;
}

/** Whether something already listens on 127.0.0.1:`port` (or we may not bind it). */
function isBusy(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
}

/**
 * One sentence per port that is taken, naming it and how to pick another; empty when all are free.
 * Checked before anything starts: a stack that started half (java up, sls offline dead on
 * EADDRINUSE) is worse than none.
 */
export async function busyPortMessages(ports: NeededPort[], command = 'npm start'): Promise<string[]> {
  const busy = await Promise.all(ports.map(async (needed) => ((await isBusy(needed.port)) ? needed : undefined)));
  return busy
    .filter((needed): needed is NeededPort => needed !== undefined)
    .map((needed) => `Port ${needed.port} (${needed.purpose}) is already in use: stop what uses it, or pick another port with \`${needed.move ?? `${command} -- ${needed.flag} <port>`}\`.`);
}
