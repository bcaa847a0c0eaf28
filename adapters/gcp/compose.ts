import { cloudEvent, http, type CloudEventFunction, type HttpFunction } from '@google-cloud/functions-framework';
import { functionCatalogue, type FunctionName, type FunctionSpec, type HttpFunctionSpec } from '../../functions/catalogue.js';
import { buildPorts, type PortFactories } from '../shared/compose.js';
import { changeStreamTrigger } from './change-stream-trigger.js';
import type { GcpPorts, TopicNames } from './environment.js';
import { httpTrigger } from './http-trigger.js';
import * as ports from './ports.js';
import { queueTrigger } from './queue-trigger.js';

/**
 * The Google Cloud composition root: registers a function of the catalogue (functions/catalogue.ts)
 * with functions-framework under its catalogue name (its `--entry-point`), as an HTTP function or a
 * CloudEvent function by its kind, with its ports built from adapters/gcp/ports.ts, and returns it.
 * Each entry file (adapters/gcp/functions/) is one call of this; `npm run build:gcp`, `npm run
 * deploy:gcp` and `npm run start:gcp` read their lists and trigger sources from the catalogue too.
 */
export function registerFunction(spec: HttpFunctionSpec): HttpFunction;
export function registerFunction(spec: FunctionSpec): HttpFunction | CloudEventFunction;
export function registerFunction(spec: FunctionSpec): HttpFunction | CloudEventFunction {
  const deps = buildPorts(spec, ports as PortFactories);
  if (spec.trigger === 'http') {
    const handler = httpTrigger(spec.routes, deps);
    http(spec.name, handler);
    return handler;
  }
  const handler = spec.trigger === 'queue' ? queueTrigger(spec.handler, deps) : changeStreamTrigger(spec.handler, deps);
  cloudEvent(spec.name, handler as CloudEventFunction);
  return handler as CloudEventFunction;
}

type NamesTriggeredBy<T extends FunctionSpec['trigger']> = { [N in FunctionName]: (typeof functionCatalogue)[N]['trigger'] extends T ? N : never }[FunctionName];

/** The document path pattern each change-stream function listens to (Firestore document.v1.written), in the deployment's collections. */
export const firestoreTriggerPatterns = (collections: GcpPorts['collections']): Record<NamesTriggeredBy<'change-stream'>, string> => {
  const patterns: Partial<Record<FunctionName, string>> = {};
  for (const spec of Object.values(functionCatalogue)) if (spec.trigger === 'change-stream') patterns[spec.name] = `${collections[spec.store]}/{documentId}`;
  return patterns as Record<NamesTriggeredBy<'change-stream'>, string>;
};

/** The topic each queue function consumes (Pub/Sub messagePublished), in the deployment's topics. */
export const pubSubTriggerTopics = (topics: TopicNames): Record<NamesTriggeredBy<'queue'>, string> => {
  const consumed: Partial<Record<FunctionName, string>> = {};
  for (const spec of Object.values(functionCatalogue)) if (spec.trigger === 'queue') consumed[spec.name] = topics[spec.queue];
  return consumed as Record<NamesTriggeredBy<'queue'>, string>;
};
