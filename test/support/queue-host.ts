import { readFileSync } from 'node:fs';
import type { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { invocationContext } from './azure-context.js';

/** What the Functions host reads from host.json `extensions.queues`. */
export interface QueueHostSettings {
  maxDequeueCount: number;
  messageEncoding: 'base64' | 'none';
  batchSize: number;
}

/** The queue settings of this app's host.json, with the host's documented defaults. */
export function readQueueHostSettings(hostJsonPath = new URL('../../host.json', import.meta.url)): QueueHostSettings {
  const hostJson = JSON.parse(readFileSync(hostJsonPath, 'utf8')) as { extensions?: { queues?: Partial<QueueHostSettings> } };
  const queues = hostJson.extensions?.queues ?? {};
  return { maxDequeueCount: queues.maxDequeueCount ?? 5, messageEncoding: queues.messageEncoding ?? 'base64', batchSize: queues.batchSize ?? 16 };
}

export type QueueTriggerHandler = (queueItem: unknown, context: ReturnType<typeof invocationContext>) => Promise<void>;

export interface DrainReport {
  /** Invocations made, in order: message id, dequeue count, outcome. */
  invocations: { id: string; dequeueCount: number; outcome: 'ok' | 'failed' }[];
  /** Messages moved to `<queue>-poison`, as their (decoded) text. */
  poisoned: string[];
}

/**
 * A stand-in for the Functions host's queue listener, for tests on Azurite: receives messages with the
 * real SDK, decodes them as host.json says, hands JSON to the handler parsed (as the Node.js worker
 * does), deletes a message on success, makes it visible again on failure, and after a failure at
 * `maxDequeueCount` moves it to `<queue>-poison`. Runs until the queue is empty; bounded, never timed.
 */
export async function drainQueue(service: QueueServiceClient, queueName: string, handler: QueueTriggerHandler, settings = readQueueHostSettings()): Promise<DrainReport> {
  const queue = service.getQueueClient(queueName);
  const poison = service.getQueueClient(`${queueName}-poison`);
  const report: DrainReport = { invocations: [], poisoned: [] };
  for (let round = 0; round < 1_000; round += 1) {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: Math.min(settings.batchSize, 32), visibilityTimeout: 30 });
    if (receivedMessageItems.length === 0) return report;
    for (const message of receivedMessageItems) {
      const text = settings.messageEncoding === 'base64' ? Buffer.from(message.messageText, 'base64').toString('utf8') : message.messageText;
      const context = invocationContext({
        functionName: queueName,
        invocationId: `${message.messageId}-${message.dequeueCount}`,
        triggerMetadata: { id: message.messageId, dequeueCount: message.dequeueCount, insertionTime: message.insertedOn, popReceipt: message.popReceipt },
      });
      const outcome = await handler(parsedIfJson(text), context).then(
        () => 'ok' as const,
        () => 'failed' as const,
      );
      report.invocations.push({ id: message.messageId, dequeueCount: message.dequeueCount, outcome });
      if (outcome === 'ok') {
        await queue.deleteMessage(message.messageId, message.popReceipt);
      } else if (message.dequeueCount >= settings.maxDequeueCount) {
        await movePoison(poison, message.messageText);
        await queue.deleteMessage(message.messageId, message.popReceipt);
        report.poisoned.push(text);
      } else {
        await queue.updateMessage(message.messageId, message.popReceipt, undefined, 0);
      }
    }
  }
  throw new Error(`Queue ${queueName} was still not empty after 1,000 rounds`);
}

async function movePoison(poison: QueueClient, messageText: string): Promise<void> {
  await poison.createIfNotExists();
  await poison.sendMessage(messageText);
}

/** The Node.js worker hands a JSON message over parsed, anything else as text. */
function parsedIfJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
