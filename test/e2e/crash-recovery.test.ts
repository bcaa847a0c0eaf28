import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startStack, type StartedStack } from '../support/npm-start.js';
import { ADMIN_AUTHORIZATION } from '../support/tokens.js';

/**
 * `npm start` killed hard and started again on the same data: nothing that was stored may be lost on
 * the way stream -> queue -> consumer, and a damaged checkpoint file must never keep the stack down.
 */
let dataDir: string;
let stack: StartedStack | undefined;

beforeAll(() => void (dataDir = mkdtempSync(join(tmpdir(), 'myevents-crash-'))));
afterAll(async () => {
  await stack?.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack!.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', authorization: ADMIN_AUTHORIZATION }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
}

const hall = { name: 'Main', location: 'ground floor', capacity: 1000 };
async function createEvent(name: string): Promise<string> {
  const location = await call('POST', '/locations', { name: `${name} hall`, address: 'Main St 1', country: 'DE', openTime: 8, closeTime: 23, halls: [hall] });
  const event = await call('POST', '/events', { name, duration: 60, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T20:00:00Z', locationId: location.json.id, hall: 'Main' });
  expect(event.status).toBe(201);
  await eventually('the booking service to learn the event', async () => ((await call('GET', `/events/${event.json.id}/bookings`)).status === 200 ? true : undefined), 60_000, () => stack!.output());
  return event.json.id as string;
}

/** Each event's seatsBooked (events service) against the seats of its stored bookings (booking service). */
async function counts(eventIds: string[]): Promise<{ booked: number; stored: number }[]> {
  return Promise.all(
    eventIds.map(async (id) => {
      const bookings: { seats: number }[] = [];
      // Every page, following `Link: <…>; rel="next"`.
      for (let next: string | undefined = `/events/${id}/bookings?limit=100`; next !== undefined; ) {
        const page = await call('GET', next);
        bookings.push(...(page.json as { seats: number }[]));
        next = /^<([^>]+)>; rel="next"$/.exec(page.headers.get('link') ?? '')?.[1];
      }
      return { booked: (await call('GET', `/events/${id}`)).json.seatsBooked as number, stored: bookings.reduce((sum, booking) => sum + booking.seats, 0) };
    }),
  );
}
const consistent = async (eventIds: string[]) => {
  const all = await counts(eventIds);
  return all.every(({ booked, stored }) => booked === stored) ? all : undefined;
};

describe('npm start survives crashes', () => {
  const eventIds: string[] = [];

  it('after SIGKILL of the whole stack in a burst of bookings, a restart counts every stored booking exactly once', async () => {
    stack = await startStack(dataDir);
    eventIds.push(await createEvent('Crash A'), await createEvent('Crash B'));

    // A burst of bookings, 8 at a time; the stack is killed once 40 have been answered.
    let answered = 0;
    let killed: Promise<void> | undefined;
    const burst = Array.from({ length: 8 }, async (_, worker) => {
      for (let i = 0; i < 20 && !killed; i += 1) {
        const eventId = eventIds[(worker + i) % 2]!;
        await call('POST', `/events/${eventId}/bookings`, { seats: 1 + (i % 3) }).catch(() => undefined);
        answered += 1;
        if (answered === 40) killed = stack!.kill('SIGKILL');
      }
    });
    await Promise.all(burst);
    await killed;

    stack = await startStack(dataDir);
    const settled = await eventually('seatsBooked to match the stored bookings of every event', () => consistent(eventIds), 90_000, () => stack!.output());
    expect(settled.reduce((sum, { stored }) => sum + stored, 0)).toBeGreaterThan(0);
  }, 400_000);

  it('starts with a truncated checkpoint file, warns, and catches up', async () => {
    await stack!.kill('SIGTERM');
    const file = join(dataDir, 'stream-checkpoints.json');
    expect(() => JSON.parse(readFileSync(file, 'utf8'))).not.toThrow();
    writeFileSync(file, '{"shardId-0000'); // what a non-atomic write left behind after SIGKILL

    stack = await startStack(dataDir);
    expect(stack.output()).toMatch(/stream-checkpoints\.json is damaged/);
    const later = await createEvent('After the damage');
    expect((await call('POST', `/events/${later}/bookings`, { seats: 2 })).status).toBe(201);
    await eventually('every count to match again', () => consistent([...eventIds, later]), 90_000, () => stack!.output());
  }, 400_000);
});
