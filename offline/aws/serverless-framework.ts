import { getAttTarget, type CfnResources } from './provision.js';

/** The parts of the Serverless Framework's plugin API (its documented `serverless` object) our plugin reads. */
export interface ServerlessLike {
  service: {
    service: string;
    provider: { region?: string; stage?: string };
    custom?: Record<string, unknown>;
    resources?: { Resources?: CfnResources };
    getAllFunctions(): string[];
    getFunction(key: string): { handler?: string; name?: string; events?: Record<string, unknown>[] };
  };
}

/** The Serverless Framework's plugin logger (`{ log }` of a plugin's constructor). */
export interface PluginLog {
  notice(message: string): void;
  warning(message: string): void;
  error(message: string): void;
}

/** A trigger event of a function whose source is a resource of the template itself. */
export interface TemplateEventSource {
  functionKey: string;
  definition: ReturnType<ServerlessLike['service']['getFunction']>;
  /** The event's own settings (`sqs: {...}`, `stream: {...}`). */
  event: Record<string, unknown>;
  /** The resource's physical name (its QueueName or TableName property). */
  name: string;
}

/**
 * Every enabled `kind` event of every function whose `arn` is `!GetAtt <Resource>.<Attribute>` of a
 * resource in the template, with that resource's `nameProperty`; any other source is warned about and
 * skipped (the emulators only hold what the template declares).
 */
export function templateEventSources(
  serverless: ServerlessLike,
  kind: 'sqs' | 'stream',
  nameProperty: 'QueueName' | 'TableName',
  warnSkipped: (functionKey: string) => void,
  /** Events of this kind that are ours to run at all (a `stream` of another type is not), checked first. */
  accepts: (event: Record<string, unknown>) => boolean = () => true,
): TemplateEventSource[] {
  const resources = serverless.service.resources?.Resources ?? {};
  const sources: TemplateEventSource[] = [];
  for (const functionKey of serverless.service.getAllFunctions()) {
    const definition = serverless.service.getFunction(functionKey);
    for (const declared of definition.events ?? []) {
      const event = declared[kind] as Record<string, unknown> | undefined;
      if (!event || !accepts(event) || event['enabled'] === false) continue;
      const target = getAttTarget(event['arn']);
      const name = target && resources[target.id]?.Properties?.[nameProperty];
      if (typeof name === 'string') sources.push({ functionKey, definition, event, name });
      else warnSkipped(functionKey);
    }
  }
  return sources;
}
