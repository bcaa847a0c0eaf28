import { domainEventSchema, type DomainEvent } from '../domain/domain-events.js';
import { MalformedMessageError } from '../errors.js';
import { toFieldIssues } from '../validation.js';
import type { QueueMessage } from './contract.js';

/** Reads the domain event a message carries, or throws MalformedMessageError naming what is wrong. */
export function readDomainEvent(message: QueueMessage): DomainEvent {
  let json: unknown;
  try {
    json = JSON.parse(message.body);
  } catch (cause) {
    throw new MalformedMessageError(`Message ${message.id} is not JSON`, { cause });
  }
  const result = domainEventSchema.safeParse(json);
  if (!result.success) {
    throw new MalformedMessageError(`Message ${message.id} is not a known domain event`, { details: toFieldIssues(result.error) });
  }
  return result.data;
}
