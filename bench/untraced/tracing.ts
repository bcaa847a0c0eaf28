/**
 * The baseline of the trace-context budgets (issue 22): adapters/shared/tracing.ts with the same exports and
 * no trace at all (no hop kept, no id made, no SDK asked), swapped in by bench/untraced/plugin.ts when the
 * bench builds "the same code without trace context". Never shipped.
 */
import type { TraceContext } from '../../adapters/shared/trace-context.js';
import type { Hop, HopOptions } from '../../adapters/shared/tracing.js';

export type { Hop, HopKind, HopOptions } from '../../adapters/shared/tracing.js';

export const HOP_ATTRIBUTES = { kind: 'myevents.kind', attempt: 'myevents.delivery.attempt', deadLettered: 'myevents.dead_lettered', xrayTraceId: 'aws.xray.trace_id' } as const;

export const functionNameOfPlatform = (): string => 'unknown';

const context: TraceContext = { traceId: '0'.repeat(32), spanId: '0'.repeat(16), flags: 1 };
const hop: Hop = { context, traceparent: '00-00000000000000000000000000000000-0000000000000000-01', setAttribute: () => undefined, rename: () => undefined };

export const inHop = <T>(_options: HopOptions, work: (hop: Hop) => Promise<T>): Promise<T> => work(hop);
