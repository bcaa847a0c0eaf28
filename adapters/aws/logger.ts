import type { Logger } from '../../functions/ports.js';
import { jsonLogger, levelFromEnv } from '../shared/json-logger.js';

/**
 * The AWS log path: one JSON line per entry on stdout (CloudWatch keeps each line as one event), with
 * the service, the function and the Lambda request id, the same shape as on Azure and GCP.
 *
 * Why not Powertools Logger (used until issue 13): with its injectLambdaContext middleware it cost
 * 17 KB + 5 KB of each 143 KB bundle, several ms of cold init, and per request about 4 µs for the
 * middleware plus more per line than this path (BENCHMARKS.md has the figures), for fields we write
 * ourselves: the request id (already on every line and in `x-request-id`), the function name.
 *
 * Level: Lambda's own setting (AWS_LAMBDA_LOG_LEVEL, advanced logging controls) wins, then LOG_LEVEL,
 * then POWERTOOLS_LOG_LEVEL (the name serverless.yml used before); INFO by default. Read once per cold start.
 */
export const logLevel = levelFromEnv(['AWS_LAMBDA_LOG_LEVEL', 'LOG_LEVEL', 'POWERTOOLS_LOG_LEVEL']);

const service = process.env['POWERTOOLS_SERVICE_NAME'] ?? process.env['SERVICE_NAME'] ?? 'myevents';
const functionName = process.env['AWS_LAMBDA_FUNCTION_NAME'];

/** Where AWS log lines go; replaced in tests to capture or silence them. */
export const lambdaLog = { write: (line: string): void => void process.stdout.write(`${line}\n`) };

/** The core's Logger port for one invocation: every line carries the request id we also send to callers. */
export function portLogger(requestId: string): Logger {
  return jsonLogger(functionName === undefined ? { service, requestId } : { service, function: functionName, requestId }, (line) => lambdaLog.write(line), logLevel);
}
