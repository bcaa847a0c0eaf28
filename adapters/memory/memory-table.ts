import type { ChangeRecord } from '../../functions/streams/contract.js';

export type StoredDocument = Record<string, unknown>;
/** A change, with the `traceparent` of the hop that wrote it (what the engines store on the item itself). */
type ChangeListener = (change: ChangeRecord, traceparent: string | undefined) => void;

/**
 * A keyed document table in memory with a change log, standing in for a database table with streams.
 * Every write is synchronous, so a read-check-write inside one method is atomic under concurrent callers.
 */
export class MemoryTable {
  private readonly documents = new Map<string, StoredDocument>();
  private readonly listeners: ChangeListener[] = [];
  private sequence = 0;

  get(key: string): StoredDocument | undefined {
    const document = this.documents.get(key);
    return document === undefined ? undefined : structuredClone(document);
  }

  /** Documents whose key starts with `prefix`, in insertion order. */
  list(prefix: string): StoredDocument[] {
    return [...this.documents.entries()].filter(([key]) => key.startsWith(prefix)).map(([, document]) => structuredClone(document));
  }

  /** Writes of a hop name its `traceparent` (the repository's bound hop, trace-carriers.ts): the change carries it, as the engines' items do. */
  put(key: string, document: StoredDocument, traceparent?: string): void {
    const before = this.documents.get(key);
    const after = structuredClone(document);
    this.documents.set(key, after);
    this.emit(before === undefined ? 'insert' : 'modify', key, before, after, traceparent);
  }

  /** Returns false (and writes nothing) when the key exists. */
  putIfAbsent(key: string, document: StoredDocument, traceparent?: string): boolean {
    if (this.documents.has(key)) return false;
    this.put(key, document, traceparent);
    return true;
  }

  /** Returns the removed document, if there was one. */
  delete(key: string, traceparent?: string): StoredDocument | undefined {
    const before = this.documents.get(key);
    if (before === undefined) return undefined;
    this.documents.delete(key);
    this.emit('remove', key, before, undefined, traceparent);
    return structuredClone(before);
  }

  /** Subscribes to the change log (like a stream with NEW_AND_OLD_IMAGES); listeners run synchronously after each write. */
  onChange(listener: ChangeListener): void {
    this.listeners.push(listener);
  }

  private emit(kind: ChangeRecord['kind'], key: string, before: StoredDocument | undefined, after: StoredDocument | undefined, traceparent: string | undefined): void {
    if (this.listeners.length === 0) return;
    this.sequence += 1;
    const change: ChangeRecord = { id: String(this.sequence), kind, key: { key } };
    if (before !== undefined) change.before = structuredClone(before);
    if (after !== undefined) change.after = structuredClone(after);
    for (const listener of this.listeners) listener(change, traceparent);
  }
}
