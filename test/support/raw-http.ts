import { connect } from 'node:net';
import type { RawHttpRequest, RawHttpResponse } from '../../adapters/shared/http-dispatch.js';

/**
 * An HTTP/1.1 client on a bare TCP socket: it sends exactly the bytes it is given (fetch and node's
 * http.request refuse or rewrite the hostile ones: NUL, spaces, `..`, megabytes of headers), and reads
 * the answer to its end. One connection per request (`connection: close`).
 */
export interface RawAnswer extends RawHttpResponse {
  /** How the exchange ended: `answered`, or how the server dropped it (a reset, a close with no answer). */
  outcome: 'answered' | 'reset' | 'closed without an answer';
}

export interface RawSendOptions {
  /** Bytes sent at once, then `delayMs` between them (a slow client). */
  chunkBytes?: number;
  delayMs?: number;
  /** Half-close the connection after sending (a truncated body: fewer bytes than content-length). */
  endAfterSend?: boolean;
  timeoutMs?: number;
}

function parse(bytes: Buffer): RawHttpResponse | undefined {
  const headEnd = bytes.indexOf('\r\n\r\n');
  if (headEnd === -1) return undefined;
  const [statusLine = '', ...lines] = bytes.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    headers[name] = name in headers ? `${headers[name]}, ${line.slice(colon + 1).trim()}` : line.slice(colon + 1).trim();
  }
  let body = bytes.subarray(headEnd + 4);
  if (headers['transfer-encoding']?.includes('chunked')) {
    const parts: Buffer[] = [];
    let rest = body;
    for (;;) {
      const lineEnd = rest.indexOf('\r\n');
      const size = parseInt(rest.subarray(0, lineEnd).toString('latin1'), 16);
      if (!(size > 0)) break;
      parts.push(rest.subarray(lineEnd + 2, lineEnd + 2 + size));
      rest = rest.subarray(lineEnd + 2 + size + 2);
    }
    body = Buffer.concat(parts);
  }
  return { status, headers, body: body.toString('utf8') };
}

/** Sends `bytes` to 127.0.0.1:`port` and reads until the server closes. */
export function sendRaw(port: number, bytes: Buffer, options: RawSendOptions = {}): Promise<RawAnswer> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    const received: Buffer[] = [];
    let reset = false;
    let settled = false;
    const finish = (): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const parsed = parse(Buffer.concat(received));
      if (parsed && !(reset && parsed.status === 0)) resolve({ ...parsed, outcome: 'answered' });
      else resolve({ status: 0, headers: {}, body: '', outcome: reset ? 'reset' : 'closed without an answer' });
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 30_000);
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    socket.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNRESET' || error.code === 'EPIPE') reset = true;
      finish();
    });
    socket.on('end', finish);
    socket.on('close', finish);
    socket.once('connect', () => {
      void (async () => {
        const size = options.chunkBytes ?? bytes.length;
        for (let offset = 0; offset < bytes.length && !socket.destroyed; offset += size) {
          if (offset > 0 && options.delayMs) await new Promise((wait) => setTimeout(wait, options.delayMs));
          socket.write(bytes.subarray(offset, offset + size));
        }
        if (options.endAfterSend) socket.end();
      })();
    });
  });
}

/** The bytes of a request: target written as given, `content-length` from the body, `connection: close`. */
export function requestBytes(method: string, target: string, headers: Record<string, string>, body?: string | Buffer): Buffer {
  const payload = body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const lines = [`${method} ${target} HTTP/1.1`, 'host: 127.0.0.1', 'connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`content-length: ${payload.length}`);
  return Buffer.concat([Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'utf8'), payload]);
}

/** A generated raw request (test/support/fuzz-requests.ts) as bytes: its path written as generated, its body as JSON text. */
export function rawRequestBytes(request: RawHttpRequest): Buffer {
  const search = new URLSearchParams(request.query).toString();
  const body: unknown = request.body;
  const text = body === undefined || body === null ? undefined : typeof body === 'string' ? body : body instanceof Uint8Array ? Buffer.from(body) : JSON.stringify(body);
  // Header values travel as latin1 bytes; a header node cannot carry (a NUL, a line break) is the raw cases' business.
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, value.replace(/[\r\n]/g, ' ')]));
  return requestBytes(request.method, `${request.path}${search ? `?${search}` : ''}`, headers, text === undefined ? undefined : text);
}
