import { describe, expect, it } from 'vitest';
import { isApiGatewayV1Event, isApiGatewayV2Event, isDynamoDbStreamEvent, isSqsEvent } from '../../adapters/aws/guards.js';
import { isFirestoreDocumentEvent, isMessagePublishedEvent } from '../../adapters/gcp/guards.js';
import { listEventFiles, loadEvent } from '../support/load-event.js';

/**
 * Every payload guard of every platform over every sample under events/: true for its own trigger's
 * samples, false for all others. Azure has no payload guards: its host binds each trigger to the
 * function registered for it and hands over typed arguments, so Azure samples only have to be refused
 * by every other platform's guards.
 */
const guards = {
  'aws/http-api-v2': isApiGatewayV2Event,
  'aws/rest-api-v1': isApiGatewayV1Event,
  'aws/sqs': isSqsEvent,
  'aws/dynamodb-stream': isDynamoDbStreamEvent,
  'gcp/pubsub': isMessagePublishedEvent,
  'gcp/firestore': isFirestoreDocumentEvent,
} satisfies Record<string, (event: unknown) => boolean>;

const files = ['aws', 'azure', 'gcp'].flatMap(listEventFiles);
const triggerOf = (file: string): string => file.split('/').slice(0, 2).join('/');

/**
 * A sample as the function receives it. GCP samples are what reaches functions-framework over HTTP (a
 * push body, a binary-mode CloudEvent delivery); the function sees the CloudEvent made of it, built here
 * as functions-framework builds it (its own conversion runs in test/adapters/gcp/).
 */
function asHandedToTheFunction(file: string): unknown {
  const payload = loadEvent<Record<string, unknown>>(file);
  if (triggerOf(file) === 'gcp/pubsub') {
    const message = payload['message'] as { messageId: string };
    return { id: message.messageId, type: 'google.cloud.pubsub.topic.v1.messagePublished', source: '//pubsub.googleapis.com/projects/p/topics/t', data: { message } };
  }
  if (triggerOf(file) === 'gcp/firestore') {
    const headers = payload['headers'] as Record<string, string>;
    return { id: headers['ce-id'], type: headers['ce-type'], source: headers['ce-source'], subject: headers['ce-subject'], data: Buffer.from(String(payload['body']), 'latin1') };
  }
  return payload;
}

describe('payload guards of every platform over every sample in events/', () => {
  it('has samples of every guarded trigger, and every sample belongs to a known trigger', () => {
    const azureTriggers = ['azure/http', 'azure/storage-queue', 'azure/cosmos-db'];
    for (const trigger of Object.keys(guards)) expect(files.filter((file) => triggerOf(file) === trigger).length, trigger).toBeGreaterThan(0);
    expect(files.filter((file) => !(triggerOf(file) in guards) && !azureTriggers.includes(triggerOf(file)))).toEqual([]);
  });

  it.each(files)('%s: claimed by its own guard only', (file) => {
    const event = asHandedToTheFunction(file);
    const verdicts = Object.fromEntries(Object.entries(guards).map(([trigger, guard]) => [trigger, guard(event)]));
    expect(verdicts).toEqual(Object.fromEntries(Object.keys(guards).map((trigger) => [trigger, trigger === triggerOf(file)])));
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['undefined', undefined],
    ['{}', {}],
    ['[]', []],
    ["'string'", 'string'],
    ['{ Records: [] }', { Records: [] }],
    ['a batch mixing SQS and DynamoDB records', { Records: [loadEvent<{ Records: unknown[] }>('aws/sqs/single-event-booked.json').Records[0], loadEvent<{ Records: unknown[] }>('aws/dynamodb-stream/players-table-insert.json').Records[0]] }],
    ['a CloudEvent of another type', { id: '1', type: 'google.cloud.storage.object.v1.finalized', source: '//storage', data: {} }],
    ['a messagePublished CloudEvent without a message', { id: '1', type: 'google.cloud.pubsub.topic.v1.messagePublished', source: '//pubsub', data: {} }],
  ])('no guard claims %s', (_label, value) => {
    expect(Object.values(guards).map((guard) => guard(value))).toEqual(Object.values(guards).map(() => false));
  });
});
