import { cloudEvent } from '@google-cloud/functions-framework';
import { google } from '@skunkteam/google-cloudevents-firestore';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { documentEventBytes, firestoreEventToChange, changeStreamTrigger } from '../../../adapters/gcp/change-stream-trigger.js';
import type { ChangeRecord } from '../../../functions/streams/contract.js';
import { serveFunction, type ServedFunction } from '../../support/functions-framework.js';
import { loadEvent, listEventFiles } from '../../support/load-event.js';

/** A Firestore trigger delivery as the emulator POSTs it (binary-mode CloudEvent, body = base64 text of DocumentEventData). */
interface Delivery {
  path: string;
  headers: Record<string, string>;
  body: string;
}

const received: ChangeRecord[] = [];
let failWith: Error | undefined;
let served: ServedFunction;

beforeAll(async () => {
  // The adapter's warning lines and functions-framework's error log: expected here, noise in the output.
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
  cloudEvent(
    'firestoreAdapterUnderTest',
    changeStreamTrigger(async (change: ChangeRecord) => {
      received.push(change);
      if (failWith) throw failWith;
    }, {}),
  );
  served = await serveFunction('firestoreAdapterUnderTest');
});

afterAll(async () => {
  await served.close();
  vi.restoreAllMocks();
});

/** POSTs a delivery through functions-framework, its body as the emulator's base64 text or as the raw protobuf bytes Firestore sends. */
async function deliver(fixture: string, encoding: 'emulator-base64' | 'raw-protobuf'): Promise<{ status: number; change: ChangeRecord | undefined }> {
  received.length = 0;
  const delivery = loadEvent<Delivery>(fixture);
  const body = encoding === 'raw-protobuf' ? Buffer.from(delivery.body, 'base64') : Buffer.from(delivery.body, 'latin1');
  const response = await fetch(`${served.url}${delivery.path}`, { method: 'POST', headers: delivery.headers, body });
  return { status: response.status, change: received[0] };
}

const PLAYER = { entity: 'player', id: '48004c2d-c173-448e-b1bb-f8ca1f3ca94d', name: 'Grace' };

describe('Firestore CloudEvent adapter, through functions-framework', () => {
  it.each(['emulator-base64', 'raw-protobuf'] as const)('an inserted player (%s) becomes an insert with the new document', async (encoding) => {
    const { status, change } = await deliver('gcp/firestore/players-insert.json', encoding);
    expect(status).toBe(204);
    expect(change).toEqual({ id: expect.any(String), kind: 'insert', key: { collection: 'players', documentId: `PLAYER#${PLAYER.id}` }, after: PLAYER });
  });

  it.each(['emulator-base64', 'raw-protobuf'] as const)('a deleted player (%s) becomes a remove with the old document only', async (encoding) => {
    const { status, change } = await deliver('gcp/firestore/players-remove.json', encoding);
    expect(status).toBe(204);
    expect(change).toEqual({ id: expect.any(String), kind: 'remove', key: { collection: 'players', documentId: `PLAYER#${PLAYER.id}` }, before: PLAYER });
  });

  it('a modified document becomes a modify with both images', async () => {
    const { change } = await deliver('gcp/firestore/bookings-modify-known-event.json', 'emulator-base64');
    expect(change?.kind).toBe('modify');
    expect(change?.before).toMatchObject({ entity: 'known-event', seatsBooked: 0 });
    expect(change?.after).toMatchObject({ entity: 'known-event', seatsBooked: 2 });
  });

  it('decodes nested maps, arrays and integers as the client library stores them', async () => {
    const { change } = await deliver('gcp/firestore/events-insert-location.json', 'raw-protobuf');
    expect(change?.after).toMatchObject({ entity: 'location', openTime: 8, halls: [{ name: 'Main', location: 'ground floor', capacity: 10 }], listName: 'locations' });
  });

  it('answers 500 when the handler fails (a trigger deployed with --retry is then retried)', async () => {
    failWith = new Error('publish failed');
    const { status } = await deliver('gcp/firestore/events-insert-event.json', 'emulator-base64');
    failWith = undefined;
    expect(status).toBe(500);
  });

  it('every sample in events/gcp/firestore decodes to a change of its collection', () => {
    for (const fixture of listEventFiles('gcp/firestore')) {
      const delivery = loadEvent<Delivery>(fixture);
      const change = firestoreEventToChange({ id: 'x', type: delivery.headers['ce-type'] ?? '', source: 's', subject: delivery.headers['ce-subject'], data: delivery.body });
      expect(fixture).toContain(String(change.key['collection']));
    }
  });
});

describe('documentEventBytes', () => {
  it('tells the base64 text of the emulator from raw protobuf bytes', () => {
    const bytes = google.events.cloud.firestore.v1.DocumentEventData.encode({ value: { name: 'projects/p/databases/(default)/documents/c/d', fields: {} } }).finish();
    expect(Buffer.from(documentEventBytes(Buffer.from(bytes)))).toEqual(Buffer.from(bytes));
    expect(Buffer.from(documentEventBytes(Buffer.from(Buffer.from(bytes).toString('base64'), 'latin1')))).toEqual(Buffer.from(bytes));
  });

  it('refuses data that is not bytes', () => {
    expect(() => firestoreEventToChange({ id: 'x', type: 'google.cloud.firestore.document.v1.written', source: 's', data: { value: 1 } })).toThrow(/not protobuf bytes/);
  });
});
