import { afterEach, describe, expect, it, vi } from 'vitest';
import { GrpcStatus } from '../../../adapters/gcp/firestore/client.js';
import { KeyedQueue, MAX_WRITE_ATTEMPTS, retryOnConflict, WriteContentionError } from '../../../adapters/gcp/firestore/optimistic-write.js';

const grpcError = (code: number): Error => Object.assign(new Error(`grpc ${code}`), { code });

afterEach(() => {
  vi.useRealTimers();
});

describe('retryOnConflict', () => {
  it('tries again after a lost race (FAILED_PRECONDITION, ABORTED) and returns the first success', async () => {
    vi.useFakeTimers();
    const attempt = vi
      .fn<() => Promise<string>>()
      .mockRejectedValueOnce(grpcError(GrpcStatus.FAILED_PRECONDITION))
      .mockRejectedValueOnce(grpcError(GrpcStatus.ABORTED))
      .mockResolvedValueOnce('booked');
    const result = retryOnConflict(attempt);
    await vi.runAllTimersAsync();
    expect(await result).toBe('booked');
    expect(attempt).toHaveBeenCalledTimes(3);
  });

  it('rethrows any other error at once', async () => {
    const attempt = vi.fn<() => Promise<string>>().mockRejectedValue(grpcError(GrpcStatus.NOT_FOUND));
    await expect(retryOnConflict(attempt)).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });
    expect(attempt).toHaveBeenCalledTimes(1);
  });

  it(`gives up with WriteContentionError after ${MAX_WRITE_ATTEMPTS} lost races`, async () => {
    vi.useFakeTimers();
    const attempt = vi.fn<() => Promise<string>>().mockRejectedValue(grpcError(GrpcStatus.FAILED_PRECONDITION));
    const result = retryOnConflict(attempt);
    const outcome = expect(result).rejects.toBeInstanceOf(WriteContentionError);
    await vi.runAllTimersAsync();
    await outcome;
    expect(attempt).toHaveBeenCalledTimes(MAX_WRITE_ATTEMPTS);
  });
});

describe('KeyedQueue', () => {
  it('runs tasks of one key one after another, other keys alongside, and goes on after a failure', async () => {
    const queue = new KeyedQueue();
    const log: string[] = [];
    const task = (name: string, fail = false) => async (): Promise<string> => {
      log.push(`start ${name}`);
      await Promise.resolve();
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([queue.run('a', task('a1', true)), queue.run('a', task('a2')), queue.run('b', task('b1'))]);
    expect(results.map((result) => result.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });
});
