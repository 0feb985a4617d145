/**
 * The ring view: the graph (sigma.js over Graphology, ForceAtlas2 layout) of the ring's applications and the
 * identifiers that bind them, a legend of binder kinds, the ring's history and its members' assessments, and
 * labelling the whole ring. The graph the page holds is `window.__lendguard.ring.graph` (tests read it).
 */
import Sigma from 'sigma';
import * as api from '../api.js';
import type { Ctx } from '../context.js';
import { badge, h, kv, when } from '../dom.js';
import { binderColour, buildRingGraph, KNOWN_FRAUD, layout, LEVEL_COLOURS, NO_ALERT, type NodeAttrs } from '../ring-graph.js';
import { labelChip } from './feed.js';
import { labelButtons, labelRing } from './label-actions.js';
import type Graph from 'graphology';

export interface RingHandle {
  graph: Graph<NodeAttrs>;
  renderer: Sigma<NodeAttrs> | null;
  view: api.RingView;
  close(): void;
}

export async function renderRing(ctx: Ctx, el: HTMLElement, ringId: string): Promise<RingHandle | null> {
  el.replaceChildren(h('p', { class: 'muted' }, `loading ${ringId}…`));
  let view: api.RingView;
  try {
    view = await api.ring(ringId);
  } catch (err) {
    el.replaceChildren(h('p', { class: 'error' }, `ring ${ringId}: ${(err as Error).message}`));
    return null;
  }
  const graph = buildRingGraph(view);
  layout(graph);
  const canvas = h('div', { class: 'ring-canvas', id: 'ring-canvas' });
  el.replaceChildren(
    h(
      'article',
      { class: 'ring-view', 'data-ring-id': ringId },
      header(ctx, view, () => void renderRing(ctx, el, ringId)),
      h('div', { class: 'ring-main' }, canvas, legend(view)),
      limitsNote(view),
      history(view),
      members(view),
    ),
  );
  const renderer = draw(ctx, graph, canvas);
  return { graph, renderer, view, close: () => renderer?.kill() };
}

function draw(ctx: Ctx, graph: Graph<NodeAttrs>, container: HTMLElement): Sigma<NodeAttrs> | null {
  try {
    const renderer = new Sigma(graph, container, { settings: { renderEdgeLabels: false, labelRenderedSizeThreshold: 7 } });
    renderer.on('clickNode', ({ node }) => {
      const alertId = graph.getNodeAttribute(node, 'alertId');
      if (alertId) ctx.go(`#/alerts/${alertId}`);
    });
    return renderer;
  } catch (err) {
    // No WebGL (an old or locked-down browser): the tables below still show the ring.
    container.replaceChildren(h('p', { class: 'error' }, `the graph cannot be drawn here (${(err as Error).message}); the members and history are below`));
    return null;
  }
}

function header(ctx: Ctx, view: api.RingView, refresh: () => void): HTMLElement {
  const r = view.ring;
  const size = r?.size ?? view.members.length;
  const actions = labelButtons(
    ctx,
    (value, note) => labelRing(view.ringId, view.members.length, value, note || undefined).then((ok) => ok && refresh()),
    '-ring',
  );
  return h(
    'header',
    { class: 'detail-head' },
    h('h2', { class: 'mono' }, view.ringId),
    r ? h('span', { class: 'chip' }, r.pattern) : null,
    r ? h('span', { class: 'score', title: 'ring score' }, String(r.score)) : null,
    h(
      'span',
      { id: 'ring-summary' },
      `size ${size} at the latest ring alert; ${view.members.length} members stored, ${view.members.filter((m) => m.knownFraud).length} known fraud`,
    ),
    actions ? h('div', { class: 'ring-label' }, h('span', { class: 'muted' }, 'label every member: '), actions) : null,
  );
}

function legend(view: api.RingView): HTMLElement {
  const kinds = new Map<string, number>();
  for (const n of view.nodes) if (n.kind === 'identifier') kinds.set(n.binder, (kinds.get(n.binder) ?? 0) + 1);
  const swatch = (colour: string, text: string): HTMLElement => {
    const dot = h('span', { class: 'swatch' });
    dot.style.background = colour; // through the CSSOM: the CSP allows no inline style attribute
    return h('li', {}, dot, text);
  };
  const binders = [...(view.ring?.binders ?? [])].sort((a, b) => b.members - a.members);
  return h(
    'aside',
    { class: 'legend' },
    h('h4', {}, 'applications'),
    h('ul', {}, swatch(KNOWN_FRAUD, 'known fraud'), ...Object.entries(LEVEL_COLOURS).map(([l, c]) => swatch(c, l)), swatch(NO_ALERT, 'no alert')),
    h('h4', {}, 'binders'),
    h('ul', {}, ...[...kinds].map(([k, n]) => swatch(binderColour(k), `${k} (${n})`))),
    binders.length ? h('h4', {}, 'strongest binders') : null,
    binders.length ? h('ol', { class: 'binders' }, ...binders.map((b) => h('li', {}, `${b.kind} ${b.masked ?? ''}: ${b.members} members`))) : null,
  );
}

function limitsNote(view: api.RingView): HTMLElement {
  const l = view.limits;
  const text =
    `${view.nodes.length} nodes, ${view.edges.length} edges drawn` +
    (l.truncated ? ` — cut at ${l.maxNodes} of ${l.totalNodes} nodes` : '') +
    (l.membersWithoutAlert ? `; ${l.membersWithoutAlert} members never alerted` : '');
  return h('p', { class: l.truncated ? 'warn' : 'muted', id: 'ring-limits' }, text);
}

function history(view: api.RingView): HTMLElement {
  const rows = view.history.map((e) =>
    h(
      'tr',
      {},
      h('td', {}, when(e.detectedAt)),
      h('td', {}, h('span', { class: 'chip' }, e.event)),
      h('td', { class: 'num' }, `${e.previousSize ?? '—'} → ${e.size}`),
      h('td', {}, e.reason),
    ),
  );
  return h(
    'section',
    { class: 'block' },
    h('h3', {}, 'History'),
    rows.length ? h('table', { class: 'history' }, h('tbody', {}, ...rows)) : h('p', { class: 'muted' }, 'no ring alert stored'),
  );
}

function members(view: api.RingView): HTMLElement {
  const rows = view.members.map((m) =>
    h(
      'tr',
      { class: 'member', 'data-app': m.applicationId },
      h('td', { class: 'mono' }, m.alertId ? h('a', { href: `#/alerts/${m.alertId}` }, m.applicationId) : m.applicationId),
      h('td', {}, m.level ? badge(m.level) : h('span', { class: 'muted' }, 'no alert')),
      h('td', { class: 'num' }, m.score ?? ''),
      h('td', { class: 'codes' }, m.ruleCodes.join(' ')),
      h('td', {}, m.partnerId ?? ''),
      h('td', {}, labelChip(m.label)),
      h('td', { class: 'muted' }, when(m.detectedAt)),
    ),
  );
  return h(
    'section',
    { class: 'block' },
    h('h3', {}, `Members (${view.members.length})`),
    h('table', { class: 'members' }, h('tbody', {}, ...rows)),
    view.ring
      ? kv([
          ['first seen', when(view.ring.firstSeen)],
          ['last seen', when(view.ring.lastSeen)],
        ])
      : null,
  );
}
