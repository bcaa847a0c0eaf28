import type { Logger } from '../../functions/ports.js';
import { jsonLogger, type LevelStyle } from '../shared/json-logger.js';

type Sink = (line: string) => void;

/** Cloud Logging reads a structured entry's level from `severity`, with its own names (WARNING, not WARN). */
const CLOUD_LOGGING_LEVELS: LevelStyle = { key: 'severity', names: { INFO: 'INFO', WARN: 'WARNING', ERROR: 'ERROR' } };

/**
 * The core's Logger port on Google Cloud: one JSON object per line on stdout, which Cloud Logging
 * turns into a structured entry (its text from `message`). Every line carries the request id callers
 * see (the CloudEvent id for triggers) and, once bound to a hop, its traceId and spanId, as on AWS and Azure.
 */
export function gcpLogger(requestId: string, sink: Sink = (line) => process.stdout.write(`${line}\n`)): Logger {
  return jsonLogger({ requestId }, sink, 'INFO', CLOUD_LOGGING_LEVELS);
}
