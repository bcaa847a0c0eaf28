/**
 * `npm run bench`: the latency of one queue hop on the stack `npm start` runs (free ports, a fresh data
 * folder): an EventCreated message is sent to the bookings queue, and the hop ends when the booking
 * service answers for the event (bookingsConsumer has run and written it). The observer polls every
 * 10 ms, so each figure includes up to 10 ms of polling and one HTTP round trip.
 * Prints the median and the maximum of HOPS hops (default 25).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetQueueUrlCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mintDevToken, trustDevKeyUnlessConfigured } from '../adapters/local/dev-auth.js';
import { freePort, startLocalStack } from '../offline/local-stack.js';

const hops = Number(process.env['HOPS'] ?? 25);
const dataDir = mkdtempSync(join(tmpdir(), 'myevents-bench-'));
const [httpPort, lambdaPort, dynamodbPort, sqsPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
// GET /events/{id}/bookings needs a caller: the stack trusts the development key, as under npm start.
await trustDevKeyUnlessConfigured();
const authorization = `Bearer ${await mintDevToken({ subject: 'bench', scopes: ['admin'] })}`;
const stack = await startLocalStack({ httpPort, lambdaPort, dynamodbPort, sqsPort, dataDir, output: 'capture' });
const sqs = new SQSClient({ endpoint: stack.sqsEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });

try {
  const { QueueUrl } = await sqs.send(new GetQueueUrlCommand({ QueueName: 'myevents-local-bookings' }));
  const known = async (eventId: string) => (await fetch(`${stack.baseUrl}/events/${eventId}/bookings`, { headers: { authorization } })).status === 200;
  const latencies: number[] = [];
  for (let hop = 0; hop <= hops; hop += 1) {
    const eventId = randomUUID();
    const data = { id: eventId, name: `Bench ${hop}`, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T20:00:00Z', locationId: 'bench', hall: 'A', capacity: 10 };
    const body = JSON.stringify({ id: `EventCreated/${eventId}`, type: 'EventCreated', source: '/myevents/bench', time: new Date().toISOString(), data });
    const sent = performance.now();
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: body }));
    const deadline = Date.now() + 30_000;
    while (!(await known(eventId))) {
      if (Date.now() > deadline) throw new Error(`hop ${hop} did not arrive within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    // The first hop also loads the consumer's bundle (a Lambda cold start): reported apart.
    if (hop === 0) console.log(`cold hop: ${Math.round(performance.now() - sent)} ms`);
    else latencies.push(performance.now() - sent);
  }
  latencies.sort((a, b) => a - b);
  const median = latencies.length % 2 ? latencies[(latencies.length - 1) / 2]! : (latencies[latencies.length / 2 - 1]! + latencies[latencies.length / 2]!) / 2;
  console.log(`queue hop (SendMessage -> bookingsConsumer applied), ${latencies.length} warm hops: median ${Math.round(median)} ms, max ${Math.round(latencies.at(-1)!)} ms, min ${Math.round(latencies[0]!)} ms`);
} finally {
  sqs.destroy();
  await stack.stop();
  rmSync(dataDir, { recursive: true, force: true });
}
