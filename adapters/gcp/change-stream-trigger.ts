import { google } from '@skunkteam/google-cloudevents-firestore';
import type { ChangeHandler, ChangeRecord } from '../../functions/streams/contract.js';
import { describeError } from '../shared/describe-error.js';
import { bindHop, bindLogger, inChangeHop } from '../shared/trace-carriers.js';
import { functionNameOfPlatform, type Hop } from '../shared/tracing.js';
import { isFirestoreDocumentEvent, type ReceivedCloudEvent } from './guards.js';
import { gcpLogger } from './logger.js';

const { DocumentEventData, Value } = google.events.cloud.firestore.v1;

/** The data of a Firestore CloudEvent is neither protobuf bytes nor their base64 text. */
export class UndecodableDocumentEventError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'UndecodableDocumentEventError';
  }
}

const BASE64_TEXT = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * The protobuf bytes of a DocumentEventData. Firestore sends them raw (`application/protobuf`); the
 * emulator sends their base64 text under the same content type. The two cannot be confused: an
 * encoded DocumentEventData starts with the tag of field 1, 2 or 3 (bytes 0x0A, 0x12, 0x1A), none of
 * which is a base64 character, while base64 text consists of nothing else.
 */
export function documentEventBytes(data: unknown): Uint8Array {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'latin1') : data instanceof Uint8Array ? Buffer.from(data) : undefined;
  if (bytes === undefined) throw new UndecodableDocumentEventError(`Firestore event data is ${typeof data}, not protobuf bytes`);
  const text = bytes.toString('latin1').trim();
  return text.length > 0 && BASE64_TEXT.test(text) ? Buffer.from(text, 'base64') : bytes;
}

type FirestoreValue = google.events.cloud.firestore.v1.IValue;
type FirestoreDocument = google.events.cloud.firestore.v1.IDocument;

/** A Firestore value as plain JSON-like data, as the client library would read it (timestamps as ISO strings). */
export function firestoreValueToPlain(value: FirestoreValue): unknown {
  // The oneof tells which field is set (a decoded message has defaults on the others).
  const field = (value instanceof Value ? value : Value.fromObject(value)).valueType;
  switch (field) {
    case 'nullValue':
      return null;
    case 'booleanValue':
      return value.booleanValue;
    case 'integerValue':
      // int64 arrives as a Long; every number our documents hold is a safe integer.
      return Number(String(value.integerValue));
    case 'doubleValue':
      return value.doubleValue;
    case 'timestampValue': {
      const seconds = Number(String(value.timestampValue?.seconds ?? 0));
      return new Date(seconds * 1000 + Math.floor((value.timestampValue?.nanos ?? 0) / 1e6)).toISOString();
    }
    case 'stringValue':
      return value.stringValue;
    case 'bytesValue':
      return Buffer.from(value.bytesValue ?? new Uint8Array()).toString('base64');
    case 'referenceValue':
      return value.referenceValue;
    case 'geoPointValue':
      return { latitude: value.geoPointValue?.latitude ?? 0, longitude: value.geoPointValue?.longitude ?? 0 };
    case 'arrayValue':
      return (value.arrayValue?.values ?? []).map(firestoreValueToPlain);
    case 'mapValue':
      return fieldsToPlain(value.mapValue?.fields);
    default:
      return null;
  }
}

function fieldsToPlain(fields: Record<string, FirestoreValue> | null | undefined): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields ?? {}).map(([name, value]) => [name, firestoreValueToPlain(value)]));
}

/** `projects/p/databases/(default)/documents/players/PLAYER#1` → `{ collection: 'players', documentId: 'PLAYER#1' }` (the last two segments). */
function keyOf(document: FirestoreDocument | null | undefined, subject: string | undefined): Record<string, unknown> {
  const path = document?.name ?? subject ?? '';
  const segments = path.split('/');
  return { collection: segments.at(-2) ?? '', documentId: segments.at(-1) ?? '' };
}

/**
 * A Firestore document CloudEvent as the neutral change record: the protobuf DocumentEventData
 * decoded, both images as plain objects, and the kind from which images are present (a written
 * event names no kind of its own: value only = insert, both = modify, oldValue only = remove).
 */
export function firestoreEventToChange(event: ReceivedCloudEvent<unknown>): ChangeRecord {
  let decoded: google.events.cloud.firestore.v1.DocumentEventData;
  try {
    decoded = DocumentEventData.decode(documentEventBytes(event.data));
  } catch (cause) {
    if (cause instanceof UndecodableDocumentEventError) throw cause;
    throw new UndecodableDocumentEventError(`Firestore event ${event.id} is not a DocumentEventData`, { cause });
  }
  const { value, oldValue } = decoded;
  if (!value && !oldValue) throw new UndecodableDocumentEventError(`Firestore event ${event.id} carries no document`);
  const kind = value && oldValue ? 'modify' : value ? 'insert' : 'remove';
  const change: ChangeRecord = { id: event.id, kind, key: keyOf(value ?? oldValue, event.subject) };
  if (oldValue) change.before = fieldsToPlain(oldValue.fields);
  if (value) change.after = fieldsToPlain(value.fields);
  return change;
}

/**
 * A CloudEvent function for a Firestore-triggered function (document.v1.written): one change per
 * invocation. A failure is rethrown, so functions-framework answers 500 and Firestore retries the
 * event when the trigger was deployed with --retry. Deliveries are at least once and unordered, so
 * the handlers are idempotent. `fn`: the catalogue name (compose.ts), for spans; without it, FUNCTION_TARGET.
 */
export function changeStreamTrigger<Deps>(handleChange: ChangeHandler<Deps>, deps: Deps, fn?: string) {
  return async (event: ReceivedCloudEvent<unknown>): Promise<void> => {
    const logger = gcpLogger(event.id);
    if (!isFirestoreDocumentEvent(event)) throw new UndecodableDocumentEventError(`Expected a Firestore document CloudEvent, got type ${String((event as { type?: unknown }).type)}`);
    const change = firestoreEventToChange(event);
    let hop: Hop | undefined; // the change's hop, so that its failure line carries its trace
    try {
      // A hop continuing the writer's trace (trace-carriers.ts); a delete event holds the last write, so it is linked instead.
      await inChangeHop(fn ?? functionNameOfPlatform(), change, (started) => handleChange(change, bindHop(deps, (hop = started))));
    } catch (error) {
      bindLogger(logger, hop).warn('Change failed; it is retried when the trigger has --retry', { eventId: event.id, key: change.key, error: describeError(error) });
      throw error;
    }
  };
}
