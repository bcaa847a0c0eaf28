import { describe, expect, it } from 'vitest';
import { jsonLogger, levelFromEnv } from '../../adapters/shared/json-logger.js';

describe('JSON log lines', () => {
  it('writes one JSON object per entry with the shared fields, level, time and message', () => {
    // Prepare
    const lines: string[] = [];
    const logger = jsonLogger({ service: 'myevents', requestId: 'req-1' }, (line) => lines.push(line));

    // Act
    logger.info('HTTP request', { status: 200 });
    logger.error('Unhandled error', { error: { message: 'boom' } });

    // Assess
    const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(parsed).toEqual([
      { level: 'INFO', time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), message: 'HTTP request', service: 'myevents', requestId: 'req-1', status: 200 },
      { level: 'ERROR', time: expect.any(String), message: 'Unhandled error', service: 'myevents', requestId: 'req-1', error: { message: 'boom' } },
    ]);
  });

  it.each([
    ['INFO', ['INFO', 'WARN', 'ERROR']],
    ['WARN', ['WARN', 'ERROR']],
    ['ERROR', ['ERROR']],
  ] as const)('at %s writes only %j', (minLevel, written) => {
    const lines: string[] = [];
    const logger = jsonLogger({}, (line) => lines.push(line), minLevel);
    logger.info('i');
    logger.warn('w');
    logger.error('e');
    expect(lines.map((line) => (JSON.parse(line) as { level: string }).level)).toEqual(written);
  });

  it.each([
    [{ AWS_LAMBDA_LOG_LEVEL: 'error', LOG_LEVEL: 'INFO' }, 'ERROR'],
    [{ LOG_LEVEL: 'warn', POWERTOOLS_LOG_LEVEL: 'ERROR' }, 'WARN'],
    [{ POWERTOOLS_LOG_LEVEL: 'WARNING' }, 'WARN'],
    [{ LOG_LEVEL: 'DEBUG' }, 'INFO'],
    [{ LOG_LEVEL: 'nonsense' }, 'INFO'],
    [{ LOG_LEVEL: '' }, 'INFO'],
    [{}, 'INFO'],
  ])('reads the level from the first setting present: %j → %s', (env, level) => {
    expect(levelFromEnv(['AWS_LAMBDA_LOG_LEVEL', 'LOG_LEVEL', 'POWERTOOLS_LOG_LEVEL'], env)).toBe(level);
  });
});
