import azf from '@azure/functions';
import type { ChangeStreamFunctionSpec, HttpFunctionSpec, PortName, QueueFunctionSpec } from '../../functions/catalogue.js';
import { buildPorts, type PortFactories } from '../shared/compose.js';
import { changeStreamTriggerOptions } from './change-stream-trigger.js';
import { CONTAINERS } from './cosmos/containers.js';
import { SETTINGS } from './environment.js';
import { httpTriggerOptions } from './http-trigger.js';
import { QUEUE_SETTINGS } from './ports.js';
import { queueTriggerOptions } from './queue-trigger.js';

/**
 * The Azure composition root: a function of the catalogue (functions/catalogue.ts) registered with the
 * Functions host under its catalogue name, with the trigger of its kind on its source (the queue an app
 * setting names; the store's container, with a lease prefix of its own) and its ports built from
 * adapters/azure/ports.ts. Each entry file (adapters/azure/functions/) is one call of these, naming its
 * ports as on AWS and Google Cloud (adapters/aws/compose.ts says why), so the three folders read alike.
 */

export const composeHttp = <const P extends readonly PortName[]>(spec: HttpFunctionSpec<string, P>, ports: PortFactories<P>): void => {
  azf.app.http(spec.name, httpTriggerOptions(spec.routes, buildPorts(spec, ports)));
};

export const composeQueue = <const P extends readonly PortName[]>(spec: QueueFunctionSpec<string, P>, ports: PortFactories<P>): void => {
  azf.app.storageQueue(spec.name, queueTriggerOptions(QUEUE_SETTINGS[spec.queue], SETTINGS.queueConnection, spec.handler, buildPorts(spec, ports)));
};

export const composeChangeStream = <const P extends readonly PortName[]>(spec: ChangeStreamFunctionSpec<string, P>, ports: PortFactories<P>): void => {
  azf.app.cosmosDB(spec.name, changeStreamTriggerOptions({ containerName: CONTAINERS[spec.store], leasePrefix: `${spec.name}-` }, spec.handler, buildPorts(spec, ports)));
};
