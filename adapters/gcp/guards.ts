/**
 * Type guards for the Google Cloud trigger payloads we handle (CloudEvents as functions-framework
 * hands them over). Each checks only what tells its shape apart from the others; the rest is
 * Google's contract.
 */

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export const PUBSUB_MESSAGE_PUBLISHED = 'google.cloud.pubsub.topic.v1.messagePublished';
export const FIRESTORE_DOCUMENT_EVENT_TYPES = [
  'google.cloud.firestore.document.v1.created',
  'google.cloud.firestore.document.v1.updated',
  'google.cloud.firestore.document.v1.deleted',
  'google.cloud.firestore.document.v1.written',
] as const;

/** A Pub/Sub message as it travels in a push request and in a messagePublished CloudEvent (data base64). */
export interface PubSubMessage {
  data?: string;
  attributes?: Record<string, string>;
  messageId?: string;
  publishTime?: string;
}

/** The data of a messagePublished CloudEvent (google.events.cloud.pubsub.v1.MessagePublishedData). */
export interface MessagePublishedData {
  message: PubSubMessage;
  subscription?: string;
  /** Set by Pub/Sub on push deliveries when the subscription has a dead-letter policy. */
  deliveryAttempt?: number;
}

/** The CloudEvent fields our adapters read; functions-framework's CloudEvent type satisfies it. */
export interface ReceivedCloudEvent<T> {
  id: string;
  type: string;
  source: string;
  subject?: string | undefined;
  time?: string | undefined;
  data?: T | undefined;
  [extension: string]: unknown;
}

/** A Pub/Sub messagePublished CloudEvent whose data holds a `message` object. */
export function isMessagePublishedEvent(event: unknown): event is ReceivedCloudEvent<MessagePublishedData> {
  return isRecord(event) && event['type'] === PUBSUB_MESSAGE_PUBLISHED && isRecord(event['data']) && isRecord(event['data']['message']);
}

/** A Firestore document CloudEvent (created, updated, deleted or written). */
export function isFirestoreDocumentEvent(event: unknown): event is ReceivedCloudEvent<unknown> {
  return isRecord(event) && (FIRESTORE_DOCUMENT_EVENT_TYPES as readonly unknown[]).includes(event['type']);
}
