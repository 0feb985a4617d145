/**
 * The ring as a Graphology graph (pure apart from the layout): applications and the identifiers that bind them,
 * coloured by kind, identifiers sized by how many members share them, known-fraud members in red. Laid out with
 * ForceAtlas2, synchronously and for a bounded number of iterations (fewer, with Barnes-Hut, on large rings), from
 * a deterministic start so that the same ring is drawn the same way.
 */
import Graph from 'graphology';
import forceAtlas2 from 'graphology-layout-forceatlas2';
import type { RingView } from '../../api/ring-graph.js';

export const BINDER_COLOURS: Record<string, string> = {
  deviceId: '#7b61ff',
  phone: '#1f9d8f',
  bankAccount: '#d98e04',
  address: '#3b82f6',
  employer: '#0891b2',
  email: '#db2777',
  nationalId: '#0f766e',
  name: '#a16207',
  ip: '#64748b',
};
export const LEVEL_COLOURS: Record<string, string> = { critical: '#7f1d1d', high: '#ea580c', medium: '#ca8a04', low: '#65a30d' };
export const KNOWN_FRAUD = '#dc2626';
export const NO_ALERT = '#cbd5e1';

export interface NodeAttrs {
  x: number;
  y: number;
  size: number;
  color: string;
  label: string;
  kind: 'application' | 'identifier';
  binder?: string;
  knownFraud?: boolean;
  alertId?: string | null;
  members?: number;
}

export function binderColour(kind: string): string {
  return BINDER_COLOURS[kind] ?? '#475569';
}

export function buildRingGraph(view: RingView): Graph<NodeAttrs> {
  const g = new Graph<NodeAttrs>({ type: 'undirected', multi: false });
  const n = Math.max(view.nodes.length, 1);
  view.nodes.forEach((node, i) => {
    // a circle to start from: deterministic, and ForceAtlas2 needs distinct positions
    const angle = (2 * Math.PI * i) / n;
    const r = 10 + (i % 7);
    const base = { x: r * Math.cos(angle), y: r * Math.sin(angle) };
    if (node.kind === 'application') {
      const colour = node.knownFraud ? KNOWN_FRAUD : node.level ? (LEVEL_COLOURS[node.level] ?? NO_ALERT) : NO_ALERT;
      g.addNode(node.id, {
        ...base,
        size: node.knownFraud ? 5 : 3.5,
        color: colour,
        label: node.applicationId,
        kind: 'application',
        knownFraud: node.knownFraud,
        alertId: node.alertId,
      });
    } else {
      g.addNode(node.id, {
        ...base,
        size: 2 + Math.min(6, Math.log2(node.members + 1)),
        color: binderColour(node.binder),
        label: `${node.binder} ${node.masked} (${node.members})`,
        kind: 'identifier',
        binder: node.binder,
        members: node.members,
      });
    }
  });
  for (const e of view.edges) {
    if (g.hasNode(e.source) && g.hasNode(e.target) && !g.hasEdge(e.source, e.target))
      g.addEdge(e.source, e.target, { kind: e.kind, color: '#94a3b8', size: 1.5 });
  }
  return g;
}

export function layout(g: Graph<NodeAttrs>): { iterations: number } {
  if (g.order < 2) return { iterations: 0 };
  const iterations = g.order > 1000 ? 60 : g.order > 300 ? 150 : 300;
  forceAtlas2.assign(g, { iterations, settings: { ...forceAtlas2.inferSettings(g), barnesHutOptimize: g.order > 300 } });
  return { iterations };
}
