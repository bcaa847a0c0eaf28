import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Logger } from '../../functions/ports.js';

/**
 * One Powertools logger per bundle: JSON lines with the Lambda request id (`function_request_id`)
 * once middy's injectLambdaContext has run; level from POWERTOOLS_LOG_LEVEL.
 */
export const powertoolsLogger = new PowertoolsLogger({ serviceName: process.env['POWERTOOLS_SERVICE_NAME'] ?? 'myevents' });

/** The core's Logger port over Powertools, adding the request id we also send to callers. */
export function portLogger(requestId: string): Logger {
  return {
    info: (message, fields) => powertoolsLogger.info(message, { requestId, ...fields }),
    warn: (message, fields) => powertoolsLogger.warn(message, { requestId, ...fields }),
    error: (message, fields) => powertoolsLogger.error(message, { requestId, ...fields }),
  };
}
