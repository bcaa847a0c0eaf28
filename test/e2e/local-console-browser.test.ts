import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
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
import { freePort } from '../../offline/shared/ports.js';
import { hasExited, stopProcessGroup } from '../../offline/shared/process-group.js';
import { validEvent, validLocation } from '../support/http-harness.js';
import { eventually } from '../support/npm-start.js';
import { ADMIN_AUTHORIZATION, USER_AUTHORIZATION } from '../support/tokens.js';

/**
 * The local console's page in a real browser: Debian's chromium (`apt-get install chromium`; .ci/run installs
 * it when missing) driven by playwright-core.
 * - Through `npm run start:memory` as the README prints it (on a free port, PORT): a booking sent with a
 *   traceparent is listed as a fresh trace, its waterfall has one bar per hop, and the page makes the README's
 *   screenshot: written to docs/follow-one-booking.png only with UPDATE_SCREENSHOT=1 (else to a temporary
 *   folder), so that a run leaves the working tree as it found it.
 * - A dead letter redriven from the page and then consumed, on memory mode's front door in this process: the
 *   poison message must name an event that is created only after it is dead-lettered, which needs ids known
 *   in advance (the real command's are random) and a way to send a message by hand (no HTTP route does).
 */
const CHROMIUM = '/usr/bin/chromium';
const COMMITTED_SCREENSHOT = join(import.meta.dirname, '../../docs/follow-one-booking.png');
const T_BOOKING = '5c1d4e8f2a3b47c6a9d0e1f2a3b4c5d6';
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

let next = 0;
const ids = { newId: () => `id-${(next += 1)}` };

