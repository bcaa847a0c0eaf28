import type { Server } from 'node:http';
import { createFrontDoor, type FrontDoorOptions } from './front-door.js';
import type { LocalApp } from './local-app.js';

/** Memory mode's server: the shared front door (front-door.ts) with the in-process app behind it. */
export function createLocalHttpServer(app: LocalApp, options: Pick<FrontDoorOptions, 'access' | 'log' | 'requestTimeoutMs'> = {}): Server {
  return createFrontDoor({
    ...options,
    answer: (request) => app.handle(request, request.requestId),
    health: (requestId) => app.handle({ method: 'GET', path: '/health', query: {}, headers: {} }, requestId),
  });
}
