import { AsyncLocalStorage } from 'node:async_hooks';
import { subscribe } from 'node:diagnostics_channel';
import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { PUBLISHED_CHANNEL, type PublishedMessage } from '../../adapters/shared/published-channel.js';
import type { InvocationOutcome } from './queue-mapping.js';
import { traceNote } from '../shared/console-lines.js';

/**
 * What `npm start` prints per stream or queue invocation: one line saying what the function was given,
 * how it ended and what it published, e.g.
 *   eventsOutbox: INSERT EVENT#3f2a9c1e…, 0 failed → EventCreated 3f2a9c1e… on myevents-local-bookings
 *   bookingsConsumer: EventCreated 3f2a9c1e…, 0 failed
 * The runners know the records and the response; what was published comes from the publishers'
 * diagnostics channel (adapters/shared/published-channel.ts), so functions/ knows nothing of consoles.
 */
export interface InvocationSummary {
  functionKey: string;
  noun: 'record' | 'message';
  /** One short label per record or message, in order. */
  items: string[];
  /** Records or messages the function did not complete (they are retried). */
  failed: number;
  published: PublishedMessage[];
  /** What the function threw, if it threw (or timed out). */
  error?: unknown;
  /** Appended to the failure count when something failed (where the failed items go). */
  retryNote?: string;
  /** The traces the invocation's spans belong to (console-lines.ts's traceNote). */
  traceIds?: Iterable<string>;
}

/** Long ids (UUIDs, sequence numbers) cut to their first 8 characters: enough to tell them apart on a console. */
export const shortId = (id: string): string => (id.length > 12 ? `${id.slice(0, 8)}…` : id);

/** `EVENT#3f2a9c1e-…` → `EVENT#3f2a9c1e…`: the key's prefix kept, its id shortened. */
const shortKey = (key: string): string => {
  const hash = key.indexOf('#');
  return hash < 0 ? shortId(key) : `${key.slice(0, hash + 1)}${shortId(key.slice(hash + 1))}`;
};

/** `INSERT PLAYER#f2bc48cc…`: the change and the item's partition key. */
export function streamRecordLabel(record: DynamoDBRecord): string {
  const keys = record.dynamodb?.Keys ?? {};
  const partition = keys['pk']?.S ?? Object.values(keys).find((value) => value.S !== undefined)?.S ?? record.dynamodb?.SequenceNumber ?? '?';
  return `${record.eventName ?? 'CHANGE'} ${shortKey(partition)}`;
}

/** `EventCreated 3f2a9c1e…` for one of our envelopes, else the message id. */
export function queueMessageLabel(record: Pick<SQSRecord, 'messageId' | 'body'>): string {
  try {
    const body: unknown = JSON.parse(record.body);
    if (typeof body === 'object' && body !== null && 'type' in body && typeof body.type === 'string') {
      const id = 'id' in body && typeof body.id === 'string' ? body.id : '';
      return `${body.type} ${shortId(id.slice(id.indexOf('/') + 1))}`.trim();
    }
  } catch {
    // not JSON: labelled by its id below
  }
  return `message ${shortId(record.messageId)}`;
}

/** Up to three labels, then how many more. */
const list = (labels: string[]): string => (labels.length <= 3 ? labels.join(', ') : `${labels.slice(0, 3).join(', ')} and ${labels.length - 3} more`);

/** The queue's name from its URL (`http://…/123456789012/myevents-local-bookings`). */
const destinationName = (destination: string): string => destination.slice(destination.lastIndexOf('/') + 1) || destination;

const errorText = (error: unknown): string => {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const firstLine = text.split('\n')[0] ?? text;
  return firstLine.length > 200 ? `${firstLine.slice(0, 200)}…` : firstLine;
};

/** The one console line of an invocation. */
export function invocationLine(summary: InvocationSummary): string {
  const { items, noun } = summary;
  const given = items.length === 1 ? (items[0] ?? '') : `${items.length} ${noun}s (${list(items)})`;
  const ended =
    summary.error !== undefined
      ? `failed: ${errorText(summary.error)}${summary.retryNote ? ` (${summary.retryNote})` : ''}`
      : `${summary.failed} failed${summary.failed > 0 && summary.retryNote ? ` (${summary.retryNote})` : ''}`;
  const destinations = [...new Set(summary.published.map((message) => destinationName(message.destination)))];
  const published =
    summary.published.length === 0
      ? ''
      : ` → ${list(summary.published.map((message) => `${message.type} ${shortId(message.id.slice(message.id.indexOf('/') + 1))}`))} on ${destinations.join(', ')}`;
  return `${summary.functionKey}: ${given}, ${ended}${published}${traceNote(summary.traceIds ?? [])}`;
}

const invocation = new AsyncLocalStorage<{ published: PublishedMessage[]; traceIds: Set<string> }>();

/**
 * Notes a span's trace id for the invocation running now, if any (offline/shared/span-export.ts calls it
 * as each span starts: the span processor runs synchronously in the starting code's async context).
 */
export const noteInvocationTrace = (traceId: string): void => void invocation.getStore()?.traceIds.add(traceId);
let subscribed = false;

/**
 * Runs one invocation and collects what it published. serverless-offline runs the functions in this
 * process (useInProcess), in the async context of the call, so concurrent invocations of other
 * functions never mix their messages.
 */
export async function observePublished(run: () => Promise<unknown>): Promise<{ outcome: InvocationOutcome; published: PublishedMessage[]; traceIds: Set<string> }> {
  if (!subscribed) {
    subscribe(PUBLISHED_CHANNEL, (message) => invocation.getStore()?.published.push(message as PublishedMessage));
    subscribed = true;
  }
  const published: PublishedMessage[] = [];
  const traceIds = new Set<string>();
  const outcome = await invocation.run({ published, traceIds }, async (): Promise<InvocationOutcome> => {
    try {
      return { response: await run() };
    } catch (error) {
      return { error };
    }
  });
  return { outcome, published, traceIds };
}
