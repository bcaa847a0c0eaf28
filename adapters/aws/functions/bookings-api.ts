import { bookingsApiRoutes } from '../../../functions/routes.js';
import { randomIds, systemClock } from '../../shared/system.js';
import { DynamoBookingRepository } from '../dynamodb/booking-repository.js';
import { createDocumentClient } from '../dynamodb/document-client.js';
import { requiredEnv } from '../environment.js';
import { apiGatewayHandler } from '../http-adapter.js';

/** `bookingsApi`: bookings routes on API Gateway. */
export const handler = apiGatewayHandler(bookingsApiRoutes, {
  bookings: new DynamoBookingRepository(createDocumentClient(), requiredEnv('BOOKINGS_TABLE')),
  clock: systemClock,
  ids: randomIds,
});
