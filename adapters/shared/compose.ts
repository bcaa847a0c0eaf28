import type { FunctionSpec, PortName, Ports, PortsOf, QueueName } from '../../functions/catalogue.js';

/**
 * How one platform builds each port a function can ask for (functions/catalogue.ts `ports`): a
 * repository on its database, a publisher to the function's queue, the clock, the ids. Each
 * platform's composition root (adapters/<platform>/compose.ts) holds one of these for every port.
 */
export type PortFactories<P extends readonly PortName[] = readonly PortName[]> = { [K in P[number]]: (spec: FunctionSpec) => Ports[K] };

/** The ports a function's handler is given, built now (a missing setting fails at start, naming it), in the order its entry lists them. */
export function buildPorts<P extends readonly PortName[]>(spec: { name: string; ports: P } & FunctionSpec, factories: PortFactories<P>): PortsOf<P> {
  const ports: Partial<Record<PortName, unknown>> = {};
  for (const port of spec.ports as readonly P[number][]) ports[port] = factories[port](spec);
  return ports as PortsOf<P>;
}

/** The queue a function's `publisher` port publishes to: the catalogue's `publishesTo`. */
export function publishedQueue(spec: FunctionSpec): QueueName {
  if (spec.trigger === 'change-stream' && spec.publishesTo !== undefined) return spec.publishesTo;
  throw new Error(`${spec.name} asks for a publisher but names no queue to publish to (publishesTo in functions/catalogue.ts)`);
}

/** Fails to compile unless T is `true`: for checks that each platform builds every port. */
export type Assert<T extends true> = T;

/**
 * The entry file of a function on a platform: adapters/<platform>/functions/<name in kebab case>.ts
 * (`eventsApi` → events-api.ts). Builds that list their entries (build:gcp, the bench) read them from here.
 */
export const entryFile = (platform: 'aws' | 'azure' | 'gcp', name: string): string => `adapters/${platform}/functions/${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}.ts`;
