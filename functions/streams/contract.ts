/**
 * The neutral change record every change-stream adapter produces: from a DynamoDB Streams record
 * (unmarshalled), a Cosmos DB change-feed document or a Firestore document event.
 */
export interface ChangeRecord {
  /** Unique per change (DynamoDB eventID, ...): for logs and dead-letter entries. */
  id: string;
  kind: 'insert' | 'modify' | 'remove';
  /** The item's primary key, in the platform's own attribute names. */
  key: Record<string, unknown>;
  /** The stored document before the change (absent for inserts). */
  before?: Record<string, unknown>;
  /** The stored document after the change (absent for removes). */
  after?: Record<string, unknown>;
}

/** Handles one change record; throws to mark this record (and, on ordered streams, what follows it) as failed. */
export type ChangeHandler<Deps> = (record: ChangeRecord, deps: Deps) => Promise<void>;
