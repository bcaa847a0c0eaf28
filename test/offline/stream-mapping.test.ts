import { describe, expect, it } from 'vitest';
import { deliverRecords, mappingSettings, resumeIndex, type MappingSettings, type StreamRecord } from '../../offline/aws/stream-mapping.js';

const record = (sequence: number, createdAt = 1_000): StreamRecord & { id: string } => ({
  id: `r${sequence}`,
  dynamodb: { SequenceNumber: String(100 + sequence), ApproximateCreationDateTime: createdAt },
});

const settings = (overrides: Partial<MappingSettings> = {}): MappingSettings => ({
  batchSize: 10,
  maximumRetryAttempts: 2,
  maximumRecordAgeInSeconds: -1,
  bisectBatchOnFunctionError: true,
  reportBatchItemFailures: true,
  ...overrides,
});

/** A function that fails on the records named poison (reporting or throwing), and records what it saw. */
function fakeFunction(poison: Set<string>, mode: 'report' | 'throw') {
  const invocations: string[][] = [];
  const processed: string[] = [];
  const discarded: { ids: string[]; condition: string; invokeCount: number }[] = [];
  const ports = {
    invoke: async (batch: ReturnType<typeof record>[]) => {
      invocations.push(batch.map((item) => item.id));
      for (const item of batch) {
        if (poison.has(item.id)) {
          if (mode === 'throw') throw new Error('boom');
          return { batchItemFailures: [{ itemIdentifier: item.dynamodb!.SequenceNumber }] };
        }
        processed.push(item.id);
      }
      return { batchItemFailures: [] };
    },
    discard: async (batch: ReturnType<typeof record>[], condition: string, invokeCount: number) => {
      discarded.push({ ids: batch.map((item) => item.id), condition, invokeCount });
    },
    now: () => 1_000,
    pause: async () => undefined,
  };
  return { ports, invocations, processed, discarded };
}

describe('offline stream mapping (Lambda event source mapping semantics)', () => {
  it('delivers a clean stream in batches of batchSize', async () => {
    const fn = fakeFunction(new Set(), 'report');
    const records = Array.from({ length: 5 }, (_, index) => record(index));
    expect(await deliverRecords(records, settings({ batchSize: 2 }), fn.ports)).toBe(0);
    expect(fn.invocations).toEqual([['r0', 'r1'], ['r2', 'r3'], ['r4']]);
  });

  it('resumes from the reported record: the records before it are not redelivered', async () => {
    const fn = fakeFunction(new Set(['r2']), 'report');
    const records = Array.from({ length: 5 }, (_, index) => record(index));
    await deliverRecords(records, settings({ bisectBatchOnFunctionError: false, maximumRetryAttempts: 1 }), fn.ports);
    expect(fn.invocations[0]).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(fn.invocations[1]).toEqual(['r2', 'r3', 'r4']);
    expect(fn.processed.filter((id) => id === 'r0')).toHaveLength(1);
  });

  it('sends a record that keeps failing to the on-failure destination and still processes the ones after it', async () => {
    const fn = fakeFunction(new Set(['r2']), 'report');
    const records = Array.from({ length: 5 }, (_, index) => record(index));
    expect(await deliverRecords(records, settings({ maximumRetryAttempts: 2 }), fn.ports)).toBe(1);
    expect(fn.discarded).toEqual([{ ids: ['r2'], condition: 'RetryAttemptsExhausted', invokeCount: 3 }]);
    expect(fn.processed).toEqual(['r0', 'r1', 'r3', 'r4']);
  });

  it('bisects a batch whose function throws until the failing record stands alone', async () => {
    const fn = fakeFunction(new Set(['r2']), 'throw');
    const records = Array.from({ length: 4 }, (_, index) => record(index));
    await deliverRecords(records, settings({ maximumRetryAttempts: 1 }), fn.ports);
    expect(fn.invocations).toEqual([
      ['r0', 'r1', 'r2', 'r3'],
      ['r0', 'r1'],
      ['r2', 'r3'],
      ['r2'],
      ['r2'],
      ['r3'],
    ]);
    expect(fn.discarded.map((entry) => entry.ids)).toEqual([['r2']]);
  });

  it('without bisect, discards the whole failing batch after the retries', async () => {
    const fn = fakeFunction(new Set(['r1']), 'throw');
    const records = Array.from({ length: 3 }, (_, index) => record(index));
    await deliverRecords(records, settings({ bisectBatchOnFunctionError: false, maximumRetryAttempts: 2 }), fn.ports);
    expect(fn.invocations).toHaveLength(3);
    expect(fn.discarded.map((entry) => entry.ids)).toEqual([['r0', 'r1', 'r2']]);
  });

  it('discards records older than maximumRecordAgeInSeconds without invoking', async () => {
    const fn = fakeFunction(new Set(), 'report');
    await deliverRecords([record(0, 100), record(1, 990)], settings({ maximumRecordAgeInSeconds: 60 }), fn.ports);
    expect(fn.discarded).toEqual([{ ids: ['r0'], condition: 'RecordAgeExceeded', invokeCount: 0 }]);
    expect(fn.processed).toEqual(['r1']);
  });

  describe('reading the response as Lambda does', () => {
    const batch = [record(0), record(1), record(2)];
    it.each([
      ['no response', undefined, 'none'],
      ['an empty list', { batchItemFailures: [] }, 'none'],
      ['the lowest of several reported', { batchItemFailures: [{ itemIdentifier: '102' }, { itemIdentifier: '101' }] }, 1],
      ['an empty identifier: whole batch', { batchItemFailures: [{ itemIdentifier: '' }] }, 0],
      ['an unknown identifier: whole batch', { batchItemFailures: [{ itemIdentifier: '999' }] }, 0],
      ['a misspelled key: whole batch', { batchItemFailures: [{ itemIdentifer: '101' }] }, 0],
    ])('%s', (_case, response, expected) => {
      expect(resumeIndex(batch, response, settings())).toBe(expected);
    });

    it('ignores the response when the mapping does not report batch item failures', () => {
      expect(resumeIndex(batch, { batchItemFailures: [{ itemIdentifier: '101' }] }, settings({ reportBatchItemFailures: false }))).toBe('none');
    });
  });

  it("reads serverless.yml stream settings with Lambda's defaults", () => {
    expect(mappingSettings({ type: 'dynamodb', arn: 'x' })).toEqual({
      batchSize: 100,
      maximumRetryAttempts: -1,
      maximumRecordAgeInSeconds: -1,
      bisectBatchOnFunctionError: false,
      reportBatchItemFailures: false,
    });
    expect(mappingSettings({ batchSize: 5, maximumRetryAttempts: 3, bisectBatchOnFunctionError: true, functionResponseType: 'ReportBatchItemFailures' })).toMatchObject({
      batchSize: 5,
      maximumRetryAttempts: 3,
      bisectBatchOnFunctionError: true,
      reportBatchItemFailures: true,
    });
  });
});
