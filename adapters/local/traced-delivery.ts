import { parseTraceparent } from '../shared/trace-context.js';
import { HOP_ATTRIBUTES, inHop, type Hop, type HopKind } from '../shared/tracing.js';

/**
 * Delivers one item as one hop of its function (memory mode's triggers): a child of the hop that wrote or
 * published it (and, for a message, linked to it, as OpenTelemetry's messaging conventions ask); every
 * attempt is a hop of its own, the attempt number and a dead-lettering its attributes. `deliver` is handed the
 * hop, to bind the function's ports to it (trace-carriers.ts `bindHop`).
 */
export function tracedDelivery<T>(
  hop: { fn: string; kind: HopKind; name: string },
  traceparentOf: (item: T) => string | undefined,
  deliver: (item: T, attempt: number, hop: Hop) => Promise<void>,
): (item: T, attempt: number, last: boolean) => Promise<void> {
  return (item, attempt, last) => {
    const producer = parseTraceparent(traceparentOf(item));
    const continued = producer && { parent: producer, ...(hop.kind === 'queue' && { links: [producer] }) };
    return inHop({ ...hop, ...continued, attributes: { [HOP_ATTRIBUTES.attempt]: attempt } }, async (current) => {
      try {
        await deliver(item, attempt, current);
      } catch (error) {
        if (last) current.setAttribute(HOP_ATTRIBUTES.deadLettered, true);
        throw error;
      }
    });
  };
}
