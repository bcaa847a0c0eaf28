import { createHash } from 'node:crypto';
import type { Container, ItemDefinition, OperationInput, OperationResponse } from '@azure/cosmos';
import { retryWithJitter, type JitterPolicy } from '../../shared/retry.js';

/** A stored document as the SDK returns it: our fields plus Cosmos's system fields (`_etag`, `_ts`, ...). */
export type CosmosDocument = ItemDefinition & Record<string, unknown>;

/** A Cosmos DB answer other than the one the repository can explain (neither 2xx nor a handled 404/409/412). */
export class CosmosRequestError extends Error {
  constructor(
    message: string,
    readonly statusCode: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'CosmosRequestError';
  }
}

/** The HTTP status of an SDK error (`ErrorResponse.code`), when it has one. */
export function cosmosStatusOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

/** Cosmos DB refuses these characters in an item id. */
const FORBIDDEN_IN_ID = /[/\\?#]/;
const PLAIN_ID = /^[\w.-]{1,200}$/;

/** Whether `id` can name an item (ids we create always can; ids read from a URL may not). */
export const isStorableId = (id: string): boolean => id.length > 0 && id.length <= 255 && !FORBIDDEN_IN_ID.test(id);

/**
 * The id of a helper document derived from a value callers choose (an idempotency key, a booking id
 * from a message): readable when the value is plain, else its SHA-256, because item ids have a 255
 * character limit and forbid `/ \ ? #`. A plain value has no `:`, so the two forms cannot collide.
 */
export function derivedId(prefix: string, value: string): string {
  return PLAIN_ID.test(value) ? `${prefix}:${value}` : `${prefix}:sha256:${createHash('sha256').update(value).digest('hex')}`;
}

/** A point read (1 RU); undefined when there is no such item. */
export async function readDocument(container: Container, id: string, partitionKey: string): Promise<CosmosDocument | undefined> {
  if (!isStorableId(id)) return undefined;
  const { resource, statusCode } = await container.item(id, partitionKey).read<CosmosDocument>();
  if (statusCode === 404) return undefined;
  return resource;
}

/** Creates the document unless its id exists in its partition; false when it did (409). */
export async function createIfAbsent(container: Container, document: CosmosDocument): Promise<boolean> {
  try {
    await container.items.create(document);
    return true;
  } catch (error) {
    if (cosmosStatusOf(error) === 409) return false;
    throw error;
  }
}

/** Outcome of a transactional batch whose first operation is the conditional one. */
export type BatchOutcome = 'committed' | 'precondition-failed';

/**
 * Runs a transactional batch in one logical partition. Cosmos DB commits all operations or none;
 * the first operation is the conditional one (an IfMatch replace), so a lost race is reported as
 * 'precondition-failed' before any other operation runs, on Cosmos DB and on servers whose batches
 * are not atomic alike. Anything else that fails is an error the caller cannot explain.
 */
export async function conditionalBatch(container: Container, partitionKey: string, operations: OperationInput[]): Promise<BatchOutcome> {
  // Each operation names its partition too: the real service takes it from the request, emulators from the operation.
  const withKeys = operations.map((operation) => ({ ...operation, partitionKey }) as OperationInput);
  const response = await container.items.batch(withKeys, partitionKey);
  const results: OperationResponse[] = response.result ?? [];
  if (results[0]?.statusCode === 412) return 'precondition-failed';
  const failed = results.find((result) => result.statusCode >= 400);
  if (failed !== undefined || results.length !== operations.length) {
    throw new CosmosRequestError(`Transactional batch failed: statuses ${results.map((result) => result.statusCode).join(', ')}`, failed?.statusCode ?? response.code);
  }
  return 'committed';
}

/**
 * 40 attempts, 5 ms doubling to 100 ms: a lost IfMatch race costs a point read and a batch (a few
 * RU, a few ms on the same region), so retries are cheap and short; 40 rounds outlast the bursts the
 * contract suite and the scale tests throw at one event, and bound a pathological hot spot.
 */
const OPTIMISTIC_RETRY: JitterPolicy = { maxAttempts: 40, baseDelayMs: 5, maxDelayMs: 100 };

export class OptimisticConcurrencyError extends Error {
  constructor(what: string) {
    super(`${what}: still contended after ${OPTIMISTIC_RETRY.maxAttempts} attempts`);
    this.name = 'OptimisticConcurrencyError';
  }
}

/** Thrown inside retryOnLostRace only, to hand a lost race to the shared retry loop. */
class LostRace extends Error {}

/**
 * Runs an optimistic attempt (read, then a conditionalBatch guarded by IfMatch) again while it
 * answers 'precondition-failed': another writer changed the document since our read, and the failed
 * batch wrote nothing, so reading afresh and trying again is safe.
 */
export function retryOnLostRace<T>(what: string, attempt: () => Promise<T | 'precondition-failed'>): Promise<T> {
  return retryWithJitter(
    OPTIMISTIC_RETRY,
    (error) => error instanceof LostRace,
    async () => {
      const outcome = await attempt();
      if (outcome === 'precondition-failed') throw new LostRace();
      return outcome;
    },
    () => new OptimisticConcurrencyError(what),
  );
}

const SYSTEM_FIELDS = new Set(['_rid', '_self', '_etag', '_attachments', '_ts', '_lsn']);

/** A document without Cosmos's system fields, ready to be written back. */
export function stripSystemFields(document: CosmosDocument): CosmosDocument {
  return Object.fromEntries(Object.entries(document).filter(([field]) => !SYSTEM_FIELDS.has(field))) as CosmosDocument;
}
