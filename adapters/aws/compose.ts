import type { ChangeStreamFunctionSpec, HttpFunctionSpec, PortName, QueueFunctionSpec } from '../../functions/catalogue.js';
import { buildPorts, type PortFactories } from '../shared/compose.js';
import { changeStreamTrigger } from './change-stream-trigger.js';
import { httpTrigger } from './http-trigger.js';
import { queueTrigger } from './queue-trigger.js';

/**
 * The AWS composition root: a Lambda handler for a function of the catalogue (functions/catalogue.ts),
 * through the trigger adapter of its kind, its ports built from adapters/aws/ports.ts. Each entry file
 * (adapters/aws/functions/) is one call of these, naming its ports (the compiler checks them against the
 * catalogue's): serverless-esbuild bundles each function alone and keeps only what its entry imports,
 * and a lookup by name kept every repository, every trigger adapter and the whole catalogue in every
 * bundle (bookingsConsumer: 42 KB → 106 KB when measured). One composer per trigger kind for the same reason.
 */

export const composeHttp = <const P extends readonly PortName[]>(spec: HttpFunctionSpec<string, P>, ports: PortFactories<P>) => httpTrigger(spec.routes, buildPorts(spec, ports));

export const composeQueue = <const P extends readonly PortName[]>(spec: QueueFunctionSpec<string, P>, ports: PortFactories<P>) => queueTrigger(spec.handler, buildPorts(spec, ports));

export const composeChangeStream = <const P extends readonly PortName[]>(spec: ChangeStreamFunctionSpec<string, P>, ports: PortFactories<P>) =>
  changeStreamTrigger(spec.handler, buildPorts(spec, ports));
