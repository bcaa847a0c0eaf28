import { describe, expect, it } from 'vitest';
import { accessLine, functionOfPath, hopLine, isPerInvocationNoise, isTriggerLine, isWarningLine, offlineConsole } from '../../offline/shared/console-lines.js';

/** What serverless-offline printed for one request under `npm start` (captured on this project's stack). */
const ONE_REQUEST = [
  '',
  'ANY /map (λ: playersApi)',
  '{"level":"INFO","message":"HTTP request","timestamp":"2026-11-25T16:03:45.685Z","service":"myevents","cold_start":false,"function_name":"myevents-local-playersApi","requestId":"72e6","method":"GET","path":"/map","status":200,"durationMs":3}',
  '(λ: playersApi) RequestId: 72e6fcb3-f57b-4dbf-ab2d-4dd43e662f63  Duration: 373.10 ms  Billed Duration: 374 ms',
  '',
];

describe('the npm start console', () => {
  it("leaves none of serverless-offline's per-invocation lines of a request, so the request shows as the edge's one line", () => {
    expect(ONE_REQUEST.filter((line) => !isPerInvocationNoise(line))).toEqual([]);
  });

  it('keeps warnings, errors and everything else serverless-offline says', () => {
    for (const line of [
      '{"level":"ERROR","message":"Unhandled error","requestId":"r"}',
      '{"level":"WARN","message":"Change-feed document failed"}',
      'offline-queues: bookingsConsumer <- myevents-local-bookings (batch 10, ReportBatchItemFailures true)',
      'Server ready: http://localhost:32875 🚀',
    ]) {
      expect(isPerInvocationNoise(line), line).toBe(false);
    }
  });

  it('writes one access line naming the function that served the path', () => {
    expect(accessLine('POST', '/events', 201, 12.4)).toBe('POST /events → 201 in 12 ms (eventsApi)');
    expect(accessLine('GET', '/events/e1/bookings?limit=2', 200, 3)).toBe('GET /events/e1/bookings?limit=2 → 200 in 3 ms (bookingsApi)');
    expect(accessLine('GET', '/nowhere', 404, 1)).toBe('GET /nowhere → 404 in 1 ms');
    expect(functionOfPath('/map')).toBe('playersApi');
  });

  it('shows the first 8 hex digits of the trace id of a request, and of a trigger hop', () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    expect(accessLine('POST', '/events', 201, 12.4, traceId)).toBe('POST /events → 201 in 12 ms (eventsApi) [trace 4bf92f35]');
    const hop = { function: 'eventsConsumer', name: 'process events', status: 'error' as const, durationMs: 3.2, traceId, attributes: { 'myevents.delivery.attempt': 5, 'myevents.dead_lettered': true } };
    expect(hopLine(hop)).toBe('eventsConsumer: process events, failed in 3 ms (delivery 5, dead-lettered) [trace 4bf92f35]');
    expect(hopLine({ ...hop, status: 'ok', attributes: {} })).toBe('eventsConsumer: process events, ok in 3 ms [trace 4bf92f35]');
  });

  it('names the function of a path whose parameter is not valid URL encoding instead of throwing (GET /locations/% once ended npm start)', () => {
    expect(functionOfPath('/locations/%')).toBe('eventsApi');
    expect(functionOfPath('/players/%zz')).toBe('playersApi');
    expect(accessLine('GET', '/locations/%', 400, 2)).toBe('GET /locations/% → 400 in 2 ms (eventsApi)');
  });

  it('shows, while starting, the trigger lines and any warning, and keeps the rest back', () => {
    expect(isTriggerLine('offline-streams: eventsOutbox <- myevents-local-events stream (batch 100, retries 5, bisect true)')).toBe(true);
    expect(isWarningLine('offline-streams: .local-data/stream-checkpoints.json is damaged (Unexpected end of JSON input); the streams are read again')).toBe(true);
    expect(isTriggerLine('Starting Offline at stage local (us-east-1)') || isWarningLine('Starting Offline at stage local (us-east-1)')).toBe(false);
  });

  it('holds back the start-up output and prints it only if the start fails; --verbose prints every line', () => {
    const startUp = ['Starting Offline at stage local (us-east-1)', 'offline-queues: eventsConsumer <- myevents-local-events (batch 10, ReportBatchItemFailures true)', 'Offline [http for lambda] listening on http://localhost:3002'];
    const run = (verbose: boolean, outcome: 'started' | 'failed') => {
      const printed: string[] = [];
      const shown = offlineConsole({ verbose });
      for (const line of startUp) shown.show(line, (text) => printed.push(text));
      if (outcome === 'started') shown.started();
      else shown.startFailed((text) => printed.push(text));
      for (const line of ONE_REQUEST) shown.show(line, (text) => printed.push(text));
      return printed;
    };
    expect(run(false, 'started')).toEqual([startUp[1]]);
    expect(run(false, 'failed')).toEqual([startUp[1], startUp[0], startUp[2]]);
    expect(run(true, 'started')).toEqual([...startUp, ...ONE_REQUEST]);
  });
});
