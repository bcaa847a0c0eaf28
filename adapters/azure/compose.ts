import azf from '@azure/functions';
import type { FunctionSpec } from '../../functions/catalogue.js';
import { buildPorts, type PortFactories } from '../shared/compose.js';
import { changeStreamTriggerOptions } from './change-stream-trigger.js';
import { CONTAINERS } from './cosmos/containers.js';
import { SETTINGS } from './environment.js';
import { httpTriggerOptions } from './http-trigger.js';
import * as ports from './ports.js';
import { QUEUE_SETTINGS } from './ports.js';
import { queueTriggerOptions } from './queue-trigger.js';

/**
 * The Azure composition root: registers a function of the catalogue (functions/catalogue.ts) with the
 * Functions host under its catalogue name, with the trigger of its kind on its source (the queue an app
 * setting names, the store's container with a lease prefix of its own) and its ports built from
 * adapters/azure/ports.ts. Each entry file (adapters/azure/functions/) is one call of this: the host
 * loads one module per function, and all of them run in one worker, which shares the bundles' chunks.
 */
export function registerFunction(spec: FunctionSpec): void {
  const deps = buildPorts(spec, ports as PortFactories);
  switch (spec.trigger) {
    case 'http':
      azf.app.http(spec.name, httpTriggerOptions(spec.routes, deps));
      return;
    case 'queue':
      azf.app.storageQueue(spec.name, queueTriggerOptions(QUEUE_SETTINGS[spec.queue], SETTINGS.queueConnection, spec.handler, deps));
      return;
    case 'change-stream':
      azf.app.cosmosDB(spec.name, changeStreamTriggerOptions({ containerName: CONTAINERS[spec.store], leasePrefix: `${spec.name}-` }, spec.handler, deps));
      return;
  }
}
