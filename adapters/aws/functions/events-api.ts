import { eventsApiRoutes } from '../../../functions/routes.js';
import { randomIds } from '../../shared/system.js';
import { createDocumentClient } from '../dynamodb/document-client.js';
import { DynamoEventRepository } from '../dynamodb/event-repository.js';
import { DynamoLocationRepository } from '../dynamodb/location-repository.js';
import { requiredEnv } from '../environment.js';
import { apiGatewayHandler } from '../http-adapter.js';

const documents = createDocumentClient();
const table = requiredEnv('EVENTS_TABLE');

/** `eventsApi`: locations and events routes on API Gateway. */
export const handler = apiGatewayHandler(eventsApiRoutes, {
  locations: new DynamoLocationRepository(documents, table),
  events: new DynamoEventRepository(documents, table),
  ids: randomIds,
});
