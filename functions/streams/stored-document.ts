import type * as z from 'zod/mini';
import { MalformedMessageError } from '../errors.js';
import { toFieldIssues } from '../validation.js';

/** Parses a stored document read from a change stream; a document that breaks its schema can never be processed. */
export function parseStoredDocument<S extends z.ZodMiniType>(schema: S, document: unknown, what: string): z.output<S> {
  const result = schema.safeParse(document);
  if (result.success) return result.data;
  throw new MalformedMessageError(`Stored ${what} does not match its schema`, { details: toFieldIssues(result.error) });
}
