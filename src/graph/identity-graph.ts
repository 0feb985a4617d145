import { UndirectedGraph } from 'graphology';
import type { ChangeSet, EdgeAttrs, GraphStats, LinkGraph, NodeAttrs } from './model.js';
import { appNode, applicationIdOf, isAppNode, kindBit, kindsOfMask, nodeKindOf, popcount, toGraphTime, type LinkKind, type NodeKind } from './kinds.js';
import type { GraphLink } from './links.js';

/**
 * The identity graph: application nodes linked to the identifiers they used. Mutations live here; every
 * analysis is a free function over `graph` (neighbourhood.ts, rings.ts).
 *
 * Two tiers, to keep memory bounded: an identifier seen by ONE application so far links nothing, so it waits
 * in a compact `solos` map (~100 B) instead of costing a graphology node + edge (~600 B). The second
 * application to use it promotes it into the graph. Analyses only ever need the graph: a solo binds nobody.
 * Most identifiers are single-use solos (about nine per application), so their size is most of the graph's.
 */

export type { ChangeSet, EdgeAttrs, GraphStats, LinkGraph, NodeAttrs } from './model.js';

/** An identifier used by one application: its app node, link kind mask and graph times. */
interface Solo {
  a: string;
  k: number;
  f: number;
  l: number;
}

/**
 * How a solo is stored. Almost always just its app node key: the link kind is the node's own (a
 * phone node linked as `phone`, not `contact`) and the times are the app node's. Only other solos
 * pay for a `Solo` object (56 B more each, a fifth of the graph's memory at 1M applications).
 */
type StoredSolo = string | Solo;

/** The bit of the link kind that is a node kind's own (phone → phone; contact is the other way in). */
const ownKindBit = (node: string): number => kindBit(nodeKindOf(node) as LinkKind);

const mergeNodeTimes = (a: Partial<NodeAttrs>, at: number): NodeAttrs => {
  a.f = a.f === undefined ? at : Math.min(a.f, at);
  a.l = a.l === undefined ? at : Math.max(a.l, at);
  return a as NodeAttrs;
};

export class IdentityGraph {
  readonly graph: LinkGraph = new UndirectedGraph<NodeAttrs, EdgeAttrs>({ multi: false, allowSelfLoops: false });
  private readonly solos = new Map<string, StoredSolo>();
  /**
   * A lower bound of every link's last-seen time. Eviction scans the whole graph (seconds at 1M
   * applications, on the event loop), so it is skipped while nothing can be past the horizon.
   */
  private oldest = Number.POSITIVE_INFINITY;

  /** The solo of an identifier node, expanded (a stored key takes its app node's times). */
  private solo(node: string): Solo | undefined {
    const stored = this.solos.get(node);
    if (typeof stored !== 'string') return stored;
    const app = this.graph.hasNode(stored) ? this.graph.getNodeAttributes(stored) : undefined;
    return { a: stored, k: ownKindBit(node), f: app?.f ?? 0, l: app?.l ?? 0 };
  }

  /** Idempotent and order-tolerant: times widen (min/max), a link id counts once. */
  applyLinks(links: Iterable<GraphLink>): ChangeSet {
    const changed = new Set<string>();
    const result: ChangeSet = { added: 0, known: 0, promoted: 0, changedApps: [] };
    // An application's links come together and share its time: its node is updated once per run
    // of links, not once per link (that was a tenth of the graph's cost).
    let app: NodeAttrs | undefined;
    let appKey: string | undefined;
    let appAt = 0;
    for (const link of links) {
      const at = toGraphTime(link.atMs);
      if (at < this.oldest) this.oldest = at;
      if (link.app !== appKey || at !== appAt) {
        this.graph.updateNode(link.app, (a) => mergeNodeTimes(a, at));
        app = this.graph.getNodeAttributes(link.app);
        appKey = link.app;
        appAt = at;
      }
      if (link.kind === 'nationalId') (app as NodeAttrs).nid = link.node;
      const outcome = this.applyLink(link, at, changed);
      if (outcome === 'known') result.known++;
      else {
        result.added++;
        if (outcome === 'promoted') result.promoted++;
      }
    }
    for (const a of changed) result.changedApps.push(applicationIdOf(a));
    return result;
  }

  /** One link whose application node is already up to date. */
  private applyLink(link: GraphLink, at: number, changed: Set<string>): 'added' | 'known' | 'promoted' {
    const g = this.graph;
    const bit = kindBit(link.kind);
    if (g.hasNode(link.node)) return this.linkShared(link, bit, at, changed) ? 'added' : 'known';
    const solo = this.solo(link.node);
    if (!solo) {
      this.solos.set(link.node, bit === ownKindBit(link.node) ? link.app : { a: link.app, k: bit, f: at, l: at });
      return 'added';
    }
    if (solo.a === link.app) {
      const fresh = (solo.k & bit) === 0;
      if (fresh) this.solos.set(link.node, { a: solo.a, k: solo.k | bit, f: Math.min(solo.f, at), l: Math.max(solo.l, at) });
      else if (typeof this.solos.get(link.node) !== 'string') {
        solo.f = Math.min(solo.f, at);
        solo.l = Math.max(solo.l, at);
      }
      return fresh ? 'added' : 'known';
    }
    // A second application: the identifier now binds two applications and enters the graph.
    this.solos.delete(link.node);
    g.addNode(link.node, { f: Math.min(solo.f, at), l: Math.max(solo.l, at), m: link.masked });
    g.mergeNode(solo.a, { f: solo.f, l: solo.l });
    g.addEdge(solo.a, link.node, { k: solo.k, f: solo.f, l: solo.l, c: popcount(solo.k) });
    changed.add(solo.a);
    this.linkShared(link, bit, at, changed);
    return 'promoted';
  }

