import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateQueueCommand, DeleteMessageCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPositions, writePositions } from '../../offline/aws/checkpoint-file.js';
import { localClientConfig } from '../../offline/aws/dynamodb-local.js';
import { freePort } from '../../offline/shared/ports.js';
import { queuesDrained, settledCheckpoints } from '../../offline/aws/settled-checkpoints.js';

let dir: string;
beforeAll(() => void (dir = mkdtempSync(join(tmpdir(), 'checkpoints-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('checkpoint file', () => {
  it('is replaced whole (temporary file + rename), and read back', () => {
    const file = join(dir, 'nested', 'stream-checkpoints.json');
    writePositions(file, { 'shard-1': '100' });
    writePositions(file, { 'shard-1': '200', 'shard-2': '7' });
    expect(readPositions(file, () => expect.fail('no warning expected'))).toEqual({ 'shard-1': '200', 'shard-2': '7' });
    expect(readdirSync(join(dir, 'nested'))).toEqual(['stream-checkpoints.json']);
  });

  it.each([
    ['empty (truncated by a crash)', ''],
    ['cut off', '{"shard-1": "10'],
    ['not positions', '["shard-1"]'],
  ])('when %s, is read as no positions with a warning, never an exception', (_, content) => {
    const file = join(dir, 'damaged.json');
    writeFileSync(file, content);
    const warnings: string[] = [];
    expect(readPositions(file, (message) => warnings.push(message))).toEqual({});
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('damaged');
  });

  it('is optional: a missing file is no positions, without a warning', () => {
    expect(readPositions(join(dir, 'missing.json'), () => expect.fail('no warning expected'))).toEqual({});
  });
});

describe('settled checkpoints', () => {
  it('writes the processed positions only once the queues are drained', async () => {
    const file = join(dir, 'settled.json');
    let drained = false;
    const checkpoints = settledCheckpoints(file, async () => drained, () => undefined);
    checkpoints.set('shard-1', '5');
    expect(checkpoints.get('shard-1')).toBe('5');
    expect(await checkpoints.settle()).toBe(false);
    expect(readPositions(file, () => undefined)).toEqual({});

    drained = true;
    expect(await checkpoints.settle()).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'shard-1': '5' });
    expect(await checkpoints.settle()).toBe(false); // nothing new

    const restarted = settledCheckpoints(file, async () => true, () => undefined);
    expect(restarted.get('shard-1')).toBe('5');
  });

  it('sees a queue as drained only when no message is waiting or in flight (local-aws-sqs)', async () => {
    const port = await freePort();
    const server: Server = await createSqsServer({ port, hostname: '127.0.0.1' });
    const sqs = new SQSClient(localClientConfig(`http://127.0.0.1:${port}`));
    try {
      const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: 'drain-check' }));
      const urls = [QueueUrl!];
      expect(await queuesDrained(sqs, urls)).toBe(true);
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'x' }));
      expect(await queuesDrained(sqs, urls)).toBe(false);
      const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
      expect(await queuesDrained(sqs, urls)).toBe(false); // in flight
      await sqs.send(new DeleteMessageCommand({ QueueUrl, ReceiptHandle: Messages![0]!.ReceiptHandle }));
      expect(await queuesDrained(sqs, urls)).toBe(true);
    } finally {
      sqs.destroy();
      await new Promise((done) => server.close(() => done(undefined)));
    }
  });
});
