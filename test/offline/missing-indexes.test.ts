import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { ensureTables, missingIndexes, type CfnResources } from '../../offline/aws/provision.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../support/dynamodb-local.js';

/** infra/aws/tables.yml with its `${...}` table names made concrete, as the framework resolves them. */
function declaredTables(prefix: string): CfnResources {
  const text = readFileSync(new URL('../../infra/aws/tables.yml', import.meta.url), 'utf8').replace(/\$\{self:custom\.names\.(\w+)\}/g, `${prefix}-$1`);
  return (parse(text) as { Resources: CfnResources }).Resources;
}

describe('a local data directory older than an index of the template', () => {
  let local: DynamoDbLocal;
  beforeAll(async () => {
    local = await startDynamoDbLocal();
  }, 90_000);
  afterAll(() => local?.stop());

  it('names the index a table made before it lacks; none once the tables are made from the template', async () => {
    const old = declaredTables('old');
    const bookings = old['BookingsTable']!.Properties!;
    // The bookings table as it was before issue 20: no owner index.
    await local.client.send(new CreateTableCommand({ TableName: String(bookings['TableName']), KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }], AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
    await ensureTables(local.client, old);
    expect(await missingIndexes(local.client, old)).toEqual(['old-bookingsTable: owner']);
    const fresh = declaredTables('fresh');
    await ensureTables(local.client, fresh);
    expect(await missingIndexes(local.client, fresh)).toEqual([]);
  });
});
