import { describe, expect, it } from 'vitest';
import { jsonLogger } from '../../adapters/shared/json-logger.js';
import { gcpLogger } from '../../adapters/gcp/logger.js';
import { redactSecrets } from '../../adapters/shared/redact.js';
import { accessLine, offlineConsole } from '../../offline/shared/console-lines.js';

const TOKEN = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
const LONG = 'x'.repeat(201);

describe('redactSecrets: query secrets out of any line', () => {
  it.each([
    [`/events/1/bookings?access_token=${TOKEN}`, '/events/1/bookings?access_token=***'],
    [`/events?limit=5&token=${TOKEN}&cursor=abc`, '/events?limit=5&token=***&cursor=abc'],
    [`/cb?code=s3cr3t&state=ok`, '/cb?code=***&state=ok'],
    [`/cb?ID_TOKEN=${TOKEN}`, '/cb?ID_TOKEN=***'],
    [`/cb?access%5Ftoken=${TOKEN}`, '/cb?access%5Ftoken=***'],
    [`/events?q=${LONG}`, '/events?q=***'],
    [`/events?q=${'x'.repeat(200)}`, `/events?q=${'x'.repeat(200)}`],
    [`GET /events?token=${TOKEN} → 401 in 3 ms`, 'GET /events?token=*** → 401 in 3 ms'],
    [`{"url":"/map?code=${TOKEN}","n":1}`, '{"url":"/map?code=***","n":1}'],
    ['no query here: a=b', 'no query here: a=b'],
    ['/events?limit=5&cursor=eyJsIjoiZXZlbnRzIn0', '/events?limit=5&cursor=eyJsIjoiZXZlbnRzIn0'],
  ])('%s', (line, expected) => {
    expect(redactSecrets(line)).toBe(expected);
  });

  it('is what every line builder writes: the JSON loggers, the npm start access line and its console (verbose too)', () => {
    const lines: string[] = [];
    jsonLogger({}, (line) => lines.push(line)).info('HTTP request', { path: `/events?access_token=${TOKEN}` });
    gcpLogger('r', (line) => lines.push(line)).error('failed', { url: `/events?token=${TOKEN}` });
    lines.push(accessLine('GET', `/events/1/bookings?access_token=${TOKEN}`, 401, 2));
    for (const verbose of [true, false]) {
      const shown = offlineConsole({ verbose });
      shown.started();
      shown.show(`offline: GET /events?id_token=${TOKEN} failed`, (line) => lines.push(line));
    }
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      expect(line).not.toContain(TOKEN);
      expect(line).toContain('=***');
    }
  });
});
