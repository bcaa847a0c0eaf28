import * as z from 'zod/mini';
import '../domain/zod-locale.js';
import { PAGE_LIMIT, type Page, type PageRequest } from '../paging.js';
import { parseOrThrow } from '../validation.js';
import type { ApiRequest, ApiResponse } from './contract.js';

const pageQuerySchema = z.object({
  // Digits only: "1e2", " 5" or "5.0" are refused rather than read as numbers.
  limit: z._default(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d{1,4}$/, 'Expected a whole number')), z.transform(Number)),
      z.number().check(z.minimum(PAGE_LIMIT.min), z.maximum(PAGE_LIMIT.max)),
    ),
    PAGE_LIMIT.default,
  ),
  cursor: z.optional(z.string().check(z.minLength(1))),
});

/** `?limit` (1–100, default 50) and `?cursor` of a list request; other query parameters are ignored. */
export function readPageRequest(request: ApiRequest): PageRequest {
  const { limit, cursor } = parseOrThrow(pageQuerySchema, { limit: request.query['limit'], cursor: request.query['cursor'] }, 'query');
  return { limit, cursor };
}

/**
 * A page as the API answers it: the body stays a plain JSON array (as in the book's API, so its
 * clients keep working) and the next page is announced in a `Link: <…>; rel="next"` header (RFC 8288),
 * absent on the last page. The link is relative to the request's own path, which every platform resolves.
 */
export function pagedOk<T>(request: ApiRequest, page: PageRequest, result: Page<T>): ApiResponse {
  if (result.cursor === undefined) return { status: 200, body: result.items };
  const next = `${request.path}?limit=${page.limit}&cursor=${encodeURIComponent(result.cursor)}`;
  return { status: 200, headers: { link: `<${next}>; rel="next"` }, body: result.items };
}
