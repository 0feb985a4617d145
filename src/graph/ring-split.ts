import { UndirectedGraph } from 'graphology';
import louvainModule from 'graphology-communities-louvain';
import type { LinkGraph } from './identity-graph.js';
import { linkWeight } from './kinds.js';

// A CommonJS module whose typings declare an ES default export: under NodeNext the import is the function itself.
type Louvain = typeof louvainModule.default;
const louvain: Louvain = (louvainModule as unknown as { default?: Louvain }).default ?? (louvainModule as unknown as Louvain);

/**
 * Splits a large sparse component into dense groups: Louvain over the application projection, each pair of
 * applications weighted by the identifiers they share, each identifier weighted FRAUDAR-style by
 * 1/log(degree + 5) so that a popular identifier binds less than a rare one. Deterministic (seeded).
 */
export function splitComponent(graph: LinkGraph, apps: readonly string[], binders: readonly string[], resolution = 1): string[][] {
  const projection = new UndirectedGraph<Record<string, never>, { w: number }>();
  for (const app of apps) projection.addNode(app);
  for (const id of binders) {
    const members = graph.neighbors(id).filter((n) => projection.hasNode(n));
    const w = linkWeight(graph.degree(id));
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        projection.updateEdge(members[x], members[y], (e) => ({ w: (e.w ?? 0) + w }));
      }
    }
  }
  const communities = louvain(projection, { getEdgeWeight: 'w', resolution, rng: mulberry32(0x5eed) });
  const groups = new Map<number, string[]>();
  for (const app of apps) {
    const c = communities[app] ?? -1;
    const group = groups.get(c);
    if (group) group.push(app);
    else groups.set(c, [app]);
  }
  return [...groups.values()];
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
