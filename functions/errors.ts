/**
 * Typed errors of the core. Each names what went wrong in business terms; the one mapping to
 * HTTP status codes lives in adapters/shared/error-response.ts, so no handler knows about HTTP codes.
 */

/** One offending field of a request or message, by its dotted path (`halls.0.capacity`). */
export interface FieldIssue {
  field: string;
  message: string;
}

/** Base class: a stable machine-readable `code` and a message that is safe to show to callers. */
export abstract class AppError extends Error {
  abstract readonly code: string;
  readonly details?: FieldIssue[];

  constructor(message: string, options?: { cause?: unknown; details?: FieldIssue[] }) {
    // A typed error is an answer (a 4xx) or a poison message, never a bug to trace: capturing its stack
    // was most of an error answer's cost (≈ 4 µs a throw; BENCHMARKS.md, error answers). Unexpected
    // errors (TypeError, an SDK's failure: the 500s) are not AppErrors and keep their stacks.
    const stackTraceLimit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    Error.stackTraceLimit = stackTraceLimit;
    this.name = new.target.name;
    if (options?.details) this.details = options.details;
  }
}

/** The input does not match the schema (wrong type, missing field, out of range). */
export class ValidationError extends AppError {
  readonly code = 'VALIDATION_FAILED';
}

/** A list's `cursor` is not one this list handed out (malformed, altered, or from another list). */
export class InvalidCursorError extends AppError {
  readonly code = 'INVALID_CURSOR';
  constructor(message: string) {
    super(message, { details: [{ field: 'cursor', message: 'Pass the cursor of the previous page unchanged, or none for the first page' }] });
  }
}

/** The request itself is malformed outside its body (two `Authorization` headers, a comma-joined one). */
export class InvalidRequestError extends AppError {
  readonly code = 'INVALID_REQUEST';
}

/** The request body is not parseable JSON. */
export class MalformedJsonError extends AppError {
  readonly code = 'MALFORMED_JSON';
}

/** The request body exceeds the size limit. */
export class PayloadTooLargeError extends AppError {
  readonly code = 'PAYLOAD_TOO_LARGE';
}

/** The request body is not JSON (by its content-type). */
export class UnsupportedMediaTypeError extends AppError {
  readonly code = 'UNSUPPORTED_MEDIA_TYPE';
}

/** No route matches the path. */
export class RouteNotFoundError extends AppError {
  readonly code = 'ROUTE_NOT_FOUND';
}

/** The path exists but not with this method; `allowed` feeds the Allow header. */
export class MethodNotAllowedError extends AppError {
  readonly code = 'METHOD_NOT_ALLOWED';
  constructor(
    message: string,
    readonly allowed: string[],
  ) {
    super(message);
  }
}

/** A resource the request names does not exist. */
export class NotFoundError extends AppError {
  readonly code = 'NOT_FOUND';
}

/** The request conflicts with the current state (no seats left, name taken). */
export class ConflictError extends AppError {
  constructor(
    readonly code: string,
    message: string,
    details?: FieldIssue[],
  ) {
    super(message, details ? { details } : undefined);
  }
}

/** The request is well-formed but refers to things that make it impossible (unknown location or hall). */
export class UnprocessableError extends AppError {
  constructor(
    readonly code: string,
    message: string,
    details?: FieldIssue[],
  ) {
    super(message, details ? { details } : undefined);
  }
}

/**
 * A queue message or change record that can never be processed (not JSON, wrong schema, unknown type).
 * Platforms retry it a bounded number of times, then move it to the dead-letter path.
 */
export class MalformedMessageError extends AppError {
  readonly code = 'MALFORMED_MESSAGE';
}

/**
 * No valid credentials: no bearer token, or one that is expired, forged, malformed or for another
 * audience. `reason` feeds RFC 6750's `WWW-Authenticate` challenge: absent when no token was sent
 * (RFC 6750 §3.1: no error code then), `invalid_token` otherwise.
 */
export class UnauthenticatedError extends AppError {
  readonly code = 'UNAUTHENTICATED';
  constructor(
    message: string,
    readonly reason?: 'invalid_token' | 'invalid_request',
  ) {
    super(message);
  }
}

/** Valid credentials that do not allow this: a missing scope (`requiredScope`) or another caller's resource. */
export class ForbiddenError extends AppError {
  readonly code = 'FORBIDDEN';
  constructor(
    message: string,
    readonly requiredScope?: string,
  ) {
    super(message);
  }
}

/** A request no HTTP parser reads (a NUL or a space in the request line, a broken header): answered by the local front doors. */
export class MalformedRequestError extends AppError {
  readonly code = 'MALFORMED_REQUEST';
}

/** The request's headers exceed what the server reads (16 KB, node's default). */
export class HeadersTooLargeError extends AppError {
  readonly code = 'HEADERS_TOO_LARGE';
}

/** The client did not finish sending its request in time. */
export class RequestTimeoutError extends AppError {
  readonly code = 'REQUEST_TIMEOUT';
}