  /** mergeEdge-style upsert through updateEdge; true when the link id is new. */
  private linkShared(link: GraphLink, bit: number, at: number, changed: Set<string>): boolean {
    let fresh = false;
    this.graph.updateNode(link.node, (a) => {
      if (a.m === undefined && link.masked !== undefined) a.m = link.masked;
      return mergeNodeTimes(a, at);
    });
    this.graph.updateEdge(link.app, link.node, (e) => {
      if (e.k === undefined) {
        fresh = true;
        return { k: bit, f: at, l: at, c: 1 };
      }
      if ((e.k & bit) === 0) {
        fresh = true;
        e.k |= bit;
        e.c = popcount(e.k);
      }
      e.f = Math.min(e.f ?? at, at);
      e.l = Math.max(e.l ?? at, at);
      return e as EdgeAttrs;
    });
    if (fresh) changed.add(link.app);
    return fresh;
  }

  /**
   * Removes links last seen before the horizon, then identifiers left with no application, and applications
   * with no links left. An identifier left with one application goes back to the solo tier. Returns the
   * number of links removed.
   */
  evictOlderThan(horizonMs: number): number {
    const g = this.graph;
    const horizon = toGraphTime(horizonMs);
    if (this.oldest >= horizon) return 0;
    // Everything left after this pass was seen at or after the horizon.
    this.oldest = horizon;
    let removed = 0;
    const old: string[] = [];
    g.forEachEdge((edge, e) => {
      if (e.l < horizon) {
        old.push(edge);
        removed += e.c;
      }
    });
    for (const edge of old) g.dropEdge(edge);
    for (const [node, stored] of this.solos) {
      // A stored key is last seen when its app node was (no object built per solo: there are millions).
      const last = typeof stored === 'string' ? ((g.hasNode(stored) ? g.getNodeAttribute(stored, 'l') : undefined) ?? 0) : stored.l;
      if (last < horizon) {
        this.solos.delete(node);
        removed += typeof stored === 'string' ? 1 : popcount(stored.k);
      }
    }
    const drop: string[] = [];
    g.forEachNode((node, a) => {
      const degree = g.degree(node);
      if (isAppNode(node)) {
        if (degree === 0 && a.l < horizon) drop.push(node);
      } else if (degree === 0) drop.push(node);
      else if (degree === 1) {
        const edge = g.edges(node)[0] as string;
        const e = g.getEdgeAttributes(edge);
        this.solos.set(node, { a: g.opposite(node, edge), k: e.k, f: e.f, l: e.l });
        drop.push(node);
      }
    });
    for (const node of drop) g.dropNode(node);
    return removed;
  }

  /** Analyst label: fraud marks the application, legit clears the mark. The latest label (by time) wins. */
  markLabel(applicationId: string, label: 'fraud' | 'legit', atMs: number): void {
    const at = toGraphTime(atMs);
    if (at < this.oldest) this.oldest = at;
    this.graph.updateNode(appNode(applicationId), (a) => {
      if (a.lt !== undefined && at < a.lt) return a as NodeAttrs;
      a.lt = at;
      if (label === 'fraud') a.fr = at;
      else delete a.fr;
      return a.f === undefined ? mergeNodeTimes(a, at) : (a as NodeAttrs);
    });
  }

  hasApplication(applicationId: string): boolean {
    return this.graph.hasNode(appNode(applicationId));
  }

  stats(): GraphStats {
    const nodes: Partial<Record<NodeKind, number>> = {};
    const links: Partial<Record<LinkKind, number>> = {};
    const bump = <K extends string>(m: Partial<Record<K, number>>, k: K, by = 1): void => {
      m[k] = (m[k] ?? 0) + by;
    };
    let fraudMarked = 0;
    this.graph.forEachNode((node, a) => {
      bump(nodes, nodeKindOf(node));
      if (a.fr !== undefined) fraudMarked++;
    });
    this.graph.forEachEdge((_, e) => kindsOfMask(e.k).forEach((k) => bump(links, k)));
    for (const node of this.solos.keys()) {
      bump(nodes, nodeKindOf(node));
      kindsOfMask((this.solo(node) as Solo).k).forEach((k) => bump(links, k));
    }
    return { nodes, links, graphNodes: this.graph.order, graphEdges: this.graph.size, solos: this.solos.size, fraudMarked };
  }
}

