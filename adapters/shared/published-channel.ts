import { channel } from 'node:diagnostics_channel';
import type { DomainEvent } from '../../functions/domain/domain-events.js';

/** What a publisher announces after a message has been accepted by its queue or topic. */
export interface PublishedMessage {
  type: DomainEvent['type'];
  /** The envelope id, `EventCreated/<id>`. */
  id: string;
  /** The queue or topic, as the publisher names it (a URL or a name). */
  destination: string;
}

/**
 * A node diagnostics channel, so a local runner can say what an invocation published (offline/aws/invocation-lines.ts)
 * without the functions or publishers knowing about consoles. Channels are global by name, so the bundles
 * serverless-offline loads reach the runner's subscriber; with nobody subscribed, publishing costs nothing.
 */
export const PUBLISHED_CHANNEL = 'myevents:published';
const published = channel(PUBLISHED_CHANNEL);

export function announcePublished(event: DomainEvent, destination: string): void {
  if (published.hasSubscribers) published.publish({ type: event.type, id: event.id, destination } satisfies PublishedMessage);
}
