import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalHttpServer } from '../../adapters/local/http-server.js';
import { createLocalApp, type LocalApp } from '../../adapters/local/local-app.js';
import { silentLogger } from '../../adapters/shared/json-logger.js';
import { checkEdgeCase, edgeCases } from '../support/edge-cases.js';
import { validEvent, validLocation } from '../support/http-harness.js';
import { ADMIN_AUTHORIZATION } from '../support/tokens.js';
import { requestBytes, sendRaw } from '../support/raw-http.js';

/** The embedded local mode over real HTTP: streams and queues delivered in-process. */
describe('local server (in-memory, real HTTP)', () => {
  let server: Server;
  let app: LocalApp;
  let base: string;

  beforeAll(async () => {
    app = createLocalApp({ logger: silentLogger, maxAttempts: 2 });
    server = createLocalHttpServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const send = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: { 'content-type': 'application/json', authorization: ADMIN_AUTHORIZATION, ...headers },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
  };

  it.each(edgeCases.map((edgeCase) => [edgeCase.name, edgeCase] as const))('edge: %s', async (_name, edgeCase) => {
    await checkEdgeCase(base, edgeCase);
  });

  it('runs the booking scenario: location, event, learned by the booking service, booked to capacity', async () => {
    const location = await send('POST', '/locations', validLocation);
    expect(location.status).toBe(201);
    const event = await send('POST', '/events', validEvent(location.json.id, 'Side'));
    expect(event.status).toBe(201);
    await app.settle();

    const booked = await send('POST', `/events/${event.json.id}/bookings`, { seats: 3 });
    expect(booked.status).toBe(201);
    const beyond = await send('POST', `/events/${event.json.id}/bookings`, { seats: 1 });
    expect(beyond.status).toBe(409);
    await app.settle();

    expect((await send('GET', `/events/${event.json.id}`)).json.seatsBooked).toBe(3);
    expect((await send('GET', `/events/${event.json.id}/bookings`)).json).toHaveLength(1);
    expect(app.deadLetters()).toEqual([]);
  });

  it('places a new player through the players stream and removes it on delete', async () => {
    const player = await send('POST', '/players', { name: 'Mario' });
    expect(player.json.position).toBeNull();
    await app.settle();
    expect((await send('GET', `/players/${player.json.id}`)).json.position).toEqual({ x: 0, y: 0 });
    expect((await send('GET', '/map')).json).toContainEqual({ id: player.json.id, name: 'Mario', position: { x: 0, y: 0 } });

    expect((await send('DELETE', `/players/${player.json.id}`)).status).toBe(204);
    await app.settle();
    expect((await send('GET', '/map')).json.map((placed: { id: string }) => placed.id)).not.toContain(player.json.id);
  });

  it('answers malformed JSON with 400 and a JSON error body carrying the x-request-id', async () => {
    const result = await send('POST', '/locations', '{"name":');
    expect(result.status).toBe(400);
    expect(result.json.error.code).toBe('MALFORMED_JSON');
    expect(result.json.error.requestId).toBe(result.headers.get('x-request-id'));
  });

  it('answers an oversized body with 413', async () => {
    const result = await send('POST', '/locations', 'x'.repeat(2 * 1024 * 1024));
    expect(result.status).toBe(413);
  });

  it('answers unknown routes with 404 and wrong methods with 405', async () => {
    expect((await send('GET', '/nothing-here')).status).toBe(404);
    const wrong = await send('PATCH', '/players');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('POST');
  });

  it('books a 10-seat hall exactly full under 30 concurrent HTTP requests', async () => {
    const location = await send('POST', '/locations', { ...validLocation, name: 'Concurrency Hall' });
    const event = await send('POST', '/events', { ...validEvent(location.json.id, 'Main'), name: 'Rush' });
    await app.settle();
    const results = await Promise.all(Array.from({ length: 30 }, () => send('POST', `/events/${event.json.id}/bookings`, { seats: 1 })));
    expect(results.filter((result) => result.status === 201)).toHaveLength(10);
    await app.settle();
    expect((await send('GET', `/events/${event.json.id}`)).json.seatsBooked).toBe(10);
  });
});

describe("the local front door's own answers (adapters/local/front-door.ts, the same server in every local mode)", () => {
  it('answers 408 REQUEST_TIMEOUT, in our shape, to a client that does not finish its request in time, and keeps serving', async () => {
    const server = createLocalHttpServer(createLocalApp({ logger: silentLogger }), { requestTimeoutMs: 300 });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      // The head of a request without its blank line: the server waits for the rest until its timeout.
      const unfinished = requestBytes('GET', '/events', { 'x-slow': 'yes' }).subarray(0, 40);
      const answer = await sendRaw(port, unfinished, { timeoutMs: 5_000 });
      expect(answer.outcome).toBe('answered');
      expect(answer.status).toBe(408);
      const body = JSON.parse(answer.body) as { error: { code: string; requestId: string } };
      expect(body.error.code).toBe('REQUEST_TIMEOUT');
      expect(body.error.requestId).toBe(answer.headers['x-request-id']);
      expect((await fetch(`http://127.0.0.1:${port}/events`)).status).toBe(200);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
