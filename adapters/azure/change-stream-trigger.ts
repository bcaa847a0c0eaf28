import type { CosmosDBv4LatestVersionFunctionOptions, InvocationContext } from '@azure/functions';
import { STREAM_MAX_RETRIES } from '../../functions/limits.js';
import type { ChangeHandler, ChangeRecord } from '../../functions/streams/contract.js';
import { describeError } from '../shared/describe-error.js';
import { bindHop, bindLogger, inChangeHop } from '../shared/trace-carriers.js';
import type { Hop } from '../shared/tracing.js';
import { CONTAINERS } from './cosmos/containers.js';
import { SETTINGS } from './environment.js';
import { isRecord } from './guards.js';
import { invocationLogger } from './logger.js';

/**
 * A document of a Cosmos DB change feed (latest-version mode) as the neutral change record.
 *
 * That feed carries the current version of each document that changed, without the previous one, and
 * never a delete: it cannot tell an insert from an update, and several writes between two reads of the
 * feed arrive as one. So every live document is reported as kind 'insert' — "this document exists
 * now", which every change handler treats idempotently (replays happen on every platform) — and a
 * deletion that a handler must see is a soft delete: the repository marks the document
 * `deleted: true` with a TTL (CosmosPlayerRepository), and the feed reports it as kind 'remove' with
 * that last version as `before`.
 */
export function cosmosDocumentToChange(document: Record<string, unknown>): ChangeRecord {
  const key = { id: document['id'], pk: document['pk'] };
  // `_lsn` orders changes within a partition; with the id and partition it names this change uniquely.
  const id = `${String(document['pk'])}/${String(document['id'])}@${String(document['_lsn'] ?? document['_ts'] ?? '')}`;
  return document['deleted'] === true ? { id, kind: 'remove', key, before: document } : { id, kind: 'insert', key, after: document };
}

/**
 * An Azure Functions Cosmos DB trigger handler: the batch's documents in feed order, one at a time;
 * the first failure throws, so the registration's retry policy runs the whole batch again (handlers are
 * idempotent), and no later change of a document overtakes a failed one.
 */
export function changeStreamTrigger<Deps>(handleChange: ChangeHandler<Deps>, deps: Deps): (documents: unknown[], context: InvocationContext) => Promise<void> {
  return async (documents, context) => {
    for (const document of documents) {
      if (!isRecord(document)) throw new TypeError('A change-feed document is not a JSON object');
      const change = cosmosDocumentToChange(document);
      let hop: Hop | undefined; // the document's hop, so that its failure line carries its trace
      try {
        // A hop per document, continuing the writer's trace; a tombstone is the deleting request's write (trace-carriers.ts).
        await inChangeHop(context.functionName, change, (started) => handleChange(change, bindHop(deps, (hop = started))), true);
      } catch (error) {
        bindLogger(invocationLogger(context), hop).warn('Change-feed document failed; the batch is retried from the start', { changeId: change.id, error: describeError(error) });
        throw error;
      }
    }
  };
}

/**
 * Where a change-feed function reads: a container of the app's database (connection and database from
 * app settings), with leases in the shared leases container under a prefix of its own, so functions
 * on the same container each get every change.
 */
export interface ChangeFeedSource {
  containerName: (typeof CONTAINERS)[keyof typeof CONTAINERS];
  leasePrefix: string;
}

/**
 * The options `app.cosmosDB(name, …)` registers. A failed batch is retried STREAM_MAX_RETRIES times (the catalogue's) with exponential
 * backoff (the Cosmos DB trigger retries nothing by default, it moves on); after that the batch is
 * skipped and only the logs keep it: Azure has no on-failure destination for this trigger.
 */
export function changeStreamTriggerOptions<Deps>(source: ChangeFeedSource, handleChange: ChangeHandler<Deps>, deps: Deps): CosmosDBv4LatestVersionFunctionOptions {
  return {
    connection: SETTINGS.cosmosConnection,
    databaseName: `%${SETTINGS.cosmosDatabase}%`,
    containerName: source.containerName,
    leaseContainerName: CONTAINERS.leases,
    leaseContainerPrefix: source.leasePrefix,
    createLeaseContainerIfNotExists: false,
    retry: { strategy: 'exponentialBackoff', maxRetryCount: STREAM_MAX_RETRIES, minimumInterval: { seconds: 1 }, maximumInterval: { minutes: 1 } },
    handler: changeStreamTrigger(handleChange, deps) as CosmosDBv4LatestVersionFunctionOptions['handler'],
  };
}
