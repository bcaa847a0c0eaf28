import azf from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { changeStreamTriggerOptions } from '../../../adapters/azure/change-stream-trigger.js';
import { httpTriggerOptions } from '../../../adapters/azure/http-trigger.js';
import { queueTriggerOptions } from '../../../adapters/azure/queue-trigger.js';
import { MemoryBookingRepository, MemoryGameMapRepository } from '../../../adapters/memory/repositories.js';
import { MalformedMessageError } from '../../../functions/errors.js';
import { bookingsConsumer } from '../../../functions/queues/bookings-consumer.js';
import { bookingsApiRoutes } from '../../../functions/routes.js';
import { eventsOutbox } from '../../../functions/streams/events-outbox.js';
import { placePlayers } from '../../../functions/streams/place-players.js';
import { invocationContext } from '../../support/azure-context.js';
import { fixedClock, RecordingPublisher, sequentialIds } from '../../support/doubles.js';
import { loadEvent } from '../../support/load-event.js';
import { withAuthorization } from '../../support/tokens.js';

/** Every sample payload of events/azure/ through the handler its function registers, over in-memory ports. */
const EVENT_ID = 'f604e4eb-0809-483a-82da-68930b347b2b';

interface HttpSample {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

interface QueueSample {
  queueItem: unknown;
  triggerMetadata: Record<string, unknown>;
}

type Handler = (input: unknown, context: ReturnType<typeof invocationContext>) => Promise<unknown>;
const handlerOf = (options: { handler: unknown }): Handler => options.handler as Handler;

describe('events/azure samples through the registered handlers', () => {
  it('http/book-seats.json: bookingsApi books 2 seats', async () => {
    const sample = withAuthorization(loadEvent<HttpSample>('azure/http/book-seats.json'));
    const bookings = new MemoryBookingRepository();
    await bookings.rememberEvent({ eventId: EVENT_ID, capacity: 10, seatsBooked: 0 });
    const options = httpTriggerOptions(bookingsApiRoutes, { bookings, clock: fixedClock(), ids: sequentialIds() });
    const response = (await handlerOf(options)(new azf.HttpRequest({ method: sample.method, url: sample.url, headers: sample.headers, body: { string: sample.body } }), invocationContext())) as { status: number; body: string };
    expect(response.status).toBe(201);
    expect(JSON.parse(response.body)).toMatchObject({ eventId: EVENT_ID, seats: 2 });
    expect(await bookings.getEvent(EVENT_ID)).toMatchObject({ seatsBooked: 2 });
  });

  it('storage-queue/event-created.json: bookingsConsumer learns the event; malformed-retried.json fails, to be retried', async () => {
    const bookings = new MemoryBookingRepository();
    const handler = handlerOf(queueTriggerOptions('BOOKINGS_QUEUE', 'QUEUE_CONNECTION', bookingsConsumer, { bookings }));
    for (const [file, expectation] of [['event-created', 'handled'], ['malformed-retried', 'throws']] as const) {
      const sample = loadEvent<QueueSample>(`azure/storage-queue/${file}.json`);
      const outcome = handler(sample.queueItem, invocationContext({ triggerMetadata: sample.triggerMetadata }));
      if (expectation === 'handled') await outcome;
      else await expect(outcome).rejects.toBeInstanceOf(MalformedMessageError);
    }
    expect(await bookings.getEvent(EVENT_ID)).toEqual({ eventId: EVENT_ID, capacity: 10, seatsBooked: 0 });
  });

  it('cosmos-db/events-feed.json: eventsOutbox announces the location and the event, not the markers', async () => {
    const publisher = new RecordingPublisher();
    const handler = handlerOf(changeStreamTriggerOptions({ containerName: 'events', leasePrefix: 'eventsOutbox-' }, eventsOutbox, { publisher, clock: fixedClock() }));
    await handler(loadEvent<unknown[]>('azure/cosmos-db/events-feed.json'), invocationContext());
    expect(publisher.published.map((message) => message.id)).toEqual(['LocationCreated/650bdfd0-9e44-43fb-b882-c7176da35917', `EventCreated/${EVENT_ID}`]);
  });

  it('cosmos-db/players-feed.json: placePlayers places the live player and takes the soft-deleted one off the map', async () => {
    const gameMap = new MemoryGameMapRepository();
    await gameMap.placeIfAbsent({ id: '48004c2d-c173-448e-b1bb-f8ca1f3ca94d', name: 'Grace', position: { x: 3, y: 1 } });
    const handler = handlerOf(changeStreamTriggerOptions({ containerName: 'players', leasePrefix: 'placePlayers-' }, placePlayers, { gameMap }));
    await handler(loadEvent<unknown[]>('azure/cosmos-db/players-feed.json'), invocationContext());
    expect(await gameMap.list({ limit: 10 })).toEqual({ items: [{ id: 'f2bc48cc-ddc5-444a-bbe8-0678e1703ef3', name: 'Ada', position: { x: 0, y: 0 } }] });
  });
});
