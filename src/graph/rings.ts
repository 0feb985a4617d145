import type { LinkGraph } from './identity-graph.js';
import {
  appNode,
  applicationIdOf,
  DEFAULT_HUB_LIMITS,
  DEFAULT_WEAK_KINDS,
  fromGraphTime,
  isAppNode,
  isHub,
  kindsOfMask,
  nodeKindOf,
  toGraphTime,
  type HubLimits,
  type IdentifierKind,
  type LinkKind,
} from './kinds.js';
import { pairDensity } from './projection.js';
import { splitComponent } from './ring-split.js';

/**
 * Ring detection: connected components of applications joined by shared, non-hub, non-weak identifiers (BFS on
 * the bipartite graph, read off the application members), large components split into dense groups by
 * Louvain. Pure: returns rings, never writes. Incremental: with `changedApps`, only the components touching
 * those applications are recomputed.
 */

export interface RingOptions {
  nowMs: number;
  /** application ids whose links changed; absent = the whole graph */
  changedApps?: Iterable<string>;
  hubLimits?: HubLimits;
  /** kinds that never join applications (default: ip, subnet, employer); still listed as binders */
  weakKinds?: readonly IdentifierKind[];
  /** minimum distinct national IDs in a ring (default 3) */
  minIdentities?: number;
  /** components with more applications are split by Louvain (default 30) */
  splitAbove?: number;
  /** window for `growth` (default 1 h) */
  growthWindowMs?: number;
}

export interface RingBinder {
  kind: LinkKind;
  node: string;
  masked?: string;
  /** ring members using it */
  members: number;
}

export interface Ring {
  /** `ring:<oldest member's application id>`: stable while the ring grows */
  id: string;
  /** application ids, oldest first */
  members: string[];
  identities: number;
  binders: RingBinder[];
  size: number;
  density: number;
  growth: number;
  knownFraud: number;
  score: number;
  firstSeen: number;
  lastSeen: number;
}

const STRONG: ReadonlySet<LinkKind> = new Set(['device', 'bankAccount', 'nationalId', 'phone', 'email']);

export function detectRings(graph: LinkGraph, opts: RingOptions): Ring[] {
  const limits = opts.hubLimits ?? DEFAULT_HUB_LIMITS;
  const weak = new Set<string>(opts.weakKinds ?? DEFAULT_WEAK_KINDS);
  const binds = (node: string): boolean => {
    const kind = nodeKindOf(node) as IdentifierKind;
    const degree = graph.degree(node);
    return degree >= 2 && !weak.has(kind) && !isHub(kind, degree, limits);
  };
  const seeds: string[] = [];
  if (opts.changedApps) {
    for (const id of opts.changedApps) if (graph.hasNode(appNode(id))) seeds.push(appNode(id));
  } else graph.forEachNode((n) => isAppNode(n) && seeds.push(n));
  const seen = new Set<string>();
  const rings: Ring[] = [];
  for (const seed of seeds) {
    if (seen.has(seed)) continue;
    const { apps, ids } = component(graph, seed, binds, seen);
    if (apps.length < 2) continue;
    const groups = apps.length > (opts.splitAbove ?? 30) ? splitComponent(graph, apps, ids) : [apps];
    for (const group of groups) {
      const ring = ringOf(graph, group, limits, weak, opts);
      if (ring && ring.identities >= (opts.minIdentities ?? 3)) rings.push(ring);
    }
  }
  return rings.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
}

function component(graph: LinkGraph, seed: string, binds: (node: string) => boolean, seen: Set<string>): { apps: string[]; ids: string[] } {
  const apps: string[] = [];
  const ids: string[] = [];
  const queue = [seed];
  seen.add(seed);
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head] as string;
    if (isAppNode(node)) apps.push(node);
    else ids.push(node);
    graph.forEachNeighbor(node, (next) => {
      if (seen.has(next) || (!isAppNode(next) && !binds(next))) return;
      seen.add(next);
      queue.push(next);
    });
  }
  return { apps, ids };
}

function ringOf(graph: LinkGraph, group: string[], limits: HubLimits, weak: ReadonlySet<string>, opts: RingOptions): Ring | null {
  // Binders: identifiers (hubs aside) that two or more members use, weak kinds included for the analyst.
  const uses = new Map<string, { count: number; mask: number }>();
  for (const app of group) {
    graph.forEachEdge(app, (_e, attrs, source, target) => {
      const node = source === app ? target : source;
      const u = uses.get(node);
      if (u) {
        u.count++;
        u.mask |= attrs.k;
      } else if (graph.degree(node) >= 2) uses.set(node, { count: 1, mask: attrs.k });
    });
  }
  const binders: RingBinder[] = [];
  const strongNodes: string[] = [];
  for (const [node, { count, mask }] of uses) {
    const kind = nodeKindOf(node) as IdentifierKind;
    if (count < 2 || isHub(kind, graph.degree(node), limits)) continue;
    const kinds = kindsOfMask(mask);
    if (!weak.has(kind)) strongNodes.push(node);
    binders.push({ kind: kinds.includes('phone') ? 'phone' : (kinds[0] ?? 'device'), node, masked: graph.getNodeAttribute(node, 'm'), members: count });
  }
  if (strongNodes.length === 0) return null;
  binders.sort((a, b) => b.members - a.members || a.node.localeCompare(b.node));
  const since = toGraphTime(opts.nowMs - (opts.growthWindowMs ?? 3_600_000));
  const nids = new Set<string>();
  let growth = 0;
  let knownFraud = 0;
  let firstSeen = Infinity;
  let lastSeen = -Infinity;
  const order = group.map((node) => {
    const a = graph.getNodeAttributes(node);
    nids.add(a.nid ?? node);
    if (a.f >= since) growth++;
    if (a.fr !== undefined) knownFraud++;
    firstSeen = Math.min(firstSeen, a.f);
    lastSeen = Math.max(lastSeen, a.l);
    return { node, f: a.f };
  });
  order.sort((a, b) => a.f - b.f || (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  const ids = order.map((o) => applicationIdOf(o.node));
  const density = Math.round(pairDensity(graph, group, strongNodes) * 1000) / 1000;
  const strong = binders.filter((b) => STRONG.has(b.kind)).length;
  const ring = { id: `ring:${ids[0]}`, members: ids, identities: nids.size, binders: binders.slice(0, 50), size: ids.length, density, growth, knownFraud, firstSeen: fromGraphTime(firstSeen), lastSeen: fromGraphTime(lastSeen) };
  return { ...ring, score: ringScore({ ...ring, strongBinders: strong }) };
}

/** 0–100: how many identities, how tightly bound, by what, how fast it grows, whether it touches known fraud. */
export function ringScore(r: { identities: number; density: number; growth: number; knownFraud: number; size: number; strongBinders: number }): number {
  const size = Math.min(1, (r.identities - 2) / 8);
  const strong = Math.min(1, r.strongBinders / 2);
  const growth = Math.min(1, r.growth / Math.max(3, r.size / 2));
  return Math.round(25 * size + 20 * r.density + 20 * strong + 15 * growth + 20 * (r.knownFraud > 0 ? 1 : 0));
}
