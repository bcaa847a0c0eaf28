import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, startStack, type StartedStack } from '../support/npm-start.js';
import { ADMIN_AUTHORIZATION } from '../support/tokens.js';

/** 200 concurrent bookings through `npm start`: every answer is true, none is a 200 carrying an error. */
let dataDir: string;
let stack: StartedStack | undefined;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'myevents-load-'));
  stack = await startStack(dataDir);
}, 240_000);
afterAll(async () => {
  await stack?.kill('SIGTERM');
  rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

async function call(method: string, path: string, body?: unknown) {
  const response = await fetch(`${stack!.baseUrl}${path}`, { method, headers: { 'content-type': 'application/json', authorization: ADMIN_AUTHORIZATION }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: response.status, text: await response.text() };
}

it('prints at most 15 lines before the banner, and one line for one HTTP request', async () => {
  const [beforeBanner = ''] = stack!.output().split('MyEvents is running');
  expect(beforeBanner.split('\n').filter((line) => line.trim() !== '').length).toBeLessThanOrEqual(15);

  const before = stack!.output().length;
  await call('GET', '/events?limit=7');
  const line = await eventually('the access line', async () => stack!.output().slice(before).match(/^GET \/events\?limit=7 → 200 in \d+ ms \(eventsApi\) \[trace [0-9a-f]{8}\]$/m)?.[0]);
  // Anything else printed for the request would show up within the same moment as its access line.
  await new Promise((settled) => setTimeout(settled, 500));
  expect(stack!.output().slice(before).split('\n').filter((printed) => printed.trim() !== '')).toEqual([line]);
}, 60_000);

it('prints one line per stream or queue invocation, saying what it was given and what it published', async () => {
  const before = stack!.output().length;
  const created = await call('POST', '/locations', { name: 'Console Arena', address: 'Main St 1', country: 'DE', openTime: 8, closeTime: 23, halls: [{ name: 'A', location: 'ground floor', capacity: 2 }] });
  const id = (JSON.parse(created.text) as { id: string }).id.slice(0, 8);
  const printed = () => stack!.output().slice(before);
  const outbox = await eventually('the outbox line', async () => printed().match(new RegExp(`^eventsOutbox: INSERT LOCATION#${id}…, 0 failed → LocationCreated ${id}… on myevents-local-bookings \\[trace [0-9a-f]{8}\\]$`, 'm'))?.[0]);
  const consumer = await eventually('the consumer line', async () => printed().match(new RegExp(`^bookingsConsumer: LocationCreated ${id}…, 0 failed \\[trace [0-9a-f]{8}\\]$`, 'm'))?.[0]);
  await new Promise((settled) => setTimeout(settled, 500));
  const lines = printed().split('\n').filter((line) => line.trim() !== '');
  expect(lines).toHaveLength(3); // the request's access line, then one line per invocation
  expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/^POST \/locations → 201 in \d+ ms \(eventsApi\) \[trace [0-9a-f]{8}\]$/), outbox, consumer]));
}, 60_000);

it('books exactly 25 of 200 concurrent single-seat requests on a 25-seat hall and refuses 175, without timeouts', async () => {
  const location = JSON.parse(
    (await call('POST', '/locations', { name: 'Small hall', address: 'Main St 1', country: 'DE', openTime: 8, closeTime: 23, halls: [{ name: 'A', location: 'ground floor', capacity: 25 }] })).text,
  );
  const event = JSON.parse((await call('POST', '/events', { name: 'Rush', duration: 60, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T20:00:00Z', locationId: location.id, hall: 'A' })).text);
  await eventually('the booking service to learn the event', async () => ((await call('GET', `/events/${event.id}/bookings`)).status === 200 ? true : undefined), 60_000, () => stack!.output());

  const answers = await Promise.all(Array.from({ length: 200 }, () => call('POST', `/events/${event.id}/bookings`, { seats: 1 })));
  const byStatus = new Map<number, number>();
  for (const { status } of answers) byStatus.set(status, (byStatus.get(status) ?? 0) + 1);
  const unexpected = answers.filter(({ status }) => status !== 201 && status !== 409);
  expect(unexpected.slice(0, 3), `statuses ${JSON.stringify([...byStatus])}`).toEqual([]);
  expect(Object.fromEntries(byStatus)).toEqual({ 201: 25, 409: 175 });
  for (const { text } of answers) expect(text).not.toContain('errorMessage');

  await eventually('the events service to count 25 seats', async () => (JSON.parse((await call('GET', `/events/${event.id}`)).text).seatsBooked === 25 ? true : undefined));
}, 300_000);
