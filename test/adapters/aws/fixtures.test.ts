import { createHash } from 'node:crypto';
import type { AttributeValue as SdkAttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyEventV2, DynamoDBStreamEvent, SQSEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { domainEventSchema } from '../../../functions/domain/domain-events.js';
import { httpFunctions } from '../../../functions/routes.js';
import { listEventFiles, loadEvent } from '../../support/load-event.js';

// The guards over every sample of every platform: test/conformance/guard-matrix.test.ts.
const files = listEventFiles('aws');
const triggerFolder = (file: string): string => file.split('/')[1] ?? '';
const filesIn = (folder: string): string[] => files.filter((file) => triggerFolder(file) === folder);

// ---- The fixtures themselves: internally consistent, so tests can chain them ----

/** Records whose body is deliberately not a valid domain event (by index): the consumers' failure paths. */
const deliberatelyBroken: Record<string, number[]> = {
  'aws/sqs/bookings-queue-batch.json': [2], // truncated JSON
  'aws/sqs/events-queue-batch.json': [1], // EventBooked with seats: 0
};

function isDomainEventBody(body: string): boolean {
  try {
    return domainEventSchema.safeParse(JSON.parse(body)).success;
  } catch {
    return false;
  }
}

describe('SQS fixtures', () => {
  it.each(filesIn('sqs'))('%s: every body is a domain event except the deliberately broken ones', (file) => {
    // Prepare
    const { Records } = loadEvent<SQSEvent>(file);

    // Act
    const broken = Records.flatMap((record, index) => (isDomainEventBody(record.body) ? [] : [index]));

    // Assess
    expect(broken).toEqual(deliberatelyBroken[file] ?? []);
    expect(new Set(Records.map((record) => record.messageId)).size).toBe(Records.length);
    for (const record of Records) expect(record.md5OfBody).toBe(createHash('md5').update(record.body).digest('hex'));
  });
});

// aws-lambda's AttributeValue and the SDK's describe the same JSON; the cast only bridges the two declarations.
const toNative = (image: Record<string, unknown>): Record<string, unknown> => unmarshall(image as Record<string, SdkAttributeValue>);

describe('DynamoDB Streams fixtures', () => {
  it.each(filesIn('dynamodb-stream'))('%s: every image is a stored document with pk, sk and entity', (file) => {
    // Prepare
    const { Records } = loadEvent<DynamoDBStreamEvent>(file);

    // Act
    const changes = Records.map((record) => {
      const { NewImage, OldImage, Keys = {}, SequenceNumber = '' } = record.dynamodb ?? {};
      return {
        eventName: record.eventName,
        key: toNative(Keys),
        after: NewImage && toNative(NewImage),
        before: OldImage && toNative(OldImage),
        sequence: BigInt(SequenceNumber),
      };
    });

    // Assess
    const storedDocument = { pk: expect.any(String), sk: expect.any(String), entity: expect.any(String) };
    for (const change of changes) {
      // NEW_AND_OLD_IMAGES: INSERT has only the new image, REMOVE only the old one, MODIFY both.
      expect(change.after === undefined, `${change.eventName} NewImage`).toBe(change.eventName === 'REMOVE');
      expect(change.before === undefined, `${change.eventName} OldImage`).toBe(change.eventName === 'INSERT');
      for (const image of [change.after, change.before].filter((image) => image !== undefined)) {
        expect(image).toMatchObject(storedDocument);
        expect(change.key).toEqual({ pk: image['pk'], sk: image['sk'] });
      }
    }
    const sequences = changes.map((change) => change.sequence);
    expect(sequences).toEqual([...sequences].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    expect(new Set(sequences).size).toBe(sequences.length);
  });
});

/** `METHOD /path/{param}` of every route in the route table. */
const declaredRoutes = new Set(
  Object.values(httpFunctions).flatMap((routes: readonly { method: string; path: string }[]) => routes.map((route) => `${route.method} ${route.path}`)),
);
const patternToRegExp = (pattern: string): RegExp => new RegExp(`^${pattern.replace(/\{[^/}]+\}/g, '[^/]+')}$`);

describe('API Gateway fixtures', () => {
  it.each(filesIn('http-api-v2'))('%s: routeKey is a declared route and matches the request', (file) => {
    // Prepare
    const event = loadEvent<APIGatewayProxyEventV2>(file);

    // Act
    const [method = '', pattern = ''] = event.routeKey.split(' ');

    // Assess
    expect(declaredRoutes).toContain(event.routeKey);
    expect(event.requestContext.routeKey).toBe(event.routeKey);
    expect(event.requestContext.http.method).toBe(method);
    expect(event.rawPath).toMatch(patternToRegExp(pattern));
  });

  it.each(filesIn('rest-api-v1'))('%s: method and resource are a declared route; single values are the last of the multi values', (file) => {
    // Prepare
    const event = loadEvent<APIGatewayProxyEvent>(file);

    // Act
    const routeKey = `${event.httpMethod} ${event.resource}`;

    // Assess
    expect(declaredRoutes).toContain(routeKey);
    expect(event.requestContext.resourcePath).toBe(event.resource);
    expect(event.path).toMatch(patternToRegExp(event.resource));
    for (const [name, values] of Object.entries(event.multiValueHeaders)) expect(event.headers[name], name).toBe(values?.at(-1));
    for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
      expect(event.queryStringParameters?.[name], name).toBe(values?.at(-1));
    }
  });
});
