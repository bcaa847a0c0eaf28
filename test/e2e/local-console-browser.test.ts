import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalHttpServer } from '../../adapters/local/http-server.js';
import { createLocalApp, type LocalApp } from '../../adapters/local/local-app.js';
import { recordSpansInto, SpanStore, type LocalSpan } from '../../adapters/local/span-store.js';
import { silentLogger } from '../../adapters/shared/json-logger.js';
import { validEvent, validLocation } from '../support/http-harness.js';
import { ADMIN_AUTHORIZATION, USER_AUTHORIZATION } from '../support/tokens.js';

/**
 * The local console's page in a real browser: Debian's chromium (`apt-get install chromium`; .ci/run installs
 * it when missing) driven by playwright-core, against memory mode's front door on a real socket. It lists a
 * fresh trace, draws one bar per hop, and redrives a dead letter that is then consumed. It also writes the
 * README's screenshot (docs/follow-one-booking.png).
 */
const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = join(import.meta.dirname, '../../docs/follow-one-booking.png');
const T_BOOKING = '5c1d4e8f2a3b47c6a9d0e1f2a3b4c5d6';

let next = 0;
const ids = { newId: () => `id-${(next += 1)}` };

describe('the local console page, in chromium', () => {
  let server: Server;
  let app: LocalApp;
  let base: string;
  let stopRecording: () => void;
  let context: BrowserContext;
  let page: Page;
  let profile: string;

  beforeAll(async () => {
    const spans = new SpanStore();
    stopRecording = recordSpansInto(spans);
    app = createLocalApp({ logger: silentLogger, maxAttempts: 2, ids });
    server = createLocalHttpServer(app, { spans });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    profile = mkdtempSync(join(tmpdir(), 'myevents-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1280, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = context.pages()[0] ?? (await context.newPage());
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    stopRecording?.();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (profile) rmSync(profile, { recursive: true, force: true });
  });

  const send = async (method: string, path: string, body: unknown, headers: Record<string, string>) => {
    const response = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    return (await response.json()) as { id: string };
  };

  it('lists a fresh trace, draws one bar per hop, and redrives a dead letter that is then consumed', async () => {
    const location = await send('POST', '/locations', validLocation, { authorization: ADMIN_AUTHORIZATION });
    const event = await send('POST', '/events', validEvent(location.id, 'Side'), { authorization: ADMIN_AUTHORIZATION });
    await app.settle();
    await send('POST', `/events/${event.id}/bookings`, { seats: 2 }, { authorization: USER_AUTHORIZATION, traceparent: `00-${T_BOOKING}-00f067aa0ba902b7-01` });
    await app.settle();
    // A message naming an event that does not exist yet (the next id): it fails twice and is dead-lettered.
    const futureEvent = `id-${next + 2}`;
    const message = { id: 'booking-late', type: 'EventBooked', source: 'myevents.bookings', time: '2026-05-01T10:00:00.000Z', data: { bookingId: 'booking-late', eventId: futureEvent, seats: 1, createdAt: '2026-05-01T10:00:00.000Z' } };
    app.send('eventsQueue', JSON.stringify(message), '00-7d2f5e8a1b3c4d6e8f9a0b1c2d3e4f5a-1a2b3c4d5e6f7a8b-01');
    await app.settle();

    // The page breaks no rule of its own Content-Security-Policy (a refused inline style logs an error).
    const errors: string[] = [];
    page.on('console', (entry) => void (entry.type() === 'error' && errors.push(entry.text())));
    page.on('pageerror', (error) => void errors.push(error.message));
    await page.goto(`${base}/_local/#trace=${T_BOOKING}`);
    // The fresh trace is listed, with its root request.
    const row = page.locator(`#trace-rows tr[data-trace-id="${T_BOOKING}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(await row.textContent()).toContain(`POST /events/${event.id}/bookings`);
    // Its waterfall: one bar per hop of the trace, as GET /_local/traces/{id} lists them.
    const { spans } = (await (await fetch(`${base}/_local/traces/${T_BOOKING}`)).json()) as { spans: LocalSpan[] };
    expect(spans.map((span) => span.function)).toEqual(expect.arrayContaining(['bookingsApi', 'bookingsOutbox', 'eventsConsumer']));
    await page.waitForFunction(`document.querySelectorAll('#bars .bar').length === ${spans.length}`, undefined, { timeout: 10_000 });
    const kinds = await page.locator('#bars .bar').evaluateAll((bars) => bars.map((bar) => bar.getAttribute('data-kind')));
    expect(kinds).toEqual(spans.map((span) => span.kind));
    // Bars on a time axis: the consumer's hop starts right of the request's, and no bar is wider than the axis.
    const boxes = await page.locator('#bars .bar').evaluateAll((bars) => bars.map((bar) => bar.getBoundingClientRect().toJSON() as { x: number; width: number }));
    const track = (await page.locator('#bars .track').first().boundingBox())!;
    const at = (fn: string) => boxes[spans.findIndex((span) => span.function === fn)]!;
    expect(at('eventsConsumer').x).toBeGreaterThan(at('bookingsApi').x);
    for (const box of boxes) expect(box.x + box.width).toBeLessThanOrEqual(track.x + track.width + 1);
    mkdirSync(join(SCREENSHOT, '..'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // The dead letter, with its button; once the event exists, the redrive is consumed.
    const button = page.locator('tr[data-queue="eventsQueue"] button.redrive');
    await button.waitFor({ timeout: 10_000 });
    const location2 = await send('POST', '/locations', validLocation, { authorization: ADMIN_AUTHORIZATION });
    const created = await send('POST', '/events', { ...validEvent(location2.id, 'Side'), name: 'Late event' }, { authorization: ADMIN_AUTHORIZATION });
    expect(created.id).toBe(futureEvent);
    await button.click();
    await page.locator('tr[data-queue="eventsQueue"] button.redrive').waitFor({ state: 'detached', timeout: 10_000 });
    await app.settle();
    const counted = (await (await fetch(`${base}/events/${futureEvent}`)).json()) as { seatsBooked: number };
    expect(counted.seatsBooked).toBe(1);
    expect(app.deadLetters()).toEqual([]);
    expect(errors).toEqual([]);
  }, 60_000);
});
