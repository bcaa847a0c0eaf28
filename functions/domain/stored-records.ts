/**
 * Repositories store each domain object verbatim plus an `entity` tag. Change-stream handlers read
 * these documents from the database's change log (DynamoDB NewImage, Cosmos DB change feed, Firestore
 * document), so every platform's repositories must write them this way; platform keys (pk, sk, _etag…)
 * are extra fields the domain schemas strip. Helper documents a platform needs (uniqueness markers,
 * idempotency keys) carry other tags, which stream handlers skip.
 */
export const ENTITY = {
  location: 'location',
  event: 'event',
  booking: 'booking',
  knownEvent: 'known-event',
  player: 'player',
} as const;

export type Entity = (typeof ENTITY)[keyof typeof ENTITY];

/** The `entity` tag of a stored document, if it has one. */
export function entityOf(document: Record<string, unknown> | undefined): string | undefined {
  const tag = document?.['entity'];
  return typeof tag === 'string' ? tag : undefined;
}
