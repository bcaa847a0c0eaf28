/**
 * `npm run bench:list-page`: the time of one page of `GET /events` through the real Lambda handler on
 * DynamoDB Local, with 10 and with 10,000 events stored, side by side and as a ratio measured in this run.
 * Before paging (issue 7), 10,000 events answered 2.5 MB in 284 ms against 1.25 ms for one event.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { createDocumentClient } from '../adapters/aws/dynamodb/document-client.js';
import { DynamoEventRepository } from '../adapters/aws/dynamodb/event-repository.js';
import { DynamoLocationRepository } from '../adapters/aws/dynamodb/location-repository.js';
import { httpTrigger } from '../adapters/aws/http-trigger.js';
import { randomIds } from '../adapters/shared/system.js';
import { eventsApiRoutes } from '../functions/routes.js';
import { itemsRead, recordCommands } from '../test/support/command-log.js';
import { createTables, startDynamoDbLocal } from '../test/support/dynamodb-local.js';
import { lambdaContext } from '../test/support/lambda-context.js';
import { loadEvent } from '../test/support/load-event.js';
import { seedEvents } from '../test/support/seed-events.js';
import { formatMs, summarize, timeInterleaved } from './stats.js';

const SIZES = [10, 10_000] as const;
const ROUNDS = 40;

const local = await startDynamoDbLocal();
try {
  const log = recordCommands(local.client);
  const documents = createDocumentClient(local.client);
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const pageOf: Record<string, () => Promise<unknown>> = {};
  const bytes: Record<string, number> = {};
  const read: Record<string, number> = {};
  for (const size of SIZES) {
    const tables = { events: `${prefix}-${size}-events`, bookings: `${prefix}-${size}-bookings`, players: `${prefix}-${size}-players`, gameMap: `${prefix}-${size}-map` };
    await createTables(local.client, tables);
    await seedEvents(local.client, tables.events, size);
    const handler = httpTrigger(eventsApiRoutes, {
      locations: new DynamoLocationRepository(documents, tables.events),
      events: new DynamoEventRepository(documents, tables.events),
      ids: randomIds,
    });
    const request = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/list-events.json');
    request.rawQueryString = '';
    delete request.queryStringParameters; // the default page: 50 events
    const name = `${size.toLocaleString('en')} events stored`;
    pageOf[name] = async () => {
      const response = await handler(request, lambdaContext());
      if (response.statusCode !== 200) throw new Error(`GET /events answered ${response.statusCode}`);
      bytes[name] = Buffer.byteLength(String(response.body));
    };
    log.length = 0;
    await pageOf[name]();
    read[name] = itemsRead(log);
  }

  const samples = await timeInterleaved(pageOf, ROUNDS);
  const [small, large] = Object.keys(pageOf).map((name) => ({ name, summary: summarize(samples[name]!) }));
  console.log(`\nOne page of GET /events (default limit 50) through the Lambda handler on DynamoDB Local, ${ROUNDS} rounds interleaved\n`);
  console.log('| stored | time per page (median, p10, p90) | body | items read |');
  console.log('|---|---|---|---|');
  for (const { name, summary } of [small!, large!]) console.log(`| ${name} | ${formatMs(summary)} | ${bytes[name]} B | ${read[name]} |`);
  console.log(`\nratio 10,000 / 10 (medians): ${(large!.summary.median / small!.summary.median).toFixed(2)}x`);
} finally {
  await local.stop();
}
