import { eventsConsumer } from '../../../functions/queues/events-consumer.js';
import { createDocumentClient } from '../dynamodb/document-client.js';
import { DynamoEventRepository } from '../dynamodb/event-repository.js';
import { requiredEnv } from '../environment.js';
import { sqsHandler } from '../sqs-adapter.js';

/** `eventsConsumer`: the events queue → seatsBooked of each event. */
export const handler = sqsHandler(eventsConsumer, { events: new DynamoEventRepository(createDocumentClient(), requiredEnv('EVENTS_TABLE')) });
