import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DomainEvent } from '../../functions/domain/domain-events.js';
import type { Publisher } from '../../functions/ports.js';
import { announcePublished } from '../shared/published-channel.js';
import { HopBound } from '../shared/trace-carriers.js';

/** Publishes domain events as JSON message bodies to one SQS queue. Endpoint: the SDK's AWS_ENDPOINT_URL_SQS when set. */
export class SqsPublisher extends HopBound implements Publisher {
  constructor(
    private readonly queueUrl: string,
    private readonly client = new SQSClient({}),
  ) {
    super();
  }

  async publish(event: DomainEvent): Promise<void> {
    // The publishing hop's W3C trace context travels as a message attribute; the consumer continues it (sqs-adapter.ts).
    const traceparent = this.boundHop?.traceparent;
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify(event),
        MessageAttributes: { type: { DataType: 'String', StringValue: event.type }, ...(traceparent && { traceparent: { DataType: 'String', StringValue: traceparent } }) },
      }),
    );
    announcePublished(event, this.queueUrl);
  }
}
