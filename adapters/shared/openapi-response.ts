import { openApiDocument } from './openapi.js';
import type { RawHttpRequest, RawHttpResponse } from './http-dispatch.js';
import { SECURITY_HEADERS } from './security-headers.js';

/** Where the local modes serve the API description (never deployed: it describes, it does not serve). */
export const OPENAPI_PATH = '/openapi.json';

/** Whether `request` asks for the API description. */
export const isOpenApiRequest = (request: Pick<RawHttpRequest, 'method' | 'path'>): boolean => request.method.toUpperCase() === 'GET' && request.path === OPENAPI_PATH;

/** The API description as both local modes answer it, generated once per process. */
let cached: string | undefined;
export function openApiResponse(requestId: string): RawHttpResponse {
  cached ??= JSON.stringify(openApiDocument());
  return { status: 200, headers: { 'content-type': 'application/json; charset=utf-8', 'x-request-id': requestId, ...SECURITY_HEADERS, 'access-control-allow-origin': '*' }, body: cached };
}
