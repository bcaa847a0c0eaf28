import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueTriggerOptions, storageQueueItemToMessage } from '../../../adapters/azure/queue-trigger.js';
import { encodeQueueMessage, StorageQueuePublisher } from '../../../adapters/azure/storage-queue-publisher.js';
import { MemoryBookingRepository } from '../../../adapters/memory/repositories.js';
import { envelope, EVENTS_SERVICE_SOURCE } from '../../../functions/domain/domain-events.js';
import { bookingsConsumer } from '../../../functions/queues/bookings-consumer.js';
import { invocationContext } from '../../support/azure-context.js';
import { startAzuriteQueue, type AzuriteQueue } from '../../support/azurite.js';
import { drainQueue, readQueueHostSettings } from '../../support/queue-host.js';

/**
 * Storage Queues on Azurite (started on a free loopback port): the real publisher sends, the real SDK
 * receives, a host-like helper (test/support/queue-host.ts) decodes and retries as host.json says, and
 * the queue handler the app registers handles each message.
 */
let azurite: AzuriteQueue | undefined;

beforeAll(async () => {
  azurite = await startAzuriteQueue();
}, 30_000);

afterAll(async () => {
  await azurite?.stop();
}, 15_000);

const running = (): AzuriteQueue => {
  if (azurite === undefined) throw new Error('Azurite is not running: see the error of beforeAll');
  return azurite;
};

const eventCreated = envelope('EventCreated', 'ev-1', EVENTS_SERVICE_SOURCE, new Date('2026-05-01T10:00:00Z'), {
  id: 'ev-1',
  name: 'Opera Aida',
  startDate: '2026-12-01T19:00:00Z',
  endDate: '2026-12-01T22:00:00Z',
  locationId: 'loc-1',
  hall: 'Main',
  capacity: 10,
});

describe('Storage Queue trigger and publisher on Azurite', () => {
  it('host.json retries a message 5 times and stores messages base64-encoded', () => {
    expect(readQueueHostSettings()).toMatchObject({ maxDequeueCount: 5, messageEncoding: 'base64' });
  });

  it('handles a published domain event and moves a malformed message to <queue>-poison after maxDequeueCount', async () => {
    // Prepare: the bookings queue with a domain event sent by the real publisher and a malformed message beside it.
    const { service } = running();
    const queueName = `bookings-${Date.now()}`;
    const queue = service.getQueueClient(queueName);
    await queue.create();
    const settings = readQueueHostSettings();
    await new StorageQueuePublisher(queue, settings.messageEncoding).publish(eventCreated);
    await queue.sendMessage(encodeQueueMessage('{"type":"EventCreated"', settings.messageEncoding));
    const bookings = new MemoryBookingRepository();
    const { handler, queueName: queueSetting, connection } = queueTriggerOptions('BOOKINGS_QUEUE', 'QUEUE_CONNECTION', bookingsConsumer, { bookings });

    // Act
    const report = await drainQueue(service, queueName, handler as Parameters<typeof drainQueue>[2], settings);

    // Assess: the event is known; the malformed message was tried maxDequeueCount times, then poisoned; the queue is empty.
    expect({ queueSetting, connection }).toEqual({ queueSetting: '%BOOKINGS_QUEUE%', connection: 'QUEUE_CONNECTION' });
    expect(await bookings.getEvent('ev-1')).toEqual({ eventId: 'ev-1', capacity: 10, seatsBooked: 0 });
    expect(report.invocations.filter((invocation) => invocation.outcome === 'ok')).toHaveLength(1);
    const failed = report.invocations.filter((invocation) => invocation.outcome === 'failed');
    expect(failed.map((invocation) => invocation.dequeueCount)).toEqual([1, 2, 3, 4, 5]);
    expect(report.poisoned).toEqual(['{"type":"EventCreated"']);
    const { receivedMessageItems: poisoned } = await service.getQueueClient(`${queueName}-poison`).receiveMessages({ numberOfMessages: 32 });
    expect(poisoned.map((message) => Buffer.from(message.messageText, 'base64').toString('utf8'))).toEqual(['{"type":"EventCreated"']);
    expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
  });
});

describe('storageQueueItemToMessage', () => {
  it('serialises a JSON item the worker parsed, keeps text, and takes id and attempt from the trigger metadata', () => {
    const context = invocationContext({ triggerMetadata: { id: 'm-1', dequeueCount: 3 } });
    expect(storageQueueItemToMessage(eventCreated, context)).toEqual({ id: 'm-1', body: JSON.stringify(eventCreated), attempt: 3 });
    expect(storageQueueItemToMessage('not json', context)).toEqual({ id: 'm-1', body: 'not json', attempt: 3 });
  });
});
