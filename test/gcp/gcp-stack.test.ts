import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import type { Message } from '@google-cloud/pubsub';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPubSub } from '../../adapters/gcp/pubsub-publisher.js';
import { freePort } from '../../offline/shared/ports.js';
import { LOCAL_PROJECT_ID } from '../../offline/gcp/gcp-emulators.js';
import { startGcpStack, type GcpStack, type GcpStackPorts } from '../../offline/gcp/gcp-stack.js';
import { startEngine } from '../support/engine-start.js';
import { ADMIN_AUTHORIZATION } from '../support/tokens.js';

/**
 * The whole Google Cloud build end to end, as `npm run start:gcp` runs it: dist/gcp bundles served by
 * functions-framework (one process per function), the Firestore emulator delivering trigger events
 * through the relay, Pub/Sub push subscriptions with dead-letter topics, the front door. On free ports.
 */

const OUT_DIR = `dist/gcp-test-${randomUUID().slice(0, 8)}`;
let stack: GcpStack | undefined;

async function freePorts(): Promise<GcpStackPorts> {
  const next = () => freePort();
  return {
    frontDoor: await next(),
    relay: await next(),
    firestore: await next(),
    pubsub: await next(),
    functions: {
      eventsApi: await next(),
      bookingsApi: await next(),
      playersApi: await next(),
      eventsOutbox: await next(),
      bookingsOutbox: await next(),
      placePlayers: await next(),
      bookingsConsumer: await next(),
      eventsConsumer: await next(),
    },
  };
}

beforeAll(async () => {
  const ports = await freePorts();
  stack = await startEngine('the start:gcp stack (Firestore and Pub/Sub emulators of the Google Cloud SDK, java)', () => startGcpStack({ ports, outDir: OUT_DIR, log: () => undefined, functionOutput: 'ignore' }));
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(OUT_DIR, { recursive: true, force: true });
}, 60_000);

const running = (): GcpStack => {
  if (stack === undefined) throw new Error('the stack did not start: see the error of beforeAll');
  return stack;
};

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = { 'content-type': 'application/json' }) {
  const response = await fetch(`${running().url}${path}`, { method, headers: { authorization: ADMIN_AUTHORIZATION, ...headers }, ...(body === undefined ? {} : { body: typeof body === 'string' ? Buffer.from(body) : JSON.stringify(body) }) });
  const text = await response.text();
  return { status: response.status, text, json: text.startsWith('{') || text.startsWith('[') ? (JSON.parse(text) as unknown) : undefined };
}

/** Asks again until `accept` holds: the queue and trigger hops are asynchronous. The test's own timeout bounds it. */
async function eventually<T>(ask: () => Promise<T>, accept: (value: T) => boolean): Promise<T> {
  for (;;) {
    const value = await ask();
    if (accept(value)) return value;
    await new Promise((done) => setTimeout(done, 250));
  }
}

describe('Google Cloud stack on the emulators', () => {
  it('books seats once the booking service has learned the event, and counts them on the event', async () => {
    const location = await call('POST', '/locations', { name: 'Arena', address: 'Main St 1', country: 'DE', openTime: 8, closeTime: 23, halls: [{ name: 'A', location: 'ground floor', capacity: 2 }] });
    expect(location.status).toBe(201);
    const locationId = (location.json as { id: string }).id;
    const event = await call('POST', '/events', { name: 'Aida', duration: 180, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId, hall: 'A' });
    expect(event.status).toBe(201);
    const eventId = (event.json as { id: string }).id;

    // eventsOutbox (Firestore trigger) → bookings topic → bookingsConsumer (push)
    await eventually(() => call('GET', `/events/${eventId}/bookings`), (answer) => answer.status === 200);
    expect((await call('POST', `/events/${eventId}/bookings`, { seats: 2 })).status).toBe(201);
    const refused = await call('POST', `/events/${eventId}/bookings`, { seats: 1 });
    expect(refused.status).toBe(409);

    // bookingsOutbox (Firestore trigger) → events topic → eventsConsumer (push)
    const counted = await eventually(() => call('GET', `/events/${eventId}`), (answer) => (answer.json as { seatsBooked?: number }).seatsBooked === 2);
    expect(counted.json).toMatchObject({ id: eventId, capacity: 2, seatsBooked: 2 });
  }, 90_000);

  it('places a new player on the map and takes a deleted one off it, through the Firestore trigger', async () => {
    const created = await call('POST', '/players', { name: 'Mario' });
    expect(created.status).toBe(201);
    const playerId = (created.json as { id: string }).id;
    const onMap = await eventually(() => call('GET', '/map?limit=100'), (answer) => answer.text.includes(playerId));
    expect(onMap.json).toContainEqual({ id: playerId, name: 'Mario', position: { x: 0, y: 0 } });
    expect((await call('DELETE', `/players/${playerId}`)).status).toBe(204);
    await eventually(() => call('GET', '/map?limit=100'), (answer) => !answer.text.includes(playerId));
  }, 60_000);

  it('answers malformed JSON with 400 MALFORMED_JSON, with or without a content-type (functions-framework\'s own page made ours by the front door)', async () => {
    const undeclared = await call('POST', '/locations', '{"name":', {});
    expect(undeclared.status).toBe(400);
    expect(undeclared.json).toMatchObject({ error: { code: 'MALFORMED_JSON' } });
    const declared = await call('POST', '/locations', '{"name":', { 'content-type': 'application/json' });
    expect(declared.status).toBe(400);
    expect(declared.json).toMatchObject({ error: { code: 'MALFORMED_JSON' } });
    expect(declared.text).not.toContain('SyntaxError');
  }, 30_000);

  it('moves a poison message to the dead-letter topic after 5 failed deliveries', async () => {
    // Prepare
    const pubsub = createPubSub({ projectId: LOCAL_PROJECT_ID, apiEndpoint: running().pubsubHost });
    const { subscription: deadLetterSubscription } = running().deadLetters.events;
    const deadLetters = pubsub.subscription(deadLetterSubscription);
    const deadLettered = new Promise<Message>((resolve, reject) => {
      deadLetters.once('message', (message: Message) => {
        message.ack();
        resolve(message);
      });
      deadLetters.once('error', reject);
    });

    // Act: eventsConsumer fails on it every time (not JSON), answering 500.
    await pubsub.topic('events').publishMessage({ data: Buffer.from('this is not JSON {'), attributes: { type: 'EventBooked' } });

    // Assess
    const message = await deadLettered;
    await deadLetters.close();
    await pubsub.close();
    expect(message.data.toString('utf8')).toBe('this is not JSON {');
    expect(message.attributes['CloudPubSubDeadLetterSourceDeliveryCount']).toBe('5');
  }, 90_000);
});
