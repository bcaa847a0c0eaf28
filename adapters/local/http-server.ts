import type { Server } from 'node:http';
import { createFrontDoor, type FrontDoorOptions } from './front-door.js';
import type { LocalApp } from './local-app.js';
import type { SpanStore } from './span-store.js';

/**
 * Memory mode's server: the shared front door (front-door.ts) with the in-process app behind it; with
 * `spans`, the local console (`/_local/`) over them and the app's queues and streams.
 */
export function createLocalHttpServer(app: LocalApp, options: Pick<FrontDoorOptions, 'access' | 'log' | 'requestTimeoutMs'> & { spans?: SpanStore } = {}): Server {
  const { spans, ...doorOptions } = options;
  return createFrontDoor({
    ...doorOptions,
    ...(spans && { console: { spans, queues: () => app.queues(), redrive: (name, index) => app.redrive(name, index) } }),
    answer: (request) => app.handle(request, request.requestId),
    health: (requestId) => app.handle({ method: 'GET', path: '/health', query: {}, headers: {} }, requestId),
  });
}
