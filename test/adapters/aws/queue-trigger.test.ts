import type { SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { lambdaLog } from '../../../adapters/aws/logger.js';
import { queueTrigger, sqsRecordToMessage } from '../../../adapters/aws/queue-trigger.js';
import { MemoryBookingRepository, MemoryEventRepository } from '../../../adapters/memory/repositories.js';
import { bookingsConsumer, eventsConsumer } from '../../../functions/index.js';
import { lambdaContext } from '../../support/lambda-context.js';
import { loadEvent } from '../../support/load-event.js';

const EVENT_ID = 'f604e4eb-0809-483a-82da-68930b347b2b';
const OTHER_EVENT_ID = '2f981d90-cd72-463a-9f32-905ab0b8120b';

beforeAll(() => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined);
});

describe('AWS SQS adapter: partial batch responses', () => {
  it('reports exactly the malformed 3rd message of 5 and processes the other four', async () => {
    const bookings = new MemoryBookingRepository();
    const event = loadEvent<SQSEvent>('aws/sqs/bookings-queue-batch.json');
    const response = await queueTrigger(bookingsConsumer, { bookings })(event, lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[2]!.messageId }] });
    expect(await bookings.getEvent(EVENT_ID)).toEqual({ eventId: EVENT_ID, capacity: 10, seatsBooked: 0 });
    expect(await bookings.getEvent(OTHER_EVENT_ID)).toBeDefined();
  });

  it('reports the EventBooked with an invalid schema and applies the valid ones', async () => {
    const events = new MemoryEventRepository();
    await events.add({ id: EVENT_ID, name: 'Opera Aida', duration: 180, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: 'l', hall: 'Main', capacity: 10, seatsBooked: 0 });
    const event = loadEvent<SQSEvent>('aws/sqs/events-queue-batch.json');
    const response = await queueTrigger(eventsConsumer, { events })(event, lambdaContext());
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[1]!.messageId }] });
    expect((await events.get(EVENT_ID))?.seatsBooked).toBe(5);
  });

  it('reports every message of a batch that fails entirely instead of throwing', async () => {
    const events = new MemoryEventRepository(); // no events: every EventBooked names an unknown event
    const event = loadEvent<SQSEvent>('aws/sqs/single-event-booked.json');
    const response = await queueTrigger(eventsConsumer, { events })(event, lambdaContext());
    expect(response.batchItemFailures.map((failure) => failure.itemIdentifier)).toEqual(event.Records.map((record) => record.messageId));
  });

  it('reports nothing when every message succeeds, and a redelivered batch changes nothing', async () => {
    const events = new MemoryEventRepository();
    await events.add({ id: EVENT_ID, name: 'Opera Aida', duration: 180, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: 'l', hall: 'Main', capacity: 10, seatsBooked: 0 });
    const event = loadEvent<SQSEvent>('aws/sqs/single-event-booked.json');
    const handler = queueTrigger(eventsConsumer, { events });
    expect(await handler(event, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect(await handler(event, lambdaContext())).toEqual({ batchItemFailures: [] });
    expect((await events.get(EVENT_ID))?.seatsBooked).toBe(2);
  });

  it('turns a record into a message with its receive count as attempt', () => {
    const record = loadEvent<SQSEvent>('aws/sqs/single-event-booked.json').Records[0]!;
    record.attributes.ApproximateReceiveCount = '3';
    expect(sqsRecordToMessage(record)).toEqual({ id: record.messageId, body: record.body, attempt: 3 });
  });
});