describe('the local console page, in chromium', () => {
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  let scratch: string;

  beforeAll(async () => {
    profile = mkdtempSync(join(tmpdir(), 'myevents-chromium-'));
    scratch = mkdtempSync(join(tmpdir(), 'myevents-console-'));
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
    for (const dir of [profile, scratch]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Errors the page logs (a style its Content-Security-Policy refuses logs one), from now on. */
  const pageErrors = (): string[] => {
    const errors: string[] = [];
    page.on('console', (entry) => void (entry.type() === 'error' && errors.push(entry.text())));
    page.on('pageerror', (error) => void errors.push(error.message));
    return errors;
  };

  const sendTo =
    (base: string) =>
    async (method: string, path: string, body: unknown, headers: Record<string, string>): Promise<{ id: string }> => {
      const response = await fetch(`${base}${path}`, { method, headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return (await response.json()) as { id: string };
    };

  describe('through `npm run start:memory`', () => {
    let child: ChildProcess;
    let output = '';
    let base: string;

    beforeAll(async () => {
      const port = await freePort();
      child = spawn('npm', ['run', 'start:memory'], { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: String(port) } });
      child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      await eventually('npm run start:memory to be running', async () => (output.includes('MyEvents is running') ? true : hasExited(child) ? Promise.reject(new Error('it exited')) : undefined), 60_000, () => output);
      base = `http://127.0.0.1:${port}`;
    }, 90_000);

    afterAll(async () => {
      if (child) await stopProcessGroup(child);
    });

    it('lists a fresh trace, draws one bar per hop, and makes the README screenshot', async () => {
      const send = sendTo(base);
      const location = await send('POST', '/locations', validLocation, { authorization: ADMIN_AUTHORIZATION });
      const event = await send('POST', '/events', validEvent(location.id, 'Side'), { authorization: ADMIN_AUTHORIZATION });
      // The booking service learns the event through a queue hop.
      await eventually('the booking service to learn the event', async () => ((await fetch(`${base}/events/${event.id}/bookings`, { headers: { authorization: ADMIN_AUTHORIZATION } })).status === 200 ? true : undefined), 20_000, () => output);
      await send('POST', `/events/${event.id}/bookings`, { seats: 2 }, { authorization: USER_AUTHORIZATION, traceparent: `00-${T_BOOKING}-00f067aa0ba902b7-01` });
      // Every hop of the booking recorded: the request, its outbox change, the consumer.
      const spans = await eventually(
        'the booking trace to reach eventsConsumer',
        async () => {
          const answer = await fetch(`${base}/_local/traces/${T_BOOKING}`);
          if (answer.status !== 200) return undefined;
          const { spans: found } = (await answer.json()) as { spans: LocalSpan[] };
          return found.some((span) => span.function === 'eventsConsumer') ? found : undefined;
        },
        20_000,
        () => output,
      );
      expect(spans.map((span) => span.function)).toEqual(expect.arrayContaining(['bookingsApi', 'bookingsOutbox', 'eventsConsumer']));

      const errors = pageErrors();
      await page.goto(`${base}/_local/#trace=${T_BOOKING}`);
      // The fresh trace is listed, with its root request.
      const row = page.locator(`#trace-rows tr[data-trace-id="${T_BOOKING}"]`);
      await row.waitFor({ timeout: 10_000 });
      expect(await row.textContent()).toContain(`POST /events/${event.id}/bookings`);
      // Its waterfall: one bar per hop of the trace, as GET /_local/traces/{id} lists them.
      await page.waitForFunction(`document.querySelectorAll('#bars .bar').length === ${spans.length}`, undefined, { timeout: 10_000 });
      const kinds = await page.locator('#bars .bar').evaluateAll((bars) => bars.map((bar) => bar.getAttribute('data-kind')));
      expect(kinds).toEqual(spans.map((span) => span.kind));
      // Bars on a time axis: the consumer's hop starts right of the request's, and no bar is wider than the axis.
      const boxes = await page.locator('#bars .bar').evaluateAll((bars) => bars.map((bar) => bar.getBoundingClientRect().toJSON() as { x: number; width: number }));
      const track = (await page.locator('#bars .track').first().boundingBox())!;
      const at = (fn: string) => boxes[spans.findIndex((span) => span.function === fn)]!;
      expect(at('eventsConsumer').x).toBeGreaterThan(at('bookingsApi').x);
      for (const box of boxes) expect(box.x + box.width).toBeLessThanOrEqual(track.x + track.width + 1);

      // The README's picture: rewritten only when asked (UPDATE_SCREENSHOT=1), so a run changes no tracked file.
      const screenshot = process.env['UPDATE_SCREENSHOT'] === '1' ? COMMITTED_SCREENSHOT : join(scratch, 'follow-one-booking.png');
      mkdirSync(join(screenshot, '..'), { recursive: true });
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(readFileSync(screenshot).subarray(0, 8)).toEqual(PNG_SIGNATURE);
      expect(errors).toEqual([]);
    }, 60_000);
  });

  describe("on memory mode's front door in this process", () => {
    let server: Server;
    let app: LocalApp;
    let base: string;
    let stopRecording: () => void;

    beforeAll(async () => {
      const spans = new SpanStore();
      stopRecording = recordSpansInto(spans);
      app = createLocalApp({ logger: silentLogger, maxAttempts: 2, ids });
      server = createLocalHttpServer(app, { spans });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });

    afterAll(async () => {
      stopRecording?.();
      // The browser (closed after this) still holds keep-alive connections, which close() would wait for.
      server?.closeAllConnections();
      await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    });

    it('redrives a dead letter that is then consumed', async () => {
      const send = sendTo(base);
      // A message naming an event that does not exist yet (the next id): it fails twice and is dead-lettered.
      const futureEvent = `id-${next + 2}`;
      const message = { id: 'booking-late', type: 'EventBooked', source: 'myevents.bookings', time: '2026-05-01T10:00:00.000Z', data: { bookingId: 'booking-late', eventId: futureEvent, seats: 1, createdAt: '2026-05-01T10:00:00.000Z' } };
      app.send('eventsQueue', JSON.stringify(message), '00-7d2f5e8a1b3c4d6e8f9a0b1c2d3e4f5a-1a2b3c4d5e6f7a8b-01');
      await app.settle();

      const errors = pageErrors();
      await page.goto(`${base}/_local/`);
      // The dead letter, with its button; once the event exists, the redrive is consumed.
      const button = page.locator('tr[data-queue="eventsQueue"] button.redrive');
      await button.waitFor({ timeout: 10_000 });
      const location = await send('POST', '/locations', validLocation, { authorization: ADMIN_AUTHORIZATION });
      const created = await send('POST', '/events', { ...validEvent(location.id, 'Side'), name: 'Late event' }, { authorization: ADMIN_AUTHORIZATION });
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
});
