import { functionCatalogue, type FunctionName, type FunctionSpec } from '../../functions/catalogue.js';
import type { GcpPorts, TopicNames } from './environment.js';

type NamesTriggeredBy<T extends FunctionSpec['trigger']> = { [N in FunctionName]: (typeof functionCatalogue)[N]['trigger'] extends T ? N : never }[FunctionName];

/**
 * Where each triggered function listens on Google Cloud, from the catalogue (functions/catalogue.ts):
 * what `npm run deploy:gcp` deploys and `npm run start:gcp` subscribes. Apart from compose.ts, so no
 * function's bundle carries the whole catalogue.
 */

/** The document path pattern each change-stream function listens to (Firestore document.v1.written), in the deployment's collections. */
export const firestoreTriggerPatterns = (collections: GcpPorts['collections']): Record<NamesTriggeredBy<'change-stream'>, string> => {
  const patterns: Partial<Record<FunctionName, string>> = {};
  for (const spec of Object.values(functionCatalogue)) if (spec.trigger === 'change-stream') patterns[spec.name] = `${collections[spec.store]}/{documentId}`;
  return patterns as Record<NamesTriggeredBy<'change-stream'>, string>;
};

/** The topic each queue function consumes (Pub/Sub messagePublished), in the deployment's topics. */
export const pubSubTriggerTopics = (topics: TopicNames): Record<NamesTriggeredBy<'queue'>, string> => {
  const consumed: Partial<Record<FunctionName, string>> = {};
  for (const spec of Object.values(functionCatalogue)) if (spec.trigger === 'queue') consumed[spec.name] = topics[spec.queue];
  return consumed as Record<NamesTriggeredBy<'queue'>, string>;
};
