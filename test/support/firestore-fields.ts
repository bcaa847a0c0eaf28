import type { google } from '@skunkteam/google-cloudevents-firestore';

/** A plain value as a Firestore protobuf Value, as Firestore encodes a document's fields in its CloudEvents. */
function firestoreValue(value: unknown): google.events.cloud.firestore.v1.IValue {
  if (value === null) return { nullValue: 0 };
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { booleanValue: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { integerValue: value } : { doubleValue: value };
  if (Array.isArray(value)) return { arrayValue: { values: value.map(firestoreValue) } };
  return { mapValue: { fields: firestoreFields(value as Record<string, unknown>) } };
}

/** A plain document's fields as a Firestore DocumentEventData carries them. */
export const firestoreFields = (document: Record<string, unknown>): Record<string, google.events.cloud.firestore.v1.IValue> =>
  Object.fromEntries(Object.entries(document).map(([name, value]) => [name, firestoreValue(value)]));
