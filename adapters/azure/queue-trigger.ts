import type { InvocationContext, StorageQueueFunctionOptions } from '@azure/functions';
import type { MessageHandler, QueueMessage } from '../../functions/queues/contract.js';
import { describeError } from '../shared/describe-error.js';
import { bindHop, bindLogger, inMessageHop, traceparentOfJsonMessage } from '../shared/trace-carriers.js';
import type { Hop } from '../shared/tracing.js';
import { invocationLogger } from './logger.js';

/**
 * A Storage Queue item as the core's queue message. The host has already base64-decoded the text
 * (host.json `messageEncoding`) and hands over a JSON text as the parsed value, so an object is
 * serialised back: the core parses and validates the envelope itself. `dequeueCount` is the attempt.
 */
export function storageQueueItemToMessage(queueItem: unknown, context: InvocationContext): QueueMessage {
  const metadata = context.triggerMetadata ?? {};
  const body = typeof queueItem === 'string' ? queueItem : Buffer.isBuffer(queueItem) ? queueItem.toString('utf8') : JSON.stringify(queueItem);
  return { id: String(metadata['id'] ?? context.invocationId), body, attempt: Number(metadata['dequeueCount']) || 1 };
}

/**
 * An Azure Functions Storage Queue handler: one message per invocation. A thrown error makes the host
 * retry the message; after `maxDequeueCount` (host.json) it moves it to `<queue>-poison`.
 */
export function queueTrigger<Deps>(handleMessage: MessageHandler<Deps>, deps: Deps, queueName = 'queue'): (queueItem: unknown, context: InvocationContext) => Promise<void> {
  return async (queueItem, context) => {
    const message = storageQueueItemToMessage(queueItem, context);
    let hop: Hop | undefined; // the message's hop, so that its failure line carries its trace
    try {
      // A hop continuing the publisher's trace, the message's `traceparent` field (storage-queue-publisher.ts).
      await inMessageHop(context.functionName, queueName, traceparentOfJsonMessage(queueItem), message, (started) => handleMessage(message, bindHop(deps, (hop = started))));
    } catch (error) {
      bindLogger(invocationLogger(context), hop).warn('Message failed; the host retries it, then moves it to the poison queue', { messageId: message.id, attempt: message.attempt, error: describeError(error) });
      throw error;
    }
  };
}

/** The options `app.storageQueue(name, …)` registers: the queue named by an app setting, on the app's queue connection. */
export function queueTriggerOptions<Deps>(queueSetting: string, connectionSetting: string, handleMessage: MessageHandler<Deps>, deps: Deps): StorageQueueFunctionOptions {
  // `%SETTING%` makes the host read the queue name from app settings, as the publisher does.
  // The setting's value names the queue in span names too.
  return { queueName: `%${queueSetting}%`, connection: connectionSetting, handler: queueTrigger(handleMessage, deps, process.env[queueSetting] ?? queueSetting) };
}
