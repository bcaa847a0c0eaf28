import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { MAX_BODY_BYTES, type RawHttpRequest } from '../shared/http-dispatch.js';
import { nodeRequestHeaders } from '../shared/node-headers.js';
import type { LocalApp } from './local-app.js';

/**
 * Keeps at most one chunk past the limit, so an oversized body is refused (413) without buffering all
 * of it; the rest is read and dropped rather than left unread, which would stall the kept-alive connection.
 */
async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    size += chunk.length;
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Translates a node request into the raw request every adapter produces. */
export async function incomingMessageToRawRequest(request: IncomingMessage): Promise<RawHttpRequest> {
  const url = new URL(request.url ?? '/', 'http://localhost');
  return { method: request.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), headers: nodeRequestHeaders(request), body: await readBody(request) };
}

/** A plain node HTTP server in front of the in-process app (the embedded local mode). */
export function createLocalHttpServer(app: LocalApp): Server {
  return createServer((request: IncomingMessage, response: ServerResponse) => {
    const requestId = randomUUID();
    incomingMessageToRawRequest(request)
      .then((raw) => app.handle(raw, requestId))
      .then((result) => {
        response.writeHead(result.status, result.headers).end(result.body);
      })
      .catch(() => {
        if (!response.headersSent) response.writeHead(500, { 'x-request-id': requestId });
        response.end();
      });
  });
}
