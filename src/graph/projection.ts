import type { LinkGraph } from './identity-graph.js';

/**
 * Density of the application projection: of all pairs of the given applications, the share that have at least
 * one of the given identifiers in common. Camouflage (many unique identifiers per member) does not dilute it,
 * unlike the bipartite edge density. Cost: sum over identifiers of (members among `apps`)².
 */
export function pairDensity(graph: LinkGraph, apps: readonly string[], identifiers: Iterable<string>): number {
  const n = apps.length;
  if (n < 2) return 0;
  const index = new Map<string, number>();
  apps.forEach((a, i) => index.set(a, i));
  const pairs = new Set<number>();
  for (const id of identifiers) {
    const members: number[] = [];
    graph.forEachNeighbor(id, (app) => {
      const i = index.get(app);
      if (i !== undefined) members.push(i);
    });
    for (let x = 0; x < members.length; x++) {
      for (let y = x + 1; y < members.length; y++) {
        const a = members[x] as number;
        const b = members[y] as number;
        pairs.add(a < b ? a * n + b : b * n + a);
      }
    }
  }
  return pairs.size / ((n * (n - 1)) / 2);
}
