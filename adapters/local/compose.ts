import type { Route } from '../../functions/http/contract.js';
import { functionCatalogue, type Ports, type QueueName } from '../../functions/catalogue.js';
import type { DomainEvent } from '../../functions/domain/domain-events.js';
import type { HttpFunctionDeps } from '../../functions/routes.js';
import type { Clock, IdSource, Logger, Publisher } from '../../functions/ports.js';
import { buildPorts } from '../shared/compose.js';
import { changeStreamTrigger, type LocalChange } from './change-stream-trigger.js';
import { hopView, type HopBindable } from '../shared/trace-carriers.js';
import type { Hop } from '../shared/tracing.js';
import { memoryWorld } from './ports.js';
import { queueTrigger, type LocalMessage } from './queue-trigger.js';
import type { DeliveryStatus } from './serial-delivery.js';

export interface MemoryComposition {
  /** The routes of every HTTP function: one table for the whole app (one port, as API Gateway gives one base URL), over `httpPorts`. */
  routes: Route<Ports>[];
  /**
   * The ports of every HTTP function: one world's, shared by all (each function's deps are a part of them),
   * so the shared dispatch binds them to each request's hop as it does a deployed function's.
   */
  httpPorts: Ports;
  /** The streams and queues that trigger functions, in catalogue order. */
  deliveries: DeliveryStatus<LocalMessage | LocalChange>[];
  /** Puts a raw message on a queue, as `aws sqs send-message` would (a message by hand; the local console's tests). */
  send(queue: QueueName, body: string, traceparent?: string): void;
  /** The function each queue's delivery triggers, by delivery name. */
  consumerOf: Record<string, string>;
  /** Each HTTP function's ports, so a platform's own HTTP adapter can serve this same world (test/conformance). */
  httpDeps: HttpFunctionDeps;
}

/**
 * Memory mode's composition root: every function of the catalogue (functions/catalogue.ts) in this
 * process, over one in-memory world (adapters/local/ports.ts), each with the trigger of its kind on
 * its source: HTTP routes in one table, the store's changes, the queue's messages.
 */
export function composeMemory({ clock, ids, logger, maxAttempts }: { clock: Clock; ids: IdSource; logger: Logger; maxAttempts: number }): MemoryComposition {
  // A queue delivers to the functions that consume it; publishers enqueue into each (ids unique across queues).
  const consumers: Record<QueueName, ((message: LocalMessage) => void)[]> = { bookings: [], events: [] };
  let messageCount = 0;
  const send = (queue: QueueName, body: string, traceparent?: string): void => {
    messageCount += 1;
    // The publishing hop's trace context travels with the message, as an SQS message attribute would.
    const message = { id: `${queue}Queue-${messageCount}`, body, ...(traceparent && { traceparent }) };
    for (const enqueue of consumers[queue]) enqueue(message);
  };
  const publisherTo = (queue: QueueName): Publisher & HopBindable => ({
    async publish(event: DomainEvent) {
      send(queue, JSON.stringify(event), this.boundHop?.traceparent);
    },
    forHop(hop: Hop) {
      return hopView(this, hop);
    },
  });
  const world = memoryWorld(clock, ids, { bookings: publisherTo('bookings'), events: publisherTo('events') });

  const routes: Route<Ports>[] = [];
  const httpPorts: Partial<Ports> = {};
  const deliveries: DeliveryStatus<LocalMessage | LocalChange>[] = [];
  const consumerOf: Record<string, string> = {};
  const httpDeps: Record<string, unknown> = {};
  for (const spec of Object.values(functionCatalogue)) {
    const deps = buildPorts(spec, world.ports);
    if (spec.trigger === 'http') {
      routes.push(...spec.routes);
      Object.assign(httpPorts, deps);
      httpDeps[spec.name] = deps;
    } else if (spec.trigger === 'queue') {
      const delivery = queueTrigger(spec.handler, deps, { name: `${spec.queue}Queue`, fn: spec.name, logger, maxAttempts });
      consumerOf[delivery.name] = spec.name;
      consumers[spec.queue].push((message) => delivery.enqueue(message));
      deliveries.push(delivery);
    } else {
      deliveries.push(changeStreamTrigger(spec.handler, deps, world.stores[spec.store], { name: spec.name, fn: spec.name, logger, maxAttempts }));
    }
  }
  // Every port an HTTP function asks for is in httpPorts: each function's deps were assigned into it.
  return { routes, httpPorts: httpPorts as Ports, deliveries, httpDeps: httpDeps as unknown as HttpFunctionDeps, send, consumerOf };
}
