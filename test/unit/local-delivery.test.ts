import { describe, expect, it } from 'vitest';
import { SerialDelivery } from '../../adapters/local/serial-delivery.js';
import { silentLogger } from '../../adapters/shared/json-logger.js';

describe('local serial delivery (queue/stream stand-in)', () => {
  it('delivers in order, retries a failing item, dead-letters it after maxAttempts and goes on', async () => {
    const seen: string[] = [];
    const delivery = new SerialDelivery<string>(
      'test',
      async (item, attempt) => {
        seen.push(`${item}#${attempt}`);
        if (item === 'poison') throw new Error('cannot process');
      },
      silentLogger,
      3,
    );
    for (const item of ['a', 'poison', 'b']) delivery.enqueue(item);
    await delivery.drain();
    expect(seen).toEqual(['a#1', 'poison#1', 'poison#2', 'poison#3', 'b#1']);
    expect(delivery.deadLetters).toMatchObject([{ item: 'poison', attempts: 3, error: { message: 'cannot process' } }]);
    expect(delivery.idle).toBe(true);
  });
});
