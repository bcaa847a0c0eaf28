import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { createSqsServer } from 'local-aws-sqs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoBookingRepository } from '../../../adapters/aws/dynamodb/booking-repository.js';
import { createDocumentClient } from '../../../adapters/aws/dynamodb/document-client.js';
import { DynamoEventRepository } from '../../../adapters/aws/dynamodb/event-repository.js';
import type * as BookingsApi from '../../../adapters/aws/functions/bookings-api.js';
import type * as BookingsConsumer from '../../../adapters/aws/functions/bookings-consumer.js';
import type * as BookingsOutbox from '../../../adapters/aws/functions/bookings-outbox.js';
import type * as EventsApi from '../../../adapters/aws/functions/events-api.js';
import type * as EventsConsumer from '../../../adapters/aws/functions/events-consumer.js';
import type * as EventsOutbox from '../../../adapters/aws/functions/events-outbox.js';
import type * as PlacePlayers from '../../../adapters/aws/functions/place-players.js';
import type * as PlayersApi from '../../../adapters/aws/functions/players-api.js';
import { lambdaLog } from '../../../adapters/aws/logger.js';
import { localClientConfig } from '../../../offline/aws/dynamodb-local.js';
import { freePort } from '../../../offline/shared/ports.js';
import { startDynamoDbLocal, type DynamoDbLocal } from '../../support/dynamodb-local.js';
import { createTables, type TableNames } from '../../support/dynamodb-local.js';
import { lambdaContext } from '../../support/lambda-context.js';
import { loadEvent } from '../../support/load-event.js';
import { withAuthorization } from '../../support/tokens.js';

/**
 * The eight Lambda entry modules exactly as deployed (adapters/aws/functions/*.ts): their own DynamoDB
 * repositories and SQS publisher, configured from the environment as serverless.yml configures them,
 * against DynamoDB Local (java) and local-aws-sqs (in this process). The tests run in order and build
 * on each other's state, like the fixtures' story: a location and an event are created and announced,
 * the booking service learns the event, seats are booked and counted, players are placed on the map.
 */

const LOCATION_ID = '650bdfd0-9e44-43fb-b882-c7176da35917';
const EVENT_ID = 'f604e4eb-0809-483a-82da-68930b347b2b';
const OTHER_EVENT_ID = '2f981d90-cd72-463a-9f32-905ab0b8120b';
const BOOKING_ID = '6ecc871e-03a5-4fd1-bedd-dc8a0c93c496';
const GRACE_ID = '48004c2d-c173-448e-b1bb-f8ca1f3ca94d';

interface Handlers {
  eventsApi: typeof EventsApi.handler;
  bookingsApi: typeof BookingsApi.handler;
  playersApi: typeof PlayersApi.handler;
  eventsOutbox: typeof EventsOutbox.handler;
  bookingsOutbox: typeof BookingsOutbox.handler;
  placePlayers: typeof PlacePlayers.handler;
  bookingsConsumer: typeof BookingsConsumer.handler;
  eventsConsumer: typeof EventsConsumer.handler;
}

let dynamodb: DynamoDbLocal | undefined;
let sqsServer: Server | undefined;
let sqs: SQSClient | undefined;
let documents: DynamoDBDocumentClient;
let tables: TableNames;
let queues: { bookings: string; events: string };
let fn: Handlers;
/** The values process.env had before this file set them (undefined: unset), restored in afterAll. */
const previousEnv = new Map<string, string | undefined>();

function setEnv(values: Record<string, string>): void {
  for (const [name, value] of Object.entries(values)) {
    if (!previousEnv.has(name)) previousEnv.set(name, process.env[name]);
    process.env[name] = value;
  }
}

