import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, SQSEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { httpTrigger } from '../../adapters/aws/http-trigger.js';
import { lambdaLog } from '../../adapters/aws/logger.js';
import { queueTrigger } from '../../adapters/aws/queue-trigger.js';
import { MemoryTable } from '../../adapters/memory/memory-table.js';
import { MemoryBookingRepository, MemoryEventRepository } from '../../adapters/memory/repositories.js';
import { parseTraceparent } from '../../adapters/shared/trace-context.js';
import type { Event } from '../../functions/domain/event.js';
import type { KnownEvent } from '../../functions/domain/booking.js';
import type { Route } from '../../functions/http/contract.js';
import { bookingsConsumer } from '../../functions/index.js';
import { lambdaContext } from '../support/lambda-context.js';
import { loadEvent } from '../support/load-event.js';

/**
 * The ports are built once per instance and shared by concurrent hops (issue 22): each hop is handed
 * views of them bound to it (trace-carriers.ts `bindHop`), so two hops whose writes interleave each stamp
 * their own trace context. An AsyncLocalStorage kept this right before; these pin that the explicit hop does.
 */

const traceOf = (index: number): string => `${String(index).padStart(2, '0')}f92f3577b34da6a3ce929d0e0e4736`;
const S = '00f067aa0ba902b7';

beforeAll(() => {
  vi.spyOn(lambdaLog, 'write').mockImplementation(() => undefined);
});

/** Holds each write until the test lets it go, so the hops' writes happen in the order the test chooses. */
class Gates {
  private readonly held: (() => void)[] = [];
  wait(): Promise<void> {
    return new Promise((resolve) => this.held.push(resolve));
  }
  get count(): number {
    return this.held.length;
  }
  release(index: number): void {
    this.held[index]!();
  }
}

const until = async (condition: () => boolean): Promise<void> => {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
};

/** What each change of the table carried: the writer's traceparent, by the written document's key. */
function changesOf(table: MemoryTable): Map<string, string | undefined> {
  const changes = new Map<string, string | undefined>();
  table.onChange((change, traceparent) => changes.set(String(change.key['key']), traceparent));
  return changes;
}

describe('two interleaved hops on one instance each stamp their own trace context', () => {
  it('HTTP: two requests of one Lambda instance, the first to start written last', async () => {
    const gates = new Gates();
    /** The shared repository with a pause before each write, so that the two requests' writes cross. */
    class GatedEvents extends MemoryEventRepository {
      override async add(event: Event): Promise<'added' | 'name-taken'> {
        await gates.wait();
        return super.add(event);
      }
    }
    const table = new MemoryTable();
    const changes = changesOf(table);
    const routes: Route<{ events: MemoryEventRepository }>[] = [
      {
        method: 'POST',
        path: '/things/{id}',
        access: 'public',
        handler: async (request, deps) => {
          const id = request.params['id']!;
          await deps.events.add({ id, name: id, duration: 180, startDate: '2026-12-01T19:00:00Z', endDate: '2026-12-01T22:00:00Z', locationId: 'loc-1', hall: 'Main', capacity: 10, seatsBooked: 0 });
          return { status: 201 };
        },
      },
    ];
    const lambda = httpTrigger(routes, { events: new GatedEvents(table) });
    const request = (id: string, traceId: string): Promise<APIGatewayProxyStructuredResultV2> => {
      const event = loadEvent<APIGatewayProxyEventV2>('aws/http-api-v2/create-event.json');
      event.rawPath = `/things/${id}`;
      event.requestContext.http.method = 'POST';
      event.headers = { traceparent: `00-${traceId}-${S}-01` };
      delete event.body;
      return lambda(event, lambdaContext('myevents-test-thingsApi', `request-${id}`)) as Promise<APIGatewayProxyStructuredResultV2>;
    };

    const first = request('a', traceOf(1));
    await until(() => gates.count === 1);
    const second = request('b', traceOf(2));
    await until(() => gates.count === 2);
    gates.release(1);
    const secondAnswer = await second;
    gates.release(0);
    const firstAnswer = await first;

    expect([firstAnswer.statusCode, secondAnswer.statusCode]).toEqual([201, 201]);
    // Each request's writes carry its own span (its traceresponse), whatever order they were made in.
    for (const [id, answer, traceId] of [['a', firstAnswer, traceOf(1)], ['b', secondAnswer, traceOf(2)]] as const) {
      expect(parseTraceparent(answer.headers?.['traceresponse'] as string)?.traceId).toBe(traceId);
      expect(changes.get(`event#${id}`)).toBe(answer.headers?.['traceresponse']);
      expect(changes.get(`event-name#${id}`)).toBe(answer.headers?.['traceresponse']);
    }
  });

  it('SQS: two messages of one batch (run concurrently), the first to start written last', async () => {
    const gates = new Gates();
    class GatedBookings extends MemoryBookingRepository {
      override async rememberEvent(event: KnownEvent): Promise<void> {
        await gates.wait();
        return super.rememberEvent(event);
      }
    }
    const table = new MemoryTable();
    const changes = changesOf(table);
    const consumer = queueTrigger(bookingsConsumer, { bookings: new GatedBookings(table) });
    const [template] = loadEvent<SQSEvent>('aws/sqs/bookings-queue-batch.json').Records;
    const created = JSON.parse(template!.body) as { type: string; data: { id: string } };
    expect(created.type).toBe('EventCreated');
    const records = [1, 2].map((index) => ({
      ...template!,
      messageId: `m-${index}`,
      body: JSON.stringify({ ...created, id: `EventCreated/ev-${index}`, data: { ...created.data, id: `ev-${index}` } }),
      messageAttributes: { traceparent: { dataType: 'String', stringValue: `00-${traceOf(index)}-${S}-01` } },
    }));

    const batch = consumer({ Records: records }, lambdaContext('myevents-test-bookingsConsumer'));
    await until(() => gates.count === 2);
    gates.release(1);
    await until(() => changes.has('known-event#ev-2'));
    gates.release(0);
    expect(await batch).toEqual({ batchItemFailures: [] });

    // Each message's write continues its own producer's trace, in a span of its own.
    const written = [1, 2].map((index) => parseTraceparent(changes.get(`known-event#ev-${index}`)));
    expect(written.map((context) => context?.traceId)).toEqual([traceOf(1), traceOf(2)]);
    expect(written[0]?.spanId).not.toBe(written[1]?.spanId);
    expect(written.map((context) => context?.spanId)).not.toContain(S);
  });
});
