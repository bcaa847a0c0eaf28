/**
 * The baseline's adapters/shared/trace-carriers.ts (see tracing.ts here): items and messages carry nothing,
 * no port is bound to a hop (the handler gets the shared ports as they are), hops are just the work.
 */
import type { QueueMessage } from '../../functions/queues/contract.js';
import type { ChangeRecord } from '../../functions/streams/contract.js';
import type { Hop } from '../../adapters/shared/tracing.js';
import { inHop } from './tracing.js';

export type { HopBindable } from '../../adapters/shared/trace-carriers.js';

export const TRACEPARENT_FIELD = 'traceparent';
export const hopView = <T extends object>(port: T): T => port;
export abstract class HopBound {
  declare readonly boundHop?: Hop;
  forHop(): this {
    return this;
  }
}
export const bindHop = <D>(deps: D): D => deps;
export const boundTo = <T>(port: T): T => port;
export const bindLogger = <L>(logger: L): L => logger;
export const stampWriter = <T extends Record<string, unknown>>(item: T): T => item;
const options = { name: '', kind: 'queue', fn: '' } as const;
export const inChangeHop = (_fn: string, _change: ChangeRecord, work: (hop: Hop) => Promise<void>): Promise<void> => inHop(options, work);
export const inMessageHop = (_fn: string, _queue: string, _producer: string | undefined, _message: QueueMessage, work: (hop: Hop) => Promise<void>): Promise<void> => inHop(options, work);
export const traceparentOfJsonMessage = (): undefined => undefined;
