import { bookingsConsumer } from '../../../functions/queues/bookings-consumer.js';
import { DynamoBookingRepository } from '../dynamodb/booking-repository.js';
import { createDocumentClient } from '../dynamodb/document-client.js';
import { requiredEnv } from '../environment.js';
import { sqsHandler } from '../sqs-adapter.js';

/** `bookingsConsumer`: the bookings queue → the booking service's view of events. */
export const handler = sqsHandler(bookingsConsumer, { bookings: new DynamoBookingRepository(createDocumentClient(), requiredEnv('BOOKINGS_TABLE')) });
