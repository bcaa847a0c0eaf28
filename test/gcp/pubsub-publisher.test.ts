import type { Message, PubSub } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPubSub, PubSubPublisher } from '../../adapters/gcp/pubsub-publisher.js';
import { envelope, EVENTS_SERVICE_SOURCE } from '../../functions/domain/domain-events.js';
import { LOCAL_PROJECT_ID, startPubSubEmulator, type PubSubEmulator } from '../../offline/gcp/gcp-emulators.js';
import { startEngine } from '../support/engine-start.js';

let emulator: PubSubEmulator | undefined;
let pubsub: PubSub;

beforeAll(async () => {
  emulator = await startEngine('Pub/Sub emulator (Google Cloud SDK, java)', () => startPubSubEmulator());
  pubsub = createPubSub({ projectId: LOCAL_PROJECT_ID, apiEndpoint: emulator.host });
}, 60_000);

afterAll(async () => {
  try {
    await pubsub?.close();
  } finally {
    await emulator?.stop();
  }
}, 15_000);

const eventCreated = envelope('EventCreated', 'ev-1', EVENTS_SERVICE_SOURCE, new Date('2026-05-01T10:00:00Z'), {
  id: 'ev-1',
  name: 'Opera Aida',
  startDate: '2026-12-01T19:00:00Z',
  endDate: '2026-12-01T22:00:00Z',
  locationId: 'loc-1',
  hall: 'Main',
  capacity: 10,
});

describe('PubSubPublisher on the Pub/Sub emulator', () => {
  it('publishes the envelope as JSON data with its type as an attribute', async () => {
    // Prepare
    const [topic] = await pubsub.createTopic('bookings-publisher-test');
    const [subscription] = await topic.createSubscription('bookings-publisher-test-pull');

    const received = new Promise<Message>((resolve, reject) => {
      subscription.once('message', (message: Message) => {
        message.ack();
        resolve(message);
      });
      subscription.once('error', reject);
    });

    // Act
    await new PubSubPublisher(topic).publish(eventCreated);

    // Assess: as a subscriber receives it.
    const message = await received;
    await subscription.close();
    expect(JSON.parse(message.data.toString('utf8'))).toEqual(eventCreated);
    expect(message.attributes).toEqual({ type: 'EventCreated' });
  });

  it('rejects when the topic does not exist, so the outbox record is retried', async () => {
    await expect(new PubSubPublisher(pubsub.topic('no-such-topic')).publish(eventCreated)).rejects.toThrow(/NOT_FOUND|not found/i);
  }, 30_000);
});
