import type { Logger } from '../../functions/ports.js';

type Level = 'INFO' | 'WARN' | 'ERROR';
type Sink = (line: string) => void;

/**
 * One JSON object per line, with the fields every line shares (service, requestId). Used where no
 * platform logger exists (local, Azure, GCP); on AWS, Powertools Logger plays this part.
 */
export function jsonLogger(shared: Record<string, unknown>, sink: Sink = (line) => process.stdout.write(`${line}\n`)): Logger {
  const write = (level: Level, message: string, fields?: Record<string, unknown>): void =>
    sink(JSON.stringify({ level, time: new Date().toISOString(), message, ...shared, ...fields }));
  return {
    info: (message, fields) => write('INFO', message, fields),
    warn: (message, fields) => write('WARN', message, fields),
    error: (message, fields) => write('ERROR', message, fields),
  };
}

/** For tests and benchmarks that must stay quiet. */
export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} };
