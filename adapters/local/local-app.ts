import type { ChangeRecord, HttpFunctionDeps } from '../../functions/index.js';
import type { Clock, IdSource, Logger } from '../../functions/ports.js';
import { dispatchHttp, type RawHttpRequest, type RawHttpResponse } from '../shared/http-dispatch.js';
import { functionChecks, healthResponse, isHealthRequest } from '../shared/health.js';
import { silentLogger } from '../shared/json-logger.js';
import { isOpenApiRequest, openApiResponse } from '../shared/openapi-response.js';
import { randomIds, systemClock } from '../shared/system.js';
import { composeMemory } from './compose.js';
import type { LocalMessage } from './queue-trigger.js';
import type { DeadLetter } from './serial-delivery.js';
import { QUEUE_MAX_DELIVERIES, type QueueName } from '../../functions/catalogue.js';
import { parseTraceparent } from '../shared/trace-context.js';
import { functionServing, normalisedTarget } from './front-door.js';
import type { QueueView } from './local-console.js';

export interface LocalAppOptions {
  clock?: Clock;
  ids?: IdSource;
  logger: Logger;
  /** Attempts per queue message or stream record before it is dead-lettered (SQS maxReceiveCount). */
  maxAttempts?: number;
}

export interface LocalApp {
  /** Handles one HTTP request with every route of every function. */
  handle(request: RawHttpRequest, requestId: string): Promise<RawHttpResponse>;
  /** Waits until every stream and queue has nothing left to deliver (deliveries can enqueue more). */
  settle(): Promise<void>;
  /** Messages and stream records that failed every attempt: the local dead-letter queues. */
  deadLetters(): DeadLetter<LocalMessage | ChangeRecord>[];
  /** Every queue and change stream: its function, depth and dead letters (the local console's queues). */
  queues(): QueueView[];
  /** Sends a dead letter back to its queue or stream (the local console's redrive button). */
  redrive(name: string, index: number): boolean;
  /** Puts a raw message on a queue, as `aws sqs send-message` would (a poison message, by hand). */
  send(queue: 'bookingsQueue' | 'eventsQueue', body: string, traceparent?: string): void;
  /** Each HTTP function's ports, so a platform's own HTTP adapter can serve this same world (test/conformance). */
  readonly httpDeps: HttpFunctionDeps;
}

/**
 * The whole app in one process over in-memory ports: every function of the catalogue, wired by memory
 * mode's composition root (compose.ts): the HTTP functions behind one route table with `/health` and
 * `/openapi.json`, the change streams (each delivered in order) and the queues.
 */
export function createLocalApp(options: LocalAppOptions): LocalApp {
  const { logger, clock = systemClock, ids = randomIds, maxAttempts = QUEUE_MAX_DELIVERIES } = options;
  const { routes, httpPorts, deliveries, httpDeps, send, consumerOf } = composeMemory({ clock, ids, logger, maxAttempts });

  return {
    handle(request: RawHttpRequest, requestId: string): Promise<RawHttpResponse> {
      if (isOpenApiRequest(request)) return Promise.resolve(openApiResponse(requestId));
      if (isHealthRequest(request)) {
        // In process, the engines are the in-memory stores: what can fail is a function, so each is called.
        const call = async (pathAndQuery: string) => {
          const url = new URL(pathAndQuery, 'http://localhost');
          const probe = { method: 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: {} };
          return (await dispatchHttp(routes, httpPorts, probe, { requestId, logger: silentLogger })).status;
        };
        return healthResponse(functionChecks(call), requestId);
      }
      const fn = functionServing(normalisedTarget(request.path)?.path ?? request.path);
      return dispatchHttp(routes, httpPorts, request, { requestId, logger, ...(fn && { fn }) });
    },
    async settle(): Promise<void> {
      while (deliveries.some((delivery) => !delivery.idle)) {
        for (const delivery of deliveries) await delivery.drain();
      }
    },
    // Dead letters as callers knew them before trace context: the message, or the change record.
    deadLetters: () => deliveries.flatMap((delivery) => delivery.deadLetters.map((letter) => ({ ...letter, item: 'record' in letter.item ? letter.item.record : { id: letter.item.id, body: letter.item.body } }))),
    queues: () =>
      deliveries.map((delivery) => {
        const consumer = consumerOf[delivery.name];
        return {
          name: delivery.name,
          function: consumer ?? delivery.name,
          kind: consumer === undefined ? 'change-stream' : 'queue',
          depth: delivery.depth,
          deadLetters: delivery.deadLetters.map((letter, index) => {
            const item = letter.item;
            const traceId = parseTraceparent(item.traceparent)?.traceId;
            const id = 'record' in item ? item.record.id : item.id;
            return { index, id, attempts: letter.attempts, error: String(letter.error['message'] ?? letter.error['name'] ?? 'failed'), ...(traceId && { traceId }) };
          }),
        };
      }),
    redrive: (name, index) => deliveries.find((delivery) => delivery.name === name)?.redrive(index) ?? false,
    send: (queue, body, traceparent) => send(queue.replace(/Queue$/, '') as QueueName, body, traceparent),
    httpDeps,
  };
}

