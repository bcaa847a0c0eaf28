import type { ChangeHandler, ChangeRecord } from '../../functions/streams/contract.js';
import type { MemoryTable } from '../memory/memory-table.js';
import type { LocalDeliveryOptions } from './queue-trigger.js';
import { bindHop } from '../shared/trace-carriers.js';
import { SerialDelivery } from './serial-delivery.js';
import { tracedDelivery } from './traced-delivery.js';

/** A change, with the `traceparent` of the hop that wrote it (kept with the item, memory-table.ts, as the engines store it on the item). */
export interface LocalChange {
  record: ChangeRecord;
  traceparent?: string;
}

/**
 * Memory mode's change-stream trigger: every change of the store handed to the function in order,
 * one at a time; a failing change is retried, then kept in `deadLetters` (a stream mapping with
 * bounded retries and an on-failure destination, in process).
 */
export function changeStreamTrigger<Deps>(handleChange: ChangeHandler<Deps>, deps: Deps, store: MemoryTable, options: LocalDeliveryOptions): SerialDelivery<LocalChange> {
  const deliver = tracedDelivery<LocalChange>({ fn: options.fn, kind: 'change-stream', name: `${options.fn} change` }, (change) => change.traceparent, ({ record }, _attempt, hop) => handleChange(record, bindHop(deps, hop)));
  const delivery = new SerialDelivery<LocalChange>(options.name, deliver, options.logger, options.maxAttempts);
  store.onChange((record, traceparent) => delivery.enqueue(traceparent === undefined ? { record } : { record, traceparent }));
  return delivery;
}
