import { cloudEvent, http, type CloudEventFunction, type HttpFunction } from '@google-cloud/functions-framework';
import type { ChangeStreamFunctionSpec, HttpFunctionSpec, PortName, QueueFunctionSpec } from '../../functions/catalogue.js';
import { buildPorts, type PortFactories } from '../shared/compose.js';
import { changeStreamTrigger } from './change-stream-trigger.js';
import { httpTrigger } from './http-trigger.js';
import { queueTrigger } from './queue-trigger.js';

/**
 * The Google Cloud composition root: a function of the catalogue (functions/catalogue.ts) registered
 * with functions-framework under its catalogue name (its `--entry-point`), as an HTTP function or a
 * CloudEvent function by its kind, its ports built from adapters/gcp/ports.ts; each returns what it
 * registered. Each entry file (adapters/gcp/functions/) is one call of these, naming its ports, for the
 * reason given in adapters/aws/compose.ts: each function is bundled alone.
 */

export const composeHttp = <const P extends readonly PortName[]>(spec: HttpFunctionSpec<string, P>, ports: PortFactories<P>): HttpFunction => {
  const handler = httpTrigger(spec.routes, buildPorts(spec, ports), spec.name);
  http(spec.name, handler);
  return handler;
};

export const composeQueue = <const P extends readonly PortName[]>(spec: QueueFunctionSpec<string, P>, ports: PortFactories<P>): CloudEventFunction => {
  const handler = queueTrigger(spec.handler, buildPorts(spec, ports), spec.name) as CloudEventFunction;
  cloudEvent(spec.name, handler);
  return handler;
};

export const composeChangeStream = <const P extends readonly PortName[]>(spec: ChangeStreamFunctionSpec<string, P>, ports: PortFactories<P>): CloudEventFunction => {
  const handler = changeStreamTrigger(spec.handler, buildPorts(spec, ports), spec.name) as CloudEventFunction;
  cloudEvent(spec.name, handler);
  return handler;
};
