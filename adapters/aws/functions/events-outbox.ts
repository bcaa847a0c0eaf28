import { eventsOutbox } from '../../../functions/streams/events-outbox.js';
import { systemClock } from '../../shared/system.js';
import { dynamoDbStreamHandler } from '../dynamodb-stream-adapter.js';
import { requiredEnv } from '../environment.js';
import { SqsPublisher } from '../sqs-publisher.js';

/** `eventsOutbox`: the events table's stream → LocationCreated/EventCreated on the bookings queue. */
export const handler = dynamoDbStreamHandler(eventsOutbox, { publisher: new SqsPublisher(requiredEnv('BOOKINGS_QUEUE_URL')), clock: systemClock });
