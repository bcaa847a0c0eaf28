import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoBookingRepository } from '../../adapters/aws/dynamodb/booking-repository.js';
import { createDocumentClient } from '../../adapters/aws/dynamodb/document-client.js';
import { DynamoEventRepository } from '../../adapters/aws/dynamodb/event-repository.js';
import { DynamoGameMapRepository } from '../../adapters/aws/dynamodb/game-map-repository.js';
import { DynamoLocationRepository } from '../../adapters/aws/dynamodb/location-repository.js';
import { DynamoPlayerRepository } from '../../adapters/aws/dynamodb/player-repository.js';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { listOrder } from '../../functions/domain/list-order.js';
import { recordCommands, type LoggedCommand } from '../support/command-log.js';
import { createTables, startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.js';
import { describePortContracts, type PortsUnderTest } from './port-contracts.js';

// describePortContracts declares its own describe blocks, so the server is started by this file-level
// hook (it runs before every test in the file) and the factory reads the ports it built.
let local: DynamoDbLocal | undefined;
let ports: PortsUnderTest | undefined;
let commands: LoggedCommand[] = [];

beforeAll(async () => {
  local = await startDynamoDbLocal();
  commands = recordCommands(local.client);
  const prefix = `contract-${randomUUID().slice(0, 8)}`;
  const tables = { events: `${prefix}-events`, bookings: `${prefix}-bookings`, players: `${prefix}-players`, gameMap: `${prefix}-game-map` };
  await createTables(local.client, tables);
  const documents = createDocumentClient(local.client);
  ports = {
    locations: new DynamoLocationRepository(documents, tables.events),
    events: new DynamoEventRepository(documents, tables.events),
    bookings: new DynamoBookingRepository(documents, tables.bookings),
    players: new DynamoPlayerRepository(documents, tables.players),
    gameMap: new DynamoGameMapRepository(documents, tables.gameMap),
    storedTraceparent: {
      location: (id) => traceparentOf(tables.events, { pk: `LOCATION#${id}`, sk: 'LOCATION' }),
      event: (id) => traceparentOf(tables.events, { pk: `EVENT#${id}`, sk: 'EVENT' }),
      knownEvent: (eventId) => traceparentOf(tables.bookings, { pk: `EVENT#${eventId}`, sk: 'EVENT' }),
      booking: (booking) => traceparentOf(tables.bookings, { pk: `BOOKINGS#${booking.eventId}`, sk: listOrder.bookings.positionOf(booking) }),
      player: (id) => traceparentOf(tables.players, { pk: `PLAYER#${id}`, sk: 'PLAYER' }),
    },
  };
  async function traceparentOf(TableName: string, Key: Record<string, string>): Promise<unknown> {
    const { Item } = await documents.send(new GetCommand({ TableName, Key, ConsistentRead: true }));
    if (Item === undefined) throw new Error(`no item ${JSON.stringify(Key)}`);
    return Item['traceparent'];
  }
}, 60_000);

afterAll(async () => {
  await local?.stop();
}, 15_000);

describePortContracts('DynamoDB Local', () => {
  if (ports === undefined) throw new Error('DynamoDB Local is not running: see the error of beforeAll');
  return ports;
});

describe('DynamoDB repositories', () => {
  // Runs after the contract suite above (tests of a file run in order): every command it sent is logged.
  it('sent no Scan through the whole contract suite', () => {
    expect(commands.map((entry) => entry.command)).toContain('QueryCommand');
    expect(commands.filter((entry) => entry.command === 'ScanCommand')).toEqual([]);
  });
});
