import type { InvocationContext } from '@azure/functions';
import type { Logger } from '../../functions/ports.js';
import { jsonLogger } from '../shared/json-logger.js';

/**
 * The core's Logger port on Azure: one JSON line per entry with the invocation id as request id,
 * written through the invocation's own log so the host attributes it to this invocation.
 */
export function invocationLogger(context: InvocationContext): Logger {
  return jsonLogger({ service: 'myevents', functionName: context.functionName, requestId: context.invocationId }, (line) => context.log(line));
}
