import type { ChangeHandler, ChangeRecord } from '../../functions/streams/contract.js';
import type { MemoryTable } from '../memory/memory-table.js';
import type { LocalDeliveryOptions } from './queue-trigger.js';
import { SerialDelivery } from './serial-delivery.js';

/**
 * Memory mode's change-stream trigger: every change of the store handed to the function in order,
 * one at a time; a failing change is retried, then kept in `deadLetters` (a stream mapping with
 * bounded retries and an on-failure destination, in process).
 */
export function changeStreamTrigger<Deps>(handleChange: ChangeHandler<Deps>, deps: Deps, store: MemoryTable, options: LocalDeliveryOptions): SerialDelivery<ChangeRecord> {
  const delivery = new SerialDelivery<ChangeRecord>(options.name, (change) => handleChange(change, deps), options.logger, options.maxAttempts);
  store.onChange((change) => delivery.enqueue(change));
  return delivery;
}
