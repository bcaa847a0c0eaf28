import type { Logger } from '../../functions/ports.js';
import { redactSecrets } from '../shared/redact.js';

type Severity = 'INFO' | 'WARNING' | 'ERROR';
type Sink = (line: string) => void;

/**
 * The core's Logger port on Google Cloud: one JSON object per line on stdout, which Cloud Logging
 * turns into a structured entry, reading its level from `severity` (not `level`) and its text from
 * `message`. Every line carries the request id callers see (the CloudEvent id for triggers).
 */
export function gcpLogger(requestId: string, sink: Sink = (line) => process.stdout.write(`${line}\n`)): Logger {
  const write = (severity: Severity, message: string, fields?: Record<string, unknown>): void =>
    sink(redactSecrets(JSON.stringify({ severity, message, time: new Date().toISOString(), requestId, ...fields })));
  return {
    info: (message, fields) => write('INFO', message, fields),
    warn: (message, fields) => write('WARNING', message, fields),
    error: (message, fields) => write('ERROR', message, fields),
  };
}
