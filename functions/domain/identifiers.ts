import * as z from 'zod/mini';
import './zod-locale.js';

/**
 * Identifiers and looked-up names, checked once at the edge so that no database ever sees a key it
 * refuses (which it would answer with an error, our 500). The strictest limits of the engines we run on:
 * DynamoDB sort keys 1,024 bytes and partition keys 2,048 bytes (ours carry a prefix: `EVENT#<id>`,
 * `EVENT_NAME#<name>`), Cosmos DB ids 1,023 bytes without `/ \ ? #`, Firestore document ids 1,500 bytes,
 * never `.` or `..`, without `/`. Limits are in UTF-8 bytes, as the databases count them.
 */

/** Every id we hand out is a UUID (or, in tests, `id-1`); 128 bytes leaves room for any prefix on every engine. */
export const MAX_ID_BYTES = 128;

/** Ids are ASCII word characters and `-` (the list positions of functions/domain/list-order.ts assume it too). */
const ID_PATTERN = /^[\w-]+$/;

export const idSchema = z.string().check(z.minLength(1), z.maxLength(MAX_ID_BYTES, `At most ${MAX_ID_BYTES} characters`), z.regex(ID_PATTERN, 'Only letters, digits, "_" and "-"'));

/** An id that passes idSchema is ASCII, so its length is its size in bytes on every engine. */
export const isWellFormedId = (value: string): boolean => idSchema.safeParse(value).success;

const encoder = new TextEncoder();
export const utf8Bytes = (value: string): number => encoder.encode(value).length;

/** 200 characters is the published limit; 800 bytes (200 four-byte characters) bounds the key on every engine. */
export const MAX_NAME_CHARACTERS = 200;
export const MAX_NAME_BYTES = 800;

/**
 * A name that is looked up by URL path (`GET /events/name/{name}`) must survive the trip through a URL
 * on every platform: HTTP stacks and clients resolve `.` and `..` segments, split on `/` (`%2F` too, on
 * some), trim or reject surrounding spaces and control characters, and cannot percent-encode a lone
 * surrogate (encodeURIComponent throws). Such names are refused at creation rather than stored unfindable.
 */
export const urlNameSchema = z.string().check(
  z.minLength(1),
  z.superRefine((name, ctx) => {
    const problem = urlNameProblem(name);
    if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
  }),
  // The refinement is invisible to JSON Schema: the API description states the limits itself.
  z.meta({
    maxLength: MAX_NAME_CHARACTERS,
    description: `At most ${MAX_NAME_CHARACTERS} characters and ${MAX_NAME_BYTES} bytes in UTF-8; no surrounding spaces, control characters, lone surrogates, "/", "\\", "." or ".."`,
  }),
);

/** Why `name` cannot be a findable name, or undefined when it can. */
export function urlNameProblem(name: string): string | undefined {
  if ([...name].length > MAX_NAME_CHARACTERS) return `At most ${MAX_NAME_CHARACTERS} characters`;
  if (utf8Bytes(name) > MAX_NAME_BYTES) return `At most ${MAX_NAME_BYTES} bytes in UTF-8`;
  if (/\p{Cs}/u.test(name)) return 'Must be valid Unicode (no lone surrogate)';
  if (/\p{Cc}/u.test(name)) return 'Must not contain control characters';
  if (name !== name.trim()) return 'Must not start or end with spaces';
  if (name === '.' || name === '..') return 'Must not be "." or ".."';
  if (name.includes('/') || name.includes('\\')) return 'Must not contain "/" or "\\"';
  return undefined;
}

export const isFindableName = (value: string): boolean => value.length > 0 && urlNameProblem(value) === undefined;
