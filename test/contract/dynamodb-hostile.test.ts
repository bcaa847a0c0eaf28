import { randomUUID } from 'node:crypto';
import { DynamoBookingRepository } from '../../adapters/aws/dynamodb/booking-repository.js';
import { createDocumentClient } from '../../adapters/aws/dynamodb/document-client.js';
import { DynamoEventRepository } from '../../adapters/aws/dynamodb/event-repository.js';
import { DynamoGameMapRepository } from '../../adapters/aws/dynamodb/game-map-repository.js';
import { DynamoLocationRepository } from '../../adapters/aws/dynamodb/location-repository.js';
import { DynamoPlayerRepository } from '../../adapters/aws/dynamodb/player-repository.js';
import { createTables, startDynamoDbLocal } from '../support/dynamodb-local.js';
import { describeHostileInputOn } from '../support/hostile-engine.js';

// DynamoDB Local refuses keys over its limits as DynamoDB does: this is where over-long ids were 500s.
// It answers in milliseconds, not microseconds: a sample per route, on top of the 1,000 of test/fuzz.
describeHostileInputOn('DynamoDB Local', async () => {
  const local = await startDynamoDbLocal();
  const prefix = `hostile-${randomUUID().slice(0, 8)}`;
  const tables = { events: `${prefix}-events`, bookings: `${prefix}-bookings`, players: `${prefix}-players`, gameMap: `${prefix}-game-map` };
  await createTables(local.client, tables);
  const documents = createDocumentClient(local.client);
  return {
    repositories: {
      locations: new DynamoLocationRepository(documents, tables.events),
      events: new DynamoEventRepository(documents, tables.events),
      bookings: new DynamoBookingRepository(documents, tables.bookings),
      players: new DynamoPlayerRepository(documents, tables.players),
      gameMap: new DynamoGameMapRepository(documents, tables.gameMap),
    },
    stop: () => local.stop(),
  };
}, 60);
