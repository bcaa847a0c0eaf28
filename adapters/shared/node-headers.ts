import type { IncomingMessage } from 'node:http';

/**
 * A node request's headers as one string per lower-cased name, repeated ones joined with ", " as AWS and
 * the fetch API join them. Node's own map joins most repeated headers but keeps only the first
 * `Authorization`, which would answer two of them with the first one's identity: those are read from
 * `rawHeaders` so the shared check refuses them (400 INVALID_REQUEST), as on AWS.
 */
export function nodeRequestHeaders(request: Pick<IncomingMessage, 'headers' | 'rawHeaders'>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const authorizations = request.rawHeaders.filter((_, index, raw) => index % 2 === 1 && raw[index - 1]?.toLowerCase() === 'authorization');
  if (authorizations.length > 1) headers['authorization'] = authorizations.join(', ');
  return headers;
}