beforeAll(async () => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined); // keep test output readable (the poison records log a warning each)

  // Prepare: the emulators, the four tables and the two queues, unique per run.
  dynamodb = await startDynamoDbLocal();
  const prefix = `entry-${randomUUID().slice(0, 8)}`;
  tables = { events: `${prefix}-events`, bookings: `${prefix}-bookings`, players: `${prefix}-players`, gameMap: `${prefix}-game-map` };
  await createTables(dynamodb.client, tables);
  documents = createDocumentClient(dynamodb.client);

  const sqsPort = await freePort();
  sqsServer = await createSqsServer({ port: sqsPort, hostname: '127.0.0.1' });
  const sqsEndpoint = `http://127.0.0.1:${sqsPort}`;
  sqs = new SQSClient(localClientConfig(sqsEndpoint));
  const createQueue = async (name: string): Promise<string> => {
    const { QueueUrl } = await sqs!.send(new CreateQueueCommand({ QueueName: name }));
    if (QueueUrl === undefined) throw new Error(`local-aws-sqs returned no URL for ${name}`);
    return QueueUrl;
  };
  queues = { bookings: await createQueue(`${prefix}-bookings`), events: await createQueue(`${prefix}-events`) };

  // The environment serverless.yml gives every function, plus the endpoints `npm run invoke` sets.
  setEnv({
    EVENTS_TABLE: tables.events,
    BOOKINGS_TABLE: tables.bookings,
    PLAYERS_TABLE: tables.players,
    GAME_MAP_TABLE: tables.gameMap,
    BOOKINGS_QUEUE_URL: queues.bookings,
    EVENTS_QUEUE_URL: queues.events,
    AWS_ENDPOINT_URL_DYNAMODB: dynamodb.endpoint,
    AWS_ENDPOINT_URL_SQS: sqsEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
  });

  // Only now: each entry module reads its table or queue and builds its clients when it is loaded (cold start).
  const [eventsApi, bookingsApi, playersApi, eventsOutbox, bookingsOutbox, placePlayers, bookingsConsumer, eventsConsumer] = await Promise.all([
    import('../../../adapters/aws/functions/events-api.js'),
    import('../../../adapters/aws/functions/bookings-api.js'),
    import('../../../adapters/aws/functions/players-api.js'),
    import('../../../adapters/aws/functions/events-outbox.js'),
    import('../../../adapters/aws/functions/bookings-outbox.js'),
    import('../../../adapters/aws/functions/place-players.js'),
    import('../../../adapters/aws/functions/bookings-consumer.js'),
    import('../../../adapters/aws/functions/events-consumer.js'),
  ]);
  fn = {
    eventsApi: eventsApi.handler,
    bookingsApi: bookingsApi.handler,
    playersApi: playersApi.handler,
    eventsOutbox: eventsOutbox.handler,
    bookingsOutbox: bookingsOutbox.handler,
    placePlayers: placePlayers.handler,
    bookingsConsumer: bookingsConsumer.handler,
    eventsConsumer: eventsConsumer.handler,
  };
}, 60_000);

afterAll(async () => {
  sqs?.destroy();
  if (sqsServer) {
    const server = sqsServer;
    await new Promise<void>((done) => server.close(() => done()));
  }
  await dynamodb?.stop();
  for (const [name, value] of previousEnv) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  vi.restoreAllMocks();
}, 15_000);

/** An HTTP fixture with an admin's token, as a client sends it (fixtures carry none). */
const http = (file: string) => withAuthorization(loadEvent<APIGatewayProxyEventV2 | APIGatewayProxyEvent>(`aws/${file}`));
const stream = (file: string) => loadEvent<DynamoDBStreamEvent>(`aws/dynamodb-stream/${file}`);
const batch = (file: string) => loadEvent<SQSEvent>(`aws/sqs/${file}`);
const jsonBody = (result: { body?: string }) => (result.body ? JSON.parse(result.body) : undefined);

/**
 * Every message the queue holds: long polls (1 s each) until `expected` messages have arrived or the
 * deadline passes, then one short poll for up to 10 more, so a message beyond the expected ones is seen
 * too. Deletes what it received, so the next test starts from an empty queue.
 * (local-aws-sqs answers a long poll only once MaxNumberOfMessages are there or the wait is over, unlike
 * SQS, which answers as soon as any message is; asking for just the missing ones keeps the polls short.)
 */
