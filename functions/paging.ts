import { InvalidCursorError } from './errors.js';

/**
 * Paging, the one contract every list follows (ports, HTTP, every platform): a page request names a
 * limit and, after the first page, the cursor the previous page returned; a page holds at most `limit`
 * items and a cursor exactly when more may follow.
 */
export interface PageRequest {
  /** 1 to PAGE_LIMIT.max. */
  limit: number;
  /** The `cursor` of the previous page; absent for the first page. */
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** Present when another page may follow; opaque to callers. */
  cursor?: string;
}

export const PAGE_LIMIT = { min: 1, max: 100, default: 50 } as const;

/**
 * Cursors carry a position in the list's order (a sort key, never a database offset) and the name of
 * the list they belong to, base64url-encoded so they travel in a query string unescaped. Keyset paging
 * keeps pages free of duplicates and gaps while items are added, and costs the same on every page.
 * A cursor is not signed: one crafted by hand can only name a position in the same list, whose items
 * the caller may read anyway; anything else is refused with a 400.
 */
const MAX_CURSOR_LENGTH = 1400;
/** DynamoDB's sort key limit is 1,024 bytes; positions are sort keys on every engine. */
const MAX_POSITION_BYTES = 1024;

interface CursorContent {
  /** The list: `events`, `bookings/<eventId>`, ... */
  l: string;
  /** The position of the last item of the previous page, in the list's order. */
  p: string;
}

/** Encodes the position of a page's last item in list `list` as an opaque cursor. */
export function encodeCursor(list: string, position: string): string {
  const content: CursorContent = { l: list, p: position };
  return Buffer.from(JSON.stringify(content), 'utf8').toString('base64url');
}

/**
 * The position a cursor of list `list` names. Throws InvalidCursorError (a 400 at the edge) for a
 * cursor that is not one of ours, belongs to another list, or whose position `isPosition` refuses.
 */
export function decodeCursor(list: string, cursor: string, isPosition: (position: string) => boolean): string {
  const content = cursor.length <= MAX_CURSOR_LENGTH && /^[\w-]+$/.test(cursor) ? parseContent(cursor) : undefined;
  if (content === undefined) throw new InvalidCursorError('The cursor is malformed: pass the cursor of the previous page unchanged');
  if (content.l !== list) throw new InvalidCursorError('The cursor belongs to another list');
  if (Buffer.byteLength(content.p, 'utf8') > MAX_POSITION_BYTES || !isPosition(content.p)) {
    throw new InvalidCursorError('The cursor names no position in this list');
  }
  return content.p;
}

function parseContent(cursor: string): CursorContent | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (typeof value !== 'object' || value === null) return undefined;
    const { l, p } = value as Record<string, unknown>;
    return typeof l === 'string' && typeof p === 'string' && Object.keys(value).length === 2 ? { l, p } : undefined;
  } catch {
    return undefined;
  }
}

/** A page of `items` (in list order); with `more`, its cursor names the position of the last item. */
export function pageOf<T>(items: T[], more: boolean, list: string, positionOf: (item: T) => string): Page<T> {
  const last = items.at(-1);
  return more && last !== undefined ? { items, cursor: encodeCursor(list, positionOf(last)) } : { items };
}

/**
 * One page of items already sorted by `positionOf`, after the cursor's position: for stores that hold
 * the whole list in order (in memory). Database implementations page in the database instead.
 */
export function pageOfSorted<T>(sorted: readonly T[], positionOf: (item: T) => string, after: string | undefined, limit: number, list: string): Page<T> {
  const start = after === undefined ? 0 : sorted.findIndex((item) => positionOf(item) > after);
  const rest = start === -1 ? [] : sorted.slice(start);
  return pageOf(rest.slice(0, limit), rest.length > limit, list, positionOf);
}
