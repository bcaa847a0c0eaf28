import { functionCatalogue, functionNames, type QueueName } from '../../functions/catalogue.js';
import type { LocalConsole, QueueView } from '../../adapters/local/local-console.js';
import { parseTraceparent } from '../../adapters/shared/trace-context.js';

/**
 * start:gcp's topics on the local console (`GET /_local/queues`, the redrive button): each queue function's
 * topic of the catalogue and the dead letters its subscription moved to `<topic>-dead-letter`, which the
 * subscription `<topic>-dead-letter-inspect` keeps (gcp-stack.ts). Read through the Pub/Sub emulator's
 * REST API (a plain pull and acknowledge: the client library offers only streaming pull): pulled, then
 * handed back at once (ack deadline 0), ordered by publish time, which gives each its index; up to 10
 * are shown. The depth of a push subscription is not known to the emulator (Google Cloud's is a
 * monitoring metric): it is null.
 */
interface PulledMessage {
  ackId: string;
  message: { data?: string; attributes?: Record<string, string>; messageId: string; publishTime?: string };
}

/** Attributes Pub/Sub adds when it dead-letters a message; a redriven message goes without them. */
const DEAD_LETTER_ATTRIBUTE = /^CloudPubSubDeadLetter/;

export function pubSubQueueConsole(emulatorHost: string, projectId: string, topicName: (queue: QueueName) => string): Required<Pick<LocalConsole, 'queues' | 'redrive'>> {
  const consumers = functionNames.flatMap((fn) => {
    const spec = functionCatalogue[fn];
    return spec.trigger === 'queue' ? [{ fn, topic: topicName(spec.queue) }] : [];
  });
  const call = async <T>(path: string, body: unknown): Promise<T> => {
    const answer = await fetch(`http://${emulatorHost}/v1/projects/${projectId}/${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    if (!answer.ok) throw new Error(`Pub/Sub emulator: ${path}: ${answer.status} ${await answer.text()}`);
    return (await answer.json()) as T;
  };
  const inspect = (topic: string): string => `subscriptions/${topic}-dead-letter-inspect`;
  /** The dead letters in index order, pulled: whoever pulls hands them back (handBack) or acknowledges them. */
  const pull = async (topic: string): Promise<PulledMessage[]> => {
    const { receivedMessages = [] } = await call<{ receivedMessages?: PulledMessage[] }>(`${inspect(topic)}:pull`, { maxMessages: 10, returnImmediately: true });
    const published = (pulled: PulledMessage): number => Date.parse(pulled.message.publishTime ?? '') || 0;
    return receivedMessages.sort((a, b) => published(a) - published(b) || a.message.messageId.localeCompare(b.message.messageId));
  };
  const handBack = async (topic: string, pulled: PulledMessage[]): Promise<void> => {
    if (pulled.length > 0) await call(`${inspect(topic)}:modifyAckDeadline`, { ackIds: pulled.map((each) => each.ackId), ackDeadlineSeconds: 0 });
  };

  return {
    queues: () =>
      Promise.all(
        consumers.map(async ({ fn, topic }): Promise<QueueView> => {
          const letters = await pull(topic);
          await handBack(topic, letters);
          return {
            name: topic,
            function: fn,
            kind: 'queue',
            depth: null,
            deadLetters: letters.map(({ message }, index) => {
              const attributes = message.attributes ?? {};
              const traceId = parseTraceparent(attributes['traceparent'])?.traceId;
              const attempts = Number(attributes['CloudPubSubDeadLetterSourceDeliveryCount'] ?? 0);
              // Pub/Sub keeps no error: the subscription gave up after that many deliveries.
              return { index, id: message.messageId, attempts, error: `not acknowledged after ${attempts} deliveries`, ...(traceId && { traceId }) };
            }),
          };
        }),
      ),
    redrive: async (name, index) => {
      if (!consumers.some((consumer) => consumer.topic === name)) return false;
      const letters = await pull(name);
      const letter = letters[index];
      try {
        if (letter === undefined) return false;
        const attributes = Object.fromEntries(Object.entries(letter.message.attributes ?? {}).filter(([key]) => !DEAD_LETTER_ATTRIBUTE.test(key)));
        await call(`topics/${name}:publish`, { messages: [{ data: letter.message.data ?? '', attributes }] });
        await call(`${inspect(name)}:acknowledge`, { ackIds: [letter.ackId] });
        return true;
      } finally {
        await handBack(name, letters.filter((other) => other !== letter));
      }
    },
  };
}