async function receiveAll(queueUrl: string, expected: number, timeoutMs = 10_000): Promise<Message[]> {
  const client = sqs!;
  const receive = async (waitSeconds: number, max: number) =>
    (await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: max, WaitTimeSeconds: waitSeconds, MessageAttributeNames: ['All'] })))
      .Messages ?? [];
  const received: Message[] = [];
  const deadline = Date.now() + timeoutMs;
  while (received.length < expected && Date.now() < deadline) received.push(...(await receive(1, Math.min(10, expected - received.length))));
  received.push(...(await receive(0, 10)));
  await Promise.all(received.map((message) => client.send(new DeleteMessageCommand({ QueueUrl: queueUrl, ReceiptHandle: message.ReceiptHandle }))));
  return received;
}

/** The envelope ids and types of received messages, sorted (a standard queue does not promise order). */
const envelopes = (messages: Message[]) =>
  messages
    .map((message) => {
      const body = JSON.parse(message.Body ?? '') as { id: string; type: string };
      return { id: body.id, type: body.type, typeAttribute: message.MessageAttributes?.['type']?.StringValue };
    })
    .sort((a, b) => a.id.localeCompare(b.id));

describe('AWS entry modules over DynamoDB Local and local-aws-sqs', () => {
  it('eventsApi: creates a location from an HTTP API 2.0 and a REST API 1.0 request, and refuses malformed JSON', async () => {
    // Prepare
    const createV2 = http('http-api-v2/create-location.json');
    const malformed = http('http-api-v2/malformed-json.json');
    const createV1 = http('rest-api-v1/create-location.json');

    // Act
    const created = await fn.eventsApi(createV2, lambdaContext());
    const refused = await fn.eventsApi(malformed, lambdaContext());
    const createdV1 = await fn.eventsApi(createV1, lambdaContext());

    // Assess
    expect(created.statusCode).toBe(201);
    const location = jsonBody(created);
    expect(location).toMatchObject({ name: 'Olympiastadion', halls: [{ name: 'Main', capacity: 10 }] });
    const { Item } = await documents.send(new GetCommand({ TableName: tables.events, Key: { pk: `LOCATION#${location.id}`, sk: 'LOCATION' }, ConsistentRead: true }));
    expect(Item).toMatchObject({ pk: `LOCATION#${location.id}`, sk: 'LOCATION', listSk: location.id, entity: 'location', id: location.id, name: 'Olympiastadion', country: 'DE' });

    expect(refused.statusCode).toBe(400);
    expect(jsonBody(refused).error).toMatchObject({ code: 'MALFORMED_JSON', requestId: lambdaContext().awsRequestId });

    expect(createdV1.statusCode).toBe(201);
    const locationV1 = jsonBody(createdV1);
    expect(locationV1.id).not.toBe(location.id);
    const { Item: itemV1 } = await documents.send(new GetCommand({ TableName: tables.events, Key: { pk: `LOCATION#${locationV1.id}`, sk: 'LOCATION' }, ConsistentRead: true }));
    expect(itemV1).toMatchObject({ entity: 'location', name: 'Olympiastadion' });
  }, 20_000);

  it('eventsOutbox: publishes records 1 and 2 to the bookings queue and stops at the poison 3rd record', async () => {
    // Prepare
    const event = stream('events-table-batch-with-poison.json');

    // Act
    const response = await fn.eventsOutbox(event, lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[2]!.dynamodb!.SequenceNumber }] });
    expect(envelopes(await receiveAll(queues.bookings, 2))).toEqual([
      { id: `EventCreated/${EVENT_ID}`, type: 'EventCreated', typeAttribute: 'EventCreated' },
      { id: `LocationCreated/${LOCATION_ID}`, type: 'LocationCreated', typeAttribute: 'LocationCreated' },
    ]);
  }, 20_000);

  it('bookingsConsumer: the booking service learns the events of the batch, all but the malformed 3rd message', async () => {
    // Prepare
    const event = batch('bookings-queue-batch.json');
    const bookings = new DynamoBookingRepository(documents, tables.bookings);

    // Act
    const response = await fn.bookingsConsumer(event, lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: event.Records[2]!.messageId }] });
    expect(await bookings.getEvent(EVENT_ID)).toEqual({ eventId: EVENT_ID, capacity: 10, seatsBooked: 0 });
    expect(await bookings.getEvent(OTHER_EVENT_ID)).toMatchObject({ eventId: OTHER_EVENT_ID });
  }, 20_000);

  it('bookingsApi books once per Idempotency-Key; bookingsOutbox announces an inserted booking on the events queue', async () => {
    // Prepare
    const request = http('http-api-v2/book-seats.json');
    const inserted = stream('bookings-table-insert-booking.json');
    const bookings = new DynamoBookingRepository(documents, tables.bookings);

    // Act
    const first = await fn.bookingsApi(request, lambdaContext());
    const retry = await fn.bookingsApi(http('http-api-v2/book-seats.json'), lambdaContext());
    const outboxResponse = await fn.bookingsOutbox(inserted, lambdaContext());

    // Assess
    expect(first.statusCode).toBe(201);
    expect(jsonBody(first)).toMatchObject({ eventId: EVENT_ID, seats: 2 });
    expect(first.headers?.['idempotent-replayed']).toBeUndefined();
    expect(retry.statusCode).toBe(201);
    expect(retry.headers?.['idempotent-replayed']).toBe('true');
    expect(retry.body).toBe(first.body);
    expect(await bookings.getEvent(EVENT_ID)).toEqual({ eventId: EVENT_ID, capacity: 10, seatsBooked: 2 });

    expect(outboxResponse).toEqual({ batchItemFailures: [] });
    const messages = await receiveAll(queues.events, 1);
    expect(envelopes(messages)).toEqual([{ id: `EventBooked/${BOOKING_ID}`, type: 'EventBooked', typeAttribute: 'EventBooked' }]);
    expect(JSON.parse(messages[0]!.Body!).data).toEqual({ bookingId: BOOKING_ID, eventId: EVENT_ID, seats: 2, createdAt: '2026-05-01T10:15:42.318Z' });
  }, 20_000);

  it('eventsConsumer: counts the valid EventBooked messages once, reports the one with 0 seats, and a redelivery changes nothing', async () => {
    // Prepare: the event of the fixtures, stored under its own id (POST /events would give it a new one).
    const events = new DynamoEventRepository(documents, tables.events);
    const added = await events.add({
      id: EVENT_ID,
      name: 'Opera Aida',
      duration: 180,
      startDate: '2026-12-01T19:00:00Z',
      endDate: '2026-12-01T22:00:00Z',
      locationId: LOCATION_ID,
      hall: 'Main',
      capacity: 10,
      seatsBooked: 0,
    });
    expect(added).toBe('added');
    const event = batch('events-queue-batch.json');
    const validSeats = event.Records.map((record) => JSON.parse(record.body) as { data: { seats: number } })
      .map((body) => body.data.seats)
      .filter((seats) => seats > 0)
      .reduce((sum, seats) => sum + seats, 0);
    expect(validSeats).toBe(5); // 2 + 3; the 2nd message books 0 seats

    // Act
    const first = await fn.eventsConsumer(event, lambdaContext());
    const afterFirst = await events.get(EVENT_ID);
    const redelivered = await fn.eventsConsumer(batch('events-queue-batch.json'), lambdaContext());
    const afterRedelivery = await events.get(EVENT_ID);

    // Assess
    const expectedFailures = { batchItemFailures: [{ itemIdentifier: event.Records[1]!.messageId }] };
    expect(first).toEqual(expectedFailures);
    expect(afterFirst?.seatsBooked).toBe(validSeats);
    expect(redelivered).toEqual(expectedFailures);
    expect(afterRedelivery).toEqual(afterFirst);
  }, 20_000);

  it('placePlayers: places Ada and Grace, then takes Ada off the map; playersApi shows only Grace', async () => {
    // Prepare
    const event = stream('players-table-batch.json');

    // Act
    const response = await fn.placePlayers(event, lambdaContext());
    const map = await fn.playersApi(http('http-api-v2/get-map.json'), lambdaContext());

    // Assess
    expect(response).toEqual({ batchItemFailures: [] });
    expect(map.statusCode).toBe(200);
    expect(jsonBody(map)).toEqual([{ id: GRACE_ID, name: 'Grace', position: { x: 0, y: 0 } }]);
  }, 20_000);
});
