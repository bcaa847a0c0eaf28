import { ChangeMessageVisibilityCommand, DeleteMessageCommand, GetQueueAttributesCommand, GetQueueUrlCommand, ReceiveMessageCommand, SendMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { functionCatalogue, functionNames, type QueueName } from '../../functions/catalogue.js';
import type { LocalConsole, QueueView } from '../../adapters/local/local-console.js';
import { parseTraceparent } from '../../adapters/shared/trace-context.js';

/**
 * npm start's queues on the local console (`GET /_local/queues`, the redrive button): each queue
 * function's queue of the catalogue and its dead-letter queue (`<queue>-dlq`, infra/aws/queues.yml), read
 * through the SQS API of the local SQS server. SQS has no way to list a queue without receiving from it:
 * the dead letters are received with a visibility timeout of 0 (so they stay where they are) and
 * ordered by when they were sent, which gives each its index. Up to 10 (one receive) are shown.
 */
export function sqsQueueConsole(sqs: SQSClient, queueName: (queue: QueueName) => string): Required<Pick<LocalConsole, 'queues' | 'redrive'>> {
  const consumers = functionNames.flatMap((fn) => {
    const spec = functionCatalogue[fn];
    return spec.trigger === 'queue' ? [{ fn, name: queueName(spec.queue), maxDeliveries: spec.maxDeliveries }] : [];
  });
  const urls = new Map<string, string>();
  const urlOf = async (name: string): Promise<string> => {
    const known = urls.get(name);
    if (known !== undefined) return known;
    const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    urls.set(name, String(QueueUrl));
    return String(QueueUrl);
  };
  /** The dead letters in index order, received for `visibilitySeconds` (0: left visible). */
  const deadLetters = async (name: string, visibilitySeconds: number): Promise<Message[]> => {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: await urlOf(`${name}-dlq`), MaxNumberOfMessages: 10, VisibilityTimeout: visibilitySeconds, WaitTimeSeconds: 0, MessageSystemAttributeNames: ['SentTimestamp'], MessageAttributeNames: ['All'] }),
    );
    const sent = (message: Message): number => Number(message.Attributes?.['SentTimestamp'] ?? 0);
    return Messages.sort((a, b) => sent(a) - sent(b) || String(a.MessageId).localeCompare(String(b.MessageId)));
  };

  return {
    queues: () =>
      Promise.all(
        consumers.map(async ({ fn, name, maxDeliveries }): Promise<QueueView> => {
          const { Attributes = {} } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: await urlOf(name), AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'] }));
          const letters = await deadLetters(name, 0);
          return {
            name,
            function: fn,
            kind: 'queue',
            depth: Number(Attributes['ApproximateNumberOfMessages'] ?? 0) + Number(Attributes['ApproximateNumberOfMessagesNotVisible'] ?? 0),
            deadLetters: letters.map((letter, index) => {
              const traceId = parseTraceparent(letter.MessageAttributes?.['traceparent']?.StringValue)?.traceId;
              // SQS keeps no error: the message was received maxReceiveCount times without being deleted.
              return { index, id: String(letter.MessageId), attempts: maxDeliveries, error: `not processed after ${maxDeliveries} deliveries`, ...(traceId && { traceId }) };
            }),
          };
        }),
      ),
    redrive: async (name, index) => {
      if (!consumers.some((consumer) => consumer.name === name)) return false;
      const letters = await deadLetters(name, 30);
      const letter = letters[index];
      const deadLetterUrl = await urlOf(`${name}-dlq`);
      try {
        if (letter === undefined) return false;
        await sqs.send(new SendMessageCommand({ QueueUrl: await urlOf(name), MessageBody: letter.Body ?? '', ...(letter.MessageAttributes && { MessageAttributes: letter.MessageAttributes }) }));
        await sqs.send(new DeleteMessageCommand({ QueueUrl: deadLetterUrl, ReceiptHandle: letter.ReceiptHandle }));
        return true;
      } finally {
        // The others go back at once.
        await Promise.all(letters.filter((other) => other !== letter).map((other) => sqs.send(new ChangeMessageVisibilityCommand({ QueueUrl: deadLetterUrl, ReceiptHandle: other.ReceiptHandle, VisibilityTimeout: 0 }))));
      }
    },
  };
}
