import {
  AppError,
  ConflictError,
  ForbiddenError,
  HeadersTooLargeError,
  InvalidCursorError,
  InvalidRequestError,
  MalformedJsonError,
  MalformedMessageError,
  MalformedRequestError,
  MethodNotAllowedError,
  NotFoundError,
  PayloadTooLargeError,
  RequestTimeoutError,
  RouteNotFoundError,
  UnauthenticatedError,
  UnprocessableError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../functions/errors.js';
import type { ErrorBody } from '../../functions/http/error-body.js';
import { challengeFor } from './auth.js';

/** The one mapping from typed errors to HTTP status codes. */
const statusByError: ReadonlyArray<readonly [abstract new (...args: never[]) => AppError, number]> = [
  [ValidationError, 400],
  [MalformedJsonError, 400],
  [InvalidCursorError, 400],
  [InvalidRequestError, 400],
  [MalformedMessageError, 400],
  [MalformedRequestError, 400],
  [UnauthenticatedError, 401],
  [ForbiddenError, 403],
  [RouteNotFoundError, 404],
  [NotFoundError, 404],
  [MethodNotAllowedError, 405],
  [RequestTimeoutError, 408],
  [ConflictError, 409],
  [PayloadTooLargeError, 413],
  [UnsupportedMediaTypeError, 415],
  [HeadersTooLargeError, 431],
  [UnprocessableError, 422],
];

export type { ErrorBody } from '../../functions/http/error-body.js';

export interface ErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: ErrorBody;
}

/** HTTP status of an error: its mapped 4xx, or 500 for anything unexpected. */
export function statusOf(error: unknown): number {
  return statusByError.find(([errorClass]) => error instanceof errorClass)?.[1] ?? 500;
}

/**
 * The response for an error. Messages and details are shown only for mapped (4xx) errors;
 * anything else is a plain 500 that names the request id (and the trace) and never the error itself.
 */
export function errorResponse(error: unknown, requestId: string, traceId?: string): ErrorResponse {
  const status = statusOf(error);
  const ids = traceId === undefined ? { requestId } : { requestId, traceId };
  if (status === 500 || !(error instanceof AppError)) {
    return { status: 500, headers: {}, body: { error: { code: 'INTERNAL', message: 'Internal server error', ...ids } } };
  }
  const headers: Record<string, string> = error instanceof MethodNotAllowedError ? { allow: error.allowed.join(', ') } : {};
  if (error instanceof UnauthenticatedError || error instanceof ForbiddenError) {
    const challenge = challengeFor(error);
    if (challenge !== undefined) headers['www-authenticate'] = challenge;
  }
  const body: ErrorBody = { error: { code: error.code, message: error.message, ...ids } };
  if (error.details) body.error.details = error.details;
  return { status, headers, body };
}
