import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { deliverWithRetry } from '../../offline/gcp/gcp-stack.js';

/** A function that answers the given statuses in turn (the last one from then on), recording what it received. */
async function functionAnswering(statuses: number[]): Promise<{ port: number; received: { headers: Record<string, unknown>; body: string }[]; server: Server }> {
  const received: { headers: Record<string, unknown>; body: string }[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('latin1') });
      response.writeHead(statuses[Math.min(received.length, statuses.length) - 1] ?? 200).end();
    });
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  return { port: (server.address() as AddressInfo).port, received, server };
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((closed) => server.close(closed))));
});

const event = { method: 'POST', headers: { 'ce-id': 'e-1', 'ce-type': 'google.cloud.firestore.document.v1.written', 'content-type': 'application/protobuf' }, body: Buffer.from([0x0a, 0x01, 0xff]) };
const quick = { attempts: 4, firstBackoffMs: 5, maxBackoffMs: 20 };

describe('the start:gcp trigger relay delivers a Firestore event as a --retry trigger is delivered', () => {
  it('retries a delivery the function failed until it takes it, with the same headers and bytes', async () => {
    const fn = await functionAnswering([500, 503, 204]);
    servers.push(fn.server);
    expect(await deliverWithRetry(fn.port, event, quick)).toBe(204);
    expect(fn.received).toHaveLength(3);
    for (const delivery of fn.received) {
      expect(delivery.headers).toMatchObject({ 'ce-id': 'e-1', 'content-type': 'application/protobuf' });
      expect(delivery.body).toBe(Buffer.from([0x0a, 0x01, 0xff]).toString('latin1'));
    }
  });

  it('gives up after its attempts, answering the last status', async () => {
    const fn = await functionAnswering([500]);
    servers.push(fn.server);
    expect(await deliverWithRetry(fn.port, event, quick)).toBe(500);
    expect(fn.received).toHaveLength(4);
  });

  it('does not retry an event the function refuses for good (4xx)', async () => {
    const fn = await functionAnswering([400]);
    servers.push(fn.server);
    expect(await deliverWithRetry(fn.port, event, quick)).toBe(400);
    expect(fn.received).toHaveLength(1);
  });

  it('retries while nothing listens on the port, answering 0 at the end', async () => {
    const fn = await functionAnswering([204]);
    const { port } = fn;
    await new Promise((closed) => fn.server.close(closed));
    expect(await deliverWithRetry(port, event, quick)).toBe(0);
  });
});
