import { cloudEvent } from '@google-cloud/functions-framework';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { pubSubEventToMessage, queueTrigger } from '../../../adapters/gcp/queue-trigger.js';
import type { MessagePublishedData, ReceivedCloudEvent } from '../../../adapters/gcp/guards.js';
import type { QueueMessage } from '../../../functions/queues/contract.js';
import { serveFunction, type ServedFunction } from '../../support/functions-framework.js';
import { loadEvent } from '../../support/load-event.js';

interface PushBody {
  subscription: string;
  message: { data: string; messageId: string; attributes: Record<string, string>; publishTime: string };
}

/** What the function under test received, and whether it should fail. */
const received: QueueMessage[] = [];
let failWith: Error | undefined;
let served: ServedFunction;

beforeAll(async () => {
  // The adapter's warning lines and functions-framework's error log: expected here, noise in the output.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  cloudEvent(
    'pubSubAdapterUnderTest',
    queueTrigger(async (message: QueueMessage) => {
      received.push(message);
      if (failWith) throw failWith;
    }, {}),
  );
  served = await serveFunction('pubSubAdapterUnderTest');
});

afterAll(async () => {
  await served.close();
  vi.restoreAllMocks();
});

/** POSTs a push request as a Pub/Sub push subscription does, to the path functions-framework reads the topic from. */
const push = (body: unknown, topic = 'bookings') =>
  fetch(`${served.url}/projects/myevents-local/topics/${topic}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

describe('Pub/Sub CloudEvent adapter, through functions-framework', () => {
  it.each(['pubsub/push-event-created.json', 'pubsub/push-event-booked.json', 'pubsub/push-poison-not-json.json'])(
    '%s: the push body becomes one queue message with the decoded data, attempt 1; 204 acks it',
    async (fixture) => {
      // Prepare
      received.length = 0;
      failWith = undefined;
      const body = loadEvent<PushBody>(`gcp/${fixture}`);

      // Act
      const response = await push(body);

      // Assess
      expect(response.status).toBe(204);
      expect(received).toEqual([{ id: body.message.messageId, body: Buffer.from(body.message.data, 'base64').toString('utf8'), attempt: 1 }]);
    },
  );

  it('answers 500 when the handler fails, so Pub/Sub redelivers the message', async () => {
    received.length = 0;
    failWith = new Error('database unavailable');
    const response = await push(loadEvent<PushBody>('gcp/pubsub/push-event-booked.json'), 'events');
    expect(response.status).toBe(500);
    expect(received).toHaveLength(1);
  });

  it('takes the attempt from deliveryAttempt of a binary-mode CloudEvent (as Eventarc delivers with a dead-letter policy)', async () => {
    // Prepare
    received.length = 0;
    failWith = undefined;
    const { message, subscription } = loadEvent<PushBody>('gcp/pubsub/push-event-booked.json');

    // Act
    const response = await fetch(served.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'ce-id': message.messageId,
        'ce-specversion': '1.0',
        'ce-type': 'google.cloud.pubsub.topic.v1.messagePublished',
        'ce-source': '//pubsub.googleapis.com/projects/myevents-local/topics/events',
        'ce-time': message.publishTime,
      },
      body: JSON.stringify({ message, subscription, deliveryAttempt: 3 }),
    });

    // Assess
    expect(response.status).toBe(204);
    expect(received).toEqual([expect.objectContaining({ id: message.messageId, attempt: 3 })]);
  });
});

describe('pubSubEventToMessage', () => {
  it('falls back to the CloudEvent id and attempt 1 when the message has no id and no deliveryAttempt is sent', () => {
    const event: ReceivedCloudEvent<MessagePublishedData> = {
      id: 'ce-1',
      type: 'google.cloud.pubsub.topic.v1.messagePublished',
      source: '//pubsub.googleapis.com/projects/p/topics/t',
      data: { message: { data: Buffer.from('{"a":1}').toString('base64') } },
    };
    expect(pubSubEventToMessage(event)).toEqual({ id: 'ce-1', body: '{"a":1}', attempt: 1 });
  });
});
