import { describe, expect, it } from 'vitest';
import { amznTraceIdToW3c, formatTraceparent, newSpanId, newTraceId, parseTraceparent } from '../../adapters/shared/trace-context.js';

const T = '4bf92f3577b34da6a3ce929d0e0e4736';
const S = '00f067aa0ba902b7';

describe('W3C traceparent', () => {
  it('reads the spec example and writes it back unchanged', () => {
    const value = `00-${T}-${S}-01`;
    expect(parseTraceparent(value)).toEqual({ traceId: T, spanId: S, flags: 1 });
    expect(formatTraceparent(parseTraceparent(value)!)).toBe(value);
    expect(parseTraceparent(`00-${T}-${S}-00`)?.flags).toBe(0);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['uppercase hex', `00-${T.toUpperCase()}-${S}-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-${S}-01`],
    ['all-zero span id', `00-${T}-${'0'.repeat(16)}-01`],
    ['version ff', `ff-${T}-${S}-01`],
    ['version 00 followed by more', `00-${T}-${S}-01-extra`],
    ['a short trace id', `00-${T.slice(1)}-${S}-01`],
    ['a wrong separator', `00_${T}-${S}-01`],
    ['non-hex flags', `00-${T}-${S}-0g`],
    ['two headers joined', `00-${T}-${S}-01, 00-${T}-${S}-01`],
  ])('refuses %s (a new trace starts instead)', (_, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it('reads the version-00 part of a later version, as the spec asks', () => {
    expect(parseTraceparent(`01-${T}-${S}-01-more-fields`)).toEqual({ traceId: T, spanId: S, flags: 1 });
    expect(parseTraceparent(`01-${T}-${S}-01`)).toEqual({ traceId: T, spanId: S, flags: 1 });
    expect(parseTraceparent(`01-${T}-${S}-01x`)).toBeUndefined();
  });

  it('passes tracestate on unchanged, unless it is too long or holds control characters', () => {
    expect(parseTraceparent(`00-${T}-${S}-01`, 'rojo=00f067aa0ba902b7,congo=t61rcWkgMzE')?.tracestate).toBe('rojo=00f067aa0ba902b7,congo=t61rcWkgMzE');
    expect(parseTraceparent(`00-${T}-${S}-01`, `a=${'x'.repeat(600)}`)?.tracestate).toBeUndefined();
    expect(parseTraceparent(`00-${T}-${S}-01`, 'a=b\u0000')?.tracestate).toBeUndefined();
    // tracestate without a valid traceparent is ignored with it
    expect(parseTraceparent('nonsense', 'a=b')).toBeUndefined();
  });

  it('makes random, valid ids that differ from each other', () => {
    const traces = new Set(Array.from({ length: 2_000 }, newTraceId));
    const spans = new Set(Array.from({ length: 2_000 }, newSpanId));
    expect(traces.size).toBe(2_000);
    expect(spans.size).toBe(2_000);
    for (const id of traces) expect(parseTraceparent(`00-${id}-${S}-01`)?.traceId).toBe(id);
    for (const id of spans) expect(parseTraceparent(`00-${T}-${id}-01`)?.spanId).toBe(id);
  });
});

describe('X-Amzn-Trace-Id', () => {
  it('reads the root as a W3C trace id and the parent as a span id', () => {
    expect(amznTraceIdToW3c('Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1')).toEqual({
      traceId: '5759e988bd862e3fe1be46a994272793',
      spanId: '53995c3f42cd8ad8',
    });
    expect(amznTraceIdToW3c('Root=1-67891233-abcdef012345678912345678')).toEqual({ traceId: '67891233abcdef012345678912345678' });
    expect(amznTraceIdToW3c('Self=1-67891233-12456789abcdef012345678;Root=1-67891233-abcdef012345678912345678')?.traceId).toBe('67891233abcdef012345678912345678');
  });

  it.each([undefined, '', 'Root=2-5759e988-bd862e3fe1be46a994272793', 'Root=1-5759e988-bd86', 'Parent=53995c3f42cd8ad8'])('ignores %s', (header) => {
    expect(amznTraceIdToW3c(header)).toBeUndefined();
  });
});
