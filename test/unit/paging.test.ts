import { describe, expect, it } from 'vitest';
import { httpHarness, validEvent, validLocation, type CallResult } from '../support/http-harness.js';

type Harness = ReturnType<typeof httpHarness>;
type Fn = 'eventsApi' | 'bookingsApi' | 'playersApi';

/** The target of a `Link: <…>; rel="next"` header, or undefined when there is none. */
function nextLink(result: CallResult): string | undefined {
  const link = result.headers['link'];
  if (link === undefined) return undefined;
  const match = /^<([^>]+)>; rel="next"$/.exec(link);
  if (!match) throw new Error(`not an RFC 8288 next link: ${link}`);
  return match[1];
}

/** Follows `Link: rel="next"` from `path` to the last page, as a client would. */
async function followPages(harness: Harness, fn: Fn, path: string): Promise<CallResult[]> {
  const pages: CallResult[] = [];
  for (let next: string | undefined = path; next !== undefined && pages.length < 1000; next = nextLink(pages.at(-1)!)) {
    pages.push(await harness.call(fn, 'GET', next));
  }
  return pages;
}

async function withEvents(count: number) {
  const harness = httpHarness();
  const location = await harness.call('eventsApi', 'POST', '/locations', validLocation);
  const created = [];
  for (let index = 0; index < count; index += 1) {
    const start = new Date(Date.UTC(2027, 0, 1 + ((index * 7) % count))).toISOString();
    const body = { ...validEvent(location.json.id), name: `Event ${index}`, startDate: start, endDate: '2028-01-01T00:00:00Z' };
    created.push((await harness.call('eventsApi', 'POST', '/events', body)).json);
  }
  return { harness, created };
}

describe('paged lists over HTTP', () => {
  it('GET /events?limit=2 announces the next page in a Link header until the last page, which has none', async () => {
    const { harness, created } = await withEvents(5);
    const pages = await followPages(harness, 'eventsApi', '/events?limit=2');
    expect(pages.map((page) => page.status)).toEqual([200, 200, 200]);
    expect(pages.map((page) => page.json.length)).toEqual([2, 2, 1]);
    expect(nextLink(pages[0]!)).toMatch(/^\/events\?limit=2&cursor=[\w-]+$/);
    expect(pages[2]!.headers['link']).toBeUndefined();
    const byStart = [...created].sort((a, b) => a.startDate.localeCompare(b.startDate) || a.id.localeCompare(b.id));
    expect(pages.flatMap((page) => page.json)).toEqual(byStart);
  });

  it('pages 50 by default and at most 100', async () => {
    const harness = httpHarness();
    for (let index = 0; index < 120; index += 1) await harness.call('eventsApi', 'POST', '/locations', validLocation);
    const first = await harness.call('eventsApi', 'GET', '/locations');
    expect(first.json).toHaveLength(50);
    expect(nextLink(first)).toMatch(/^\/locations\?limit=50&cursor=/);
    const largest = await harness.call('eventsApi', 'GET', '/locations?limit=100');
    expect(largest.json).toHaveLength(100);
    const rest = await harness.call('eventsApi', 'GET', nextLink(largest)!);
    expect(rest.json).toHaveLength(20);
    expect(rest.headers['link']).toBeUndefined();
  });

  it.each(['0', '101', '-1', 'ten', '1e2', '2.5', ' 5', ''])('refuses ?limit=%j with a 400 naming limit', async (limit) => {
    const harness = httpHarness();
    const result = await harness.call('eventsApi', 'GET', `/events?limit=${encodeURIComponent(limit)}`);
    expect(result.status).toBe(400);
    expect(result.json.error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'limit' }], requestId: 'req-1' });
  });

  it('refuses a malformed cursor, and a cursor of another list, with a 400 naming cursor', async () => {
    const { harness } = await withEvents(3);
    await harness.call('eventsApi', 'POST', '/locations', validLocation);
    const eventsCursor = new URLSearchParams(nextLink(await harness.call('eventsApi', 'GET', '/events?limit=1'))!.split('?')[1]).get('cursor')!;
    for (const [fn, path] of [
      ['eventsApi', '/events?cursor=garbage!'],
      ['eventsApi', `/events?cursor=${eventsCursor.slice(1)}`],
      ['eventsApi', `/locations?cursor=${eventsCursor}`],
      ['playersApi', `/map?cursor=${eventsCursor}`],
    ] as const) {
      const result = await harness.call(fn, 'GET', path);
      expect(result.status, path).toBe(400);
      expect(result.json.error).toMatchObject({ code: 'INVALID_CURSOR', details: [{ field: 'cursor' }], requestId: 'req-1' });
    }
  });

  it("pages an event's bookings, and refuses the cursor of another event's bookings", async () => {
    const harness = httpHarness();
    for (const eventId of ['ev-a', 'ev-b']) {
      await harness.deps.bookingsApi.bookings.rememberEvent({ eventId, capacity: 100, seatsBooked: 0 });
      for (let index = 0; index < 3; index += 1) {
        harness.clock.set(`2026-05-01T10:00:0${3 - index}.000Z`);
        await harness.call('bookingsApi', 'POST', `/events/${eventId}/bookings`, { seats: 1 });
      }
    }
    const pages = await followPages(harness, 'bookingsApi', '/events/ev-a/bookings?limit=2');
    expect(pages.map((page) => page.json.length)).toEqual([2, 1]);
    const createdAt = pages.flatMap((page) => page.json.map((booking: { createdAt: string }) => booking.createdAt));
    expect(createdAt).toEqual([...createdAt].sort());
    const foreign = nextLink(pages[0]!)!.replace('/events/ev-a/', '/events/ev-b/');
    expect((await harness.call('bookingsApi', 'GET', foreign)).json.error.code).toBe('INVALID_CURSOR');
  });

  it('pages the map', async () => {
    const harness = httpHarness();
    for (const id of ['p3', 'p1', 'p2']) await harness.deps.playersApi.gameMap.placeIfAbsent({ id, name: id, position: { x: 0, y: 0 } });
    const pages = await followPages(harness, 'playersApi', '/map?limit=2');
    expect(pages.flatMap((page) => page.json.map((player: { id: string }) => player.id))).toEqual(['p1', 'p2', 'p3']);
  });
});
