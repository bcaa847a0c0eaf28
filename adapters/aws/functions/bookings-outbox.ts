import { bookingsOutbox } from '../../../functions/streams/bookings-outbox.js';
import { systemClock } from '../../shared/system.js';
import { dynamoDbStreamHandler } from '../dynamodb-stream-adapter.js';
import { requiredEnv } from '../environment.js';
import { SqsPublisher } from '../sqs-publisher.js';

/** `bookingsOutbox`: the bookings table's stream → EventBooked on the events queue. */
export const handler = dynamoDbStreamHandler(bookingsOutbox, { publisher: new SqsPublisher(requiredEnv('EVENTS_QUEUE_URL')), clock: systemClock });
