import { randomFillSync } from 'node:crypto';

/**
 * W3C Trace Context (https://www.w3.org/TR/trace-context/): the `traceparent` and `tracestate` headers,
 * read and written by hand. `@opentelemetry/api`'s `propagation` does nothing until a propagator is
 * registered (and the W3C one lives in @opentelemetry/core, ≈ 8 KB more per bundle), while the format is
 * one fixed 55-character line: these few functions keep the context flowing with no SDK at all.
 */

/** One hop's place in a trace, as `traceparent` carries it. */
export interface TraceContext {
  /** 32 lowercase hex digits, not all zero. */
  traceId: string;
  /** 16 lowercase hex digits, not all zero: the span that sent (or stored) this context. */
  spanId: string;
  /** trace-flags; bit 0 is "sampled". */
  flags: number;
  /** `tracestate` as received, passed on unchanged (vendors' own data). */
  tracestate?: string;
}

const ZERO_TRACE_ID = '0'.repeat(32);
const ZERO_SPAN_ID = '0'.repeat(16);
/** version-trace-id-parent-id-flags, lowercase hex; a later version may add fields after a dash. */
/**
 * version-trace-id-parent-id-flags, lowercase hex; a later version may add fields after a dash. Tested
 * without capturing groups, then read at the fields' fixed offsets (the same for every version).
 */
const TRACEPARENT = /^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}(-|$)/;

/** The spec's limit on what a vendor must pass on; longer values (or control characters) are dropped, not truncated. */
const TRACESTATE = /^[\x20-\x7e]{1,512}$/;

/**
 * A `traceparent` header value, or undefined when it is missing or invalid (then a new trace starts, as
 * the spec asks). Version 00 is exactly 55 characters; a later version may be longer, and only its
 * version-00 prefix is read; version ff and uppercase hex are invalid. Two headers joined by a comma are
 * invalid too (the spec: more than one traceparent means none).
 */
export function parseTraceparent(value: string | undefined, tracestate?: string): TraceContext | undefined {
  const text = value?.trim();
  if (text === undefined || !TRACEPARENT.test(text)) return undefined;
  const version = text.slice(0, 2);
  if (version === 'ff' || (version === '00' && text.length !== 55)) return undefined;
  const traceId = text.slice(3, 35);
  const spanId = text.slice(36, 52);
  if (traceId === ZERO_TRACE_ID || spanId === ZERO_SPAN_ID) return undefined;
  const context: TraceContext = { traceId, spanId, flags: Number.parseInt(text.slice(53, 55), 16) };
  if (tracestate !== undefined) withTracestate(context, tracestate);
  return context;
}

function withTracestate(context: TraceContext, tracestate: string): void {
  const state = tracestate.trim();
  if (TRACESTATE.test(state)) context.tracestate = state;
}

/** `00-<trace-id>-<span-id>-<flags>`, the header value of a context (version 00, as every sender writes). */
export function formatTraceparent(context: Pick<TraceContext, 'traceId' | 'spanId' | 'flags'>): string {
  return `00-${context.traceId}-${context.spanId}-${context.flags === SAMPLED ? '01' : (context.flags & 0xff).toString(16).padStart(2, '0')}`;
}

/** The `sampled` flag: we never drop a trace ourselves, so every context we start is sampled. */
export const SAMPLED = 0x01;

/**
 * Random hex digits drawn from the system's CSPRNG 4 KB at a time and written out as hex once: an id is
 * then a slice of that string (a `randomBytes(8)` call per id cost more than the rest of an id, and a
 * `toString('hex')` per id a good part of what remained).
 */
const pool = Buffer.alloc(4096);
let poolHex = '';
let poolAt = 0;

function randomHex(digits: number): string {
  if (poolAt + digits > poolHex.length) {
    poolHex = randomFillSync(pool).toString('hex');
    poolAt = 0;
  }
  const hex = poolHex.slice(poolAt, (poolAt += digits));
  return hex;
}

/** A new trace id: 16 random bytes, never all zero. */
export function newTraceId(): string {
  let id = randomHex(32);
  while (id === ZERO_TRACE_ID) id = randomHex(32);
  return id;
}

/** A new span id: 8 random bytes, never all zero. */
export function newSpanId(): string {
  let id = randomHex(16);
  while (id === ZERO_SPAN_ID) id = randomHex(16);
  return id;
}

/**
 * The `X-Amzn-Trace-Id` header (`Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1`)
 * in W3C terms: X-Ray's root is the same 128 bits (8 hex digits of epoch seconds, then 24 random) written
 * with dashes, and its Parent a 64-bit span id. Lets our trace name, and link to, the one API Gateway or
 * X-Ray started; undefined without a valid root. API Gateway's HTTP APIs send a root without a parent.
 */
export function amznTraceIdToW3c(header: string | undefined): { traceId: string; spanId?: string } | undefined {
  const root = header === undefined ? null : XRAY_ROOT.exec(header);
  if (!root) return undefined;
  const traceId = `${root[1]}${root[2]}`.toLowerCase();
  if (traceId === ZERO_TRACE_ID) return undefined;
  const parent = XRAY_PARENT.exec(header!)?.[1]?.toLowerCase();
  return parent !== undefined && parent !== ZERO_SPAN_ID ? { traceId, spanId: parent } : { traceId };
}

/** The header's `Root` and `Parent` fields (`;`-separated `key=value` pairs, spaces around them allowed). */
const XRAY_ROOT = /(?:^|;)\s*Root=1-([0-9a-fA-F]{8})-([0-9a-fA-F]{24})\s*(?:;|$)/;
const XRAY_PARENT = /(?:^|;)\s*Parent=([0-9a-fA-F]{16})\s*(?:;|$)/;
