// The local console's page (adapters/local/local-console.ts serves it): plain DOM, no framework. It reads
// GET /_local/traces, /_local/traces/{id}, /_local/functions and /_local/queues, and posts redrives.
'use strict';

const $ = (selector) => document.querySelector(selector);
let chosen = new URLSearchParams(location.hash.slice(1)).get('trace');

function element(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(props)) {
    if (name === 'class') node.className = value;
    // Through the CSSOM: the page's Content-Security-Policy refuses inline style attributes.
    else if (name === 'style') Object.assign(node.style, value);
    else if (name.startsWith('data-') || name === 'title') node.setAttribute(name, value);
    else node[name] = value;
  }
  for (const child of children) node.append(child);
  return node;
}

async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

const time = (iso) => new Date(iso).toLocaleTimeString(undefined, { hour12: false }) + '.' + iso.slice(20, 23);
const ms = (value) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;

async function showTraces() {
  const traces = await getJson('/_local/traces?limit=20');
  const rows = traces.map((trace) =>
    element(
      'tr',
      { 'data-trace-id': trace.traceId, class: trace.traceId === chosen ? 'chosen' : '', onclick: () => choose(trace.traceId) },
      element('td', { class: 'mono' }, time(trace.start)),
      element('td', { class: 'mono', title: trace.traceId }, trace.traceId.slice(0, 8)),
      element('td', { class: 'mono' }, trace.root),
      element('td', { class: trace.failed || (trace.status ?? 0) >= 500 ? 'status-error' : '' }, `${trace.status ?? ''}${trace.failed ? ' ✗' : ''}`),
      element('td', {}, String(trace.hops)),
      element('td', {}, ms(trace.totalMs)),
    ),
  );
  $('#trace-rows').replaceChildren(...(rows.length ? rows : [element('tr', {}, element('td', { colSpan: 6, class: 'empty' }, 'No trace yet: send a request.'))]));
  $('#refreshed').textContent = `updated ${new Date().toLocaleTimeString(undefined, { hour12: false })}`;
  if (!chosen && traces[0]) choose(traces[0].traceId);
}

/** Depth of each span: its parent's plus one (a span whose parent is not in the trace is a root). */
function depths(spans) {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const depth = (span, seen = 0) => (span.parentSpanId && byId.has(span.parentSpanId) && seen < 50 ? depth(byId.get(span.parentSpanId), seen + 1) + 1 : 0);
  return new Map(spans.map((span) => [span.spanId, depth(span)]));
}

async function showWaterfall() {
  if (!chosen) return;
  let trace;
  try {
    trace = await getJson(`/_local/traces/${chosen}`);
  } catch {
    $('#chosen-trace').textContent = `${chosen} (no longer kept)`;
    $('#bars').replaceChildren();
    return;
  }
  const spans = trace.spans;
  const starts = spans.map((span) => Date.parse(span.start));
  const first = Math.min(...starts);
  const last = Math.max(...spans.map((span, index) => starts[index] + span.durationMs));
  const total = Math.max(last - first, 1);
  const depth = depths(spans);
  $('#chosen-trace').textContent = `${trace.traceId} · ${spans.length} hops · ${ms(total)}`;
  $('#axis').replaceChildren(...[0, 0.25, 0.5, 0.75, 1].map((at) => element('span', { style: { left: `${at * 100}%` } }, ms(total * at))));
  $('#bars').replaceChildren(
    ...spans.map((span, index) => {
      const attempt = span.attributes['myevents.delivery.attempt'];
      const dead = span.attributes['myevents.dead_lettered'] === true;
      const marks = `${attempt > 1 ? ` ↻${attempt}` : ''}${dead ? ' ✉ dead letter' : ''}`;
      const width = Math.max((span.durationMs / total) * 100, 0.4);
      const left = Math.min(((starts[index] - first) / total) * 100, 100 - width);
      const how = span.links?.length ? 'linked to its producer' : span.parentSpanId ? 'child' : 'root';
      return element(
        'li',
        { 'data-span-id': span.spanId },
        element('div', { class: 'label', style: { paddingLeft: `${depth.get(span.spanId) * 14}px` }, title: `${span.name} (${how})` }, element('b', {}, span.function), ` ${span.name}${marks}`),
        element(
          'div',
          { class: 'track' },
          element('div', { class: `bar ${span.kind}${span.status === 'error' ? ' error' : ''}`, 'data-kind': span.kind, 'data-status': span.status, style: { left: `${left}%`, width: `${width}%` }, title: `${span.kind} · ${ms(span.durationMs)} · ${span.status}` }, element('span', {}, `${ms(span.durationMs)}${marks}`)),
        ),
      );
    }),
  );
}

async function showFunctions() {
  const functions = await getJson('/_local/functions');
  $('#function-rows').replaceChildren(
    ...functions.map((fn) => element('tr', {}, element('td', { class: 'mono' }, fn.name), element('td', {}, fn.trigger), element('td', { class: 'mono' }, fn.source.join(', ')))),
  );
}

async function showQueues() {
  const queues = await getJson('/_local/queues');
  $('#queue-rows').replaceChildren(
    ...queues.map((queue) =>
      element(
        'tr',
        { 'data-queue': queue.name },
        element('td', { class: 'mono' }, `${queue.name}${queue.kind === 'change-stream' ? ' (stream)' : ''}`),
        element('td', { class: 'mono' }, queue.function),
        element('td', { class: 'depth' }, queue.depth === null ? '–' : String(queue.depth)),
        element(
          'td',
          {},
          ...(queue.deadLetters.length === 0
            ? ['none']
            : queue.deadLetters.map((letter) =>
                element(
                  'div',
                  { class: 'dead-letter' },
                  element('span', { class: 'mono', title: letter.error }, `${letter.id} · ${letter.attempts} attempts `),
                  element('button', { class: 'redrive', 'data-queue': queue.name, 'data-index': String(letter.index), onclick: () => redrive(queue.name, letter.index) }, 'redrive'),
                  letter.traceId ? element('a', { href: `#trace=${letter.traceId}`, class: 'mono', onclick: () => choose(letter.traceId) }, ` trace ${letter.traceId.slice(0, 8)}`) : '',
                ),
              )),
        ),
      ),
    ),
  );
}

async function redrive(queue, index) {
  await fetch(`/_local/queues/${encodeURIComponent(queue)}/dead-letters/${index}/redrive`, { method: 'POST' });
  await refresh();
}

function choose(traceId) {
  chosen = traceId;
  history.replaceState(null, '', `#trace=${traceId}`);
  for (const row of document.querySelectorAll('#trace-rows tr')) row.classList.toggle('chosen', row.dataset.traceId === traceId);
  void showWaterfall();
}

async function refresh() {
  try {
    await Promise.all([showTraces(), showQueues()]);
    await showWaterfall();
  } catch (error) {
    $('#refreshed').textContent = `not reachable: ${error.message}`;
  }
}

void showFunctions();
void refresh();
setInterval(refresh, 2000);
