import { UndirectedGraph } from 'graphology';
import type { Group } from './groups.js';
import { IDENTIFIER_KINDS } from './kinds.js';
import type { IdentityStore } from './store.js';

/**
 * A ring as a graphology graph, for drawing (the console's ring view renders graphology graphs with sigma.js):
 * its member applications and the identifiers two or more of them use, with their kinds, masked forms and
 * popularity. Bounded: at most `maxMembers` applications (join order) and their identifiers.
 */
export interface RingGraphNode {
  type: 'application' | 'identifier';
  label: string;
  kind?: string;
  /** applications using it, in the whole graph (identifiers) */
  degree?: number;
  fraud?: boolean;
  firstSeen?: number;
}

export function ringGraph(store: IdentityStore, g: Group, maxMembers = 500): UndirectedGraph<RingGraphNode> {
  const graph = new UndirectedGraph<RingGraphNode>();
  const members: number[] = [];
  for (const m of g.members) {
    if (members.length >= maxMembers) break;
    members.push(m);
  }
  const inRing = new Set(members);
  for (const m of members) {
    graph.addNode(`app:${store.applicationIdOf(m)}`, {
      type: 'application',
      label: store.applicationIdOf(m),
      fraud: store.isFraud(m),
      firstSeen: store.firstSeen(m),
    });
  }
  for (const m of members) {
    store.forEachShared(m, (shared) => {
      const users = store.members(shared).filter((e) => inRing.has(e >> 2));
      if (users.length < 2) return;
      const key = store.keyOf(shared);
      if (!graph.hasNode(key))
        graph.addNode(key, {
          type: 'identifier',
          label: store.maskedOf(shared) ?? key,
          kind: IDENTIFIER_KINDS[store.kindOf(shared)] as string,
          degree: store.degree(shared),
        });
      graph.mergeEdge(`app:${store.applicationIdOf(m)}`, key);
    });
  }
  return graph;
}
