/** The baseline's adapters/shared/trace-context.ts (see tracing.ts here): nothing read, nothing made. */
export type { TraceContext } from '../../adapters/shared/trace-context.js';

export const SAMPLED = 0x01;
export const parseTraceparent = (): undefined => undefined;
export const formatTraceparent = (): string => '00-00000000000000000000000000000000-0000000000000000-01';
export const newTraceId = (): string => '0'.repeat(32);
export const newSpanId = (): string => '0'.repeat(16);
export const amznTraceIdToW3c = (): undefined => undefined;
