/** The baseline's adapters/shared/trace-carriers.ts (see tracing.ts here): items and messages carry nothing, hops are just the work. */
import type { QueueMessage } from '../../functions/queues/contract.js';
import type { ChangeRecord } from '../../functions/streams/contract.js';

export const TRACEPARENT_FIELD = 'traceparent';
export const stampWriter = <T extends Record<string, unknown>>(item: T): T => item;
export const inChangeHop = (_fn: string, _change: ChangeRecord, work: () => Promise<void>): Promise<void> => work();
export const inMessageHop = (_fn: string, _queue: string, _producer: string | undefined, _message: QueueMessage, work: () => Promise<void>): Promise<void> => work();
export const traceparentOfJsonMessage = (): undefined => undefined;
