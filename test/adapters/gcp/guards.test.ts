import { describe, expect, it } from 'vitest';
import { isFirestoreDocumentEvent, isMessagePublishedEvent } from '../../../adapters/gcp/guards.js';
import { listEventFiles, loadEvent } from '../../support/load-event.js';

/**
 * Every guard over every file in events/: true for its own trigger, false for the rest. GCP samples
 * are what arrives over HTTP (a push body, a binary-mode delivery); the guards see the CloudEvent
 * functions-framework makes of them, built here the way it does (its own conversion is exercised in
 * pubsub-adapter.test.ts and firestore-event-adapter.test.ts).
 */
function asHandedToTheFunction(file: string): unknown {
  const payload = loadEvent<Record<string, unknown>>(file);
  if (file.startsWith('gcp/pubsub/')) {
    const message = payload['message'] as { messageId: string };
    return { id: message.messageId, type: 'google.cloud.pubsub.topic.v1.messagePublished', source: '//pubsub.googleapis.com/projects/p/topics/t', data: { message } };
  }
  if (file.startsWith('gcp/firestore/')) {
    const headers = payload['headers'] as Record<string, string>;
    return { id: headers['ce-id'], type: headers['ce-type'], source: headers['ce-source'], subject: headers['ce-subject'], data: Buffer.from(String(payload['body']), 'latin1') };
  }
  return payload; // AWS payloads reach nothing on GCP unchanged
}

const guards = { pubsub: isMessagePublishedEvent, firestore: isFirestoreDocumentEvent } as const;
const files = [...listEventFiles('gcp'), ...listEventFiles('aws')];

describe('GCP type guards over every sample in events/', () => {
  it('has GCP samples of every trigger', () => {
    for (const trigger of Object.keys(guards)) expect(files.filter((file) => file.startsWith(`gcp/${trigger}/`)).length).toBeGreaterThan(0);
  });

  it.each(files)('%s: only its own guard accepts it', (file) => {
    const event = asHandedToTheFunction(file);
    for (const [trigger, guard] of Object.entries(guards)) expect(guard(event), trigger).toBe(file.startsWith(`gcp/${trigger}/`));
  });
});
