import type * as z from 'zod/mini';

/**
 * The neutral HTTP contract between the core and every platform adapter.
 * Adapters build an ApiRequest from their trigger shape; handlers return an ApiResponse.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * Who may call a route: anyone (`public`), any caller with a valid token (`caller`), or a caller with
 * the `admin` scope. Checked once, before the handler, by the shared HTTP layer (adapters/shared/auth.ts).
 */
export type Access = 'public' | 'caller' | 'admin';

/** The verified caller of a request: the token's `sub` and its scopes. */
export interface Caller {
  subject: string;
  scopes: readonly string[];
}

export interface ApiRequest {
  method: string;
  path: string;
  /** Path parameters from the matched route pattern (`/events/{id}` → `{ id }`), URL-decoded. */
  params: Record<string, string>;
  query: Record<string, string>;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  /** Parsed JSON body; undefined when the request had none. */
  body: unknown;
  /** The verified caller; set on every `caller` and `admin` route, never on a public one (its `Authorization` is not read). */
  caller?: Caller;
}

export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  /** Serialised as JSON by the adapter; omitted for 204. */
  body?: unknown;
}

export type HttpHandler<Deps> = (request: ApiRequest, deps: Deps) => Promise<ApiResponse>;

export interface Route<Deps> {
  method: HttpMethod;
  /** Path pattern with `{name}` parameters, as API Gateway, Azure and our router spell it. */
  path: string;
  handler: HttpHandler<Deps>;
  /** Required, so no route is open by omission. */
  access: Access;
  /** One line for the API description (adapters/shared/openapi.ts). */
  summary?: string;
  /** The schema the handler validates its JSON body with, for the API description. */
  requestBody?: z.ZodMiniType;
  /** Answers one page (`?limit&cursor`, `Link: rel="next"`). */
  paged?: true;
  /**
   * The schema of the success body (of each item, when `paged`): the domain schema the repositories parse
   * stored records with and the handler's answer is typed from, so the API description cannot drift from it.
   * None for a 204.
   */
  responseBody?: z.ZodMiniType;
  /** The refusals the handler itself raises (statuses the shared layer adds are derived from `access`, `requestBody`, `paged` and the path), each with when. */
  refusals?: Partial<Record<RefusalStatus, string>>;
  /** Request headers the handler reads besides Authorization, for the API description. */
  requestHeaders?: readonly RequestHeader[];
}

/** Statuses a handler raises through the typed errors of functions/errors.ts. */
export type RefusalStatus = 403 | 404 | 409 | 422;

export interface RequestHeader {
  name: string;
  description: string;
  schema: z.ZodMiniType;
}

export const ok = (body: unknown): ApiResponse => ({ status: 200, body });
export const created = (body: unknown): ApiResponse => ({ status: 201, body });
export const noContent = (): ApiResponse => ({ status: 204 });
