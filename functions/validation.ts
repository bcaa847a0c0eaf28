import type * as z from 'zod/mini';
import './domain/zod-locale.js';
import { ValidationError, type FieldIssue } from './errors.js';

/** Turns zod issues into field issues named by dotted path (`halls.0.capacity`); the root is `body`. */
export function toFieldIssues(error: z.core.$ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.map(String).join('.') : '(root)',
    message: issue.message,
  }));
}

/**
 * Validates `value` against `schema` and returns the parsed value, or throws a ValidationError
 * whose details name every offending field. `what` prefixes the message ("body", "path parameter").
 */
export function parseOrThrow<S extends z.ZodMiniType>(schema: S, value: unknown, what: string): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const details = toFieldIssues(result.error);
  const first = details[0];
  const summary = first ? `${first.field}: ${first.message}` : 'invalid';
  throw new ValidationError(`Invalid ${what} (${summary})`, { details });
}
