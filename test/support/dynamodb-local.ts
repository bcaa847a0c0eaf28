import {
  CreateTableCommand,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
  type CreateTableCommandInput,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

export { startDynamoDbLocal, type DynamoDbLocal } from '../../offline/dynamodb-local.js';

/** The four tables of serverless.yml (infra/aws/tables.yml), by role. */
export interface TableNames {
  events: string;
  bookings: string;
  players: string;
  gameMap: string;
}

function tableInput(TableName: string, withStream: boolean): CreateTableCommandInput {
  return {
    TableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: 'pk', AttributeType: 'S' },
      { AttributeName: 'sk', AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ],
    ...(withStream ? { StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' } } : {}),
  };
}

/**
 * Creates the four tables as infra/aws/tables.yml declares them (streams with both images on events,
 * bookings and players; none on the game map; TTL on the bookings table's `expiresAt`) and waits
 * until they are ACTIVE.
 */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  const tables: [string, boolean][] = [
    [names.events, true],
    [names.bookings, true],
    [names.players, true],
    [names.gameMap, false],
  ];
  await Promise.all(
    tables.map(async ([name, withStream]) => {
      await client.send(new CreateTableCommand(tableInput(name, withStream)));
      await waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName: name });
    }),
  );
  // DynamoDB Local (2026-01-16 jar) accepts UpdateTimeToLive and reports it ENABLED, so this mirrors tables.yml exactly.
  await client.send(new UpdateTimeToLiveCommand({ TableName: names.bookings, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
}
