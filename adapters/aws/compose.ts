import type { ChangeStreamFunctionSpec, HttpFunctionSpec, PortName, QueueFunctionSpec } from '../../functions/catalogue.js';
import { buildPorts, type PortFactories } from '../shared/compose.js';
import { changeStreamTrigger } from './change-stream-trigger.js';
import { httpTrigger } from './http-trigger.js';
import { queueTrigger } from './queue-trigger.js';

/**
 * The AWS composition root: a Lambda handler for a function of the catalogue (functions/catalogue.ts),
 * its trigger adapter chosen by its kind and its ports built from adapters/aws/ports.ts. Each entry file
 * (adapters/aws/functions/) is one call of these, naming its ports: serverless-esbuild bundles each
 * function alone and keeps only what its entry imports, so a name-only lookup would put every
 * repository and every trigger adapter in every bundle (+9 to +15 KB each, BENCHMARKS.md). The compiler
 * checks the ports named against the catalogue's.
 */

export const composeHttp = <const P extends readonly PortName[]>(spec: HttpFunctionSpec<string, P>, ports: PortFactories<P>) => httpTrigger(spec.routes, buildPorts(spec, ports));

export const composeQueue = <const P extends readonly PortName[]>(spec: QueueFunctionSpec<string, P>, ports: PortFactories<P>) => queueTrigger(spec.handler, buildPorts(spec, ports));

export const composeChangeStream = <const P extends readonly PortName[]>(spec: ChangeStreamFunctionSpec<string, P>, ports: PortFactories<P>) =>
  changeStreamTrigger(spec.handler, buildPorts(spec, ports));
