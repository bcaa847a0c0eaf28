import type { DynamoDBStreamEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { dynamoDbRecordToChange, changeStreamTrigger } from '../../../adapters/aws/change-stream-trigger.js';
import { eventItem } from '../../../adapters/aws/dynamodb/event-repository.js';
import { lambdaLog } from '../../../adapters/aws/logger.js';
import { MemoryGameMapRepository } from '../../../adapters/memory/repositories.js';
import { eventSchema } from '../../../functions/domain/event.js';
import { bookingsOutbox, eventsOutbox, placePlayers } from '../../../functions/index.js';
import { fixedClock, RecordingPublisher } from '../../support/doubles.js';
import { lambdaContext } from '../../support/lambda-context.js';
import { loadEvent } from '../../support/load-event.js';

beforeAll(() => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined);
});

const stream = (file: string) => loadEvent<DynamoDBStreamEvent>(`aws/dynamodb-stream/${file}`);

describe('AWS DynamoDB Streams adapter', () => {
  it('stops at the poison 3rd record of 5 and reports its SequenceNumber; the records after it wait for redelivery', async () => {
    const publisher = new RecordingPublisher();
    const event = stream('events-table-batch-with-poison.json');
    const response = await changeStreamTrigger(eventsOutbox, { publisher, clock: fixedClock() })(event, lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[2]!.dynamodb!.SequenceNumber }] });
    expect(publisher.published.map((published) => published.id)).toEqual([
      'LocationCreated/650bdfd0-9e44-43fb-b882-c7176da35917',
      'EventCreated/f604e4eb-0809-483a-82da-68930b347b2b',
    ]);
  });

  it('publishes LocationCreated with the unmarshalled location, without storage fields', async () => {
    const publisher = new RecordingPublisher();
    const response = await changeStreamTrigger(eventsOutbox, { publisher, clock: fixedClock() })(stream('events-table-insert-location.json'), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect(publisher.published[0]?.data).toEqual({
      id: '650bdfd0-9e44-43fb-b882-c7176da35917',
      name: 'Olympiastadion',
      address: 'Olympischer Platz 3',
      country: 'DE',
      openTime: 8,
      closeTime: 23,
      halls: [{ name: 'Main', location: 'ground floor', capacity: 10 }],
    });
  });

  it('publishes EventBooked for an inserted booking and nothing for a known-event item', async () => {
    const publisher = new RecordingPublisher();
    const handler = changeStreamTrigger(bookingsOutbox, { publisher, clock: fixedClock() });
    await handler(stream('bookings-table-insert-booking.json'), lambdaContext());
    await handler(stream('bookings-table-insert-known-event.json'), lambdaContext());
    expect(publisher.published).toMatchObject([{ type: 'EventBooked', data: { bookingId: '6ecc871e-03a5-4fd1-bedd-dc8a0c93c496', seats: 2 } }]);
  });

  it('places inserted players and removes deleted ones, in stream order', async () => {
    const gameMap = new MemoryGameMapRepository();
    const response = await changeStreamTrigger(placePlayers, { gameMap })(stream('players-table-batch.json'), lambdaContext());
    expect(response).toEqual({ batchItemFailures: [] });
    expect((await gameMap.list({ limit: 100 })).items).toEqual([{ id: '48004c2d-c173-448e-b1bb-f8ca1f3ca94d', name: 'Grace', position: { x: 0, y: 0 } }]);
  });

  it('is idempotent: the same batch delivered twice leaves the same map', async () => {
    const gameMap = new MemoryGameMapRepository();
    const handler = changeStreamTrigger(placePlayers, { gameMap });
    await handler(stream('players-table-insert.json'), lambdaContext());
    await handler(stream('players-table-insert.json'), lambdaContext());
    expect((await gameMap.list({ limit: 100 })).items).toHaveLength(1);
    await handler(stream('players-table-remove.json'), lambdaContext());
    await handler(stream('players-table-remove.json'), lambdaContext());
    expect((await gameMap.list({ limit: 100 })).items).toEqual([]);
  });

  it('ignores MODIFY records', async () => {
    const gameMap = new MemoryGameMapRepository();
    await changeStreamTrigger(placePlayers, { gameMap })(stream('players-table-modify.json'), lambdaContext());
    expect((await gameMap.list({ limit: 100 })).items).toEqual([]);
  });

  it('unmarshalls keys and both images of a MODIFY, numbers as numbers', () => {
    const change = dynamoDbRecordToChange(stream('events-table-modify-event.json').Records[0]!);
    expect(change.kind).toBe('modify');
    expect(change.key).toEqual({ pk: 'EVENT#f604e4eb-0809-483a-82da-68930b347b2b', sk: 'EVENT' });
    expect(change.before?.['seatsBooked']).toBe(0);
    expect(change.after?.['seatsBooked']).toBe(2);
  });

  it.each(['events-table-insert-event.json', 'events-table-modify-event.json'])('%s holds the event item exactly as the repository writes it', (fixture) => {
    for (const record of stream(fixture).Records) {
      const { after } = dynamoDbRecordToChange(record);
      expect(after).toEqual(eventItem(eventSchema.parse(after)));
    }
  });

  it('gives a REMOVE only the old image', () => {
    const change = dynamoDbRecordToChange(stream('players-table-remove.json').Records[0]!);
    expect(change).toMatchObject({ kind: 'remove', before: { entity: 'player', name: 'Ada' } });
    expect(change.after).toBeUndefined();
  });
});
