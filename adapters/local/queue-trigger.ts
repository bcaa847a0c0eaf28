import type { Logger } from '../../functions/ports.js';
import type { MessageHandler, QueueMessage } from '../../functions/queues/contract.js';
import { bindHop } from '../shared/trace-carriers.js';
import { SerialDelivery } from './serial-delivery.js';
import { tracedDelivery } from './traced-delivery.js';

/** A message as a local queue holds it (the attempt is the delivery's), with the `traceparent` of the hop that published it (as SQS message attributes carry it). */
export type LocalMessage = Omit<QueueMessage, 'attempt'> & { traceparent?: string };

/** How an in-process delivery is named in log lines and how often it tries an item before dead-lettering it. */
export interface LocalDeliveryOptions {
  name: string;
  /** The function of the catalogue it triggers (its spans' `faas.name`). */
  fn: string;
  logger: Logger;
  maxAttempts: number;
}

/**
 * Memory mode's queue trigger: the queue's messages handed to the function one at a time, in order,
 * each with its attempt number; a failing message is retried, then kept in `deadLetters` (SQS's
 * redrive policy, in process). The queue's publishers enqueue into the returned delivery.
 */
export function queueTrigger<Deps>(handleMessage: MessageHandler<Deps>, deps: Deps, options: LocalDeliveryOptions): SerialDelivery<LocalMessage> {
  const deliver = tracedDelivery<LocalMessage>({ fn: options.fn, kind: 'queue', name: `process ${options.name}` }, (message) => message.traceparent, ({ id, body }, attempt, hop) => handleMessage({ id, body, attempt }, bindHop(deps, hop)));
  return new SerialDelivery<LocalMessage>(options.name, deliver, options.logger, options.maxAttempts);
}
