import type { Application } from '../domain/application.js';
import { IdentityGraph } from './identity-graph.js';
import { linksFor, type GraphLink } from './links.js';
import { analyseApplication, type NeighbourhoodFindings } from './neighbourhood.js';
import { appNode, DEFAULT_WEAK_KINDS, nodeKindOf, type HubLimits, type IdentifierKind } from './kinds.js';
import { diffRings, type RingEvent } from './ring-events.js';
import { detectRings, type Ring } from './rings.js';

/**
 * The identity graph as the pipeline uses it: one in-memory replica per instance. Links of the
 * applications this instance processes are applied at once (read-your-writes); links from other
 * instances arrive through the replicated link topic. Ring events are emitted by the instance that
 * processed the application that changed the ring, inside that batch's transaction; replicated
 * changes only move the baseline, so a ring is reported once per change, not once per instance.
 */
export interface GraphSettings {
  maxHops: number;
  maxNodes: number;
  growthWindowMs: number;
  minIdentities: number;
  ringGrowBy: number;
  ringGrowRatio: number;
  hubLimits?: HubLimits;
  weakKinds?: readonly IdentifierKind[];
}

export interface GraphObservation {
  /** The application's links, for replication. */
  links: GraphLink[];
  findings: NeighbourhoodFindings | null;
  ring: Ring | undefined;
  /** Ring changes this application caused, to alert once. */
  events: RingEvent[];
}

export class GraphService {
  readonly graph = new IdentityGraph();
  /** Each ring as last reported. Updated in place: copying it per application cost 15% of CPU. */
  private readonly baseline = new Map<string, Ring>();
  /**
   * Rings reported by batches whose transactions have not committed yet. Batches of different
   * partitions run concurrently: a ring one of them just reported is not reported again by the
   * other. On commit an entry moves to the baseline (`acknowledge`), on abort it is dropped
   * (`release`) and the retried batch reports it again.
   */
  private readonly inflight = new Map<string, Ring>();

  constructor(private readonly settings: GraphSettings) {}

  /**
   * One application, in stream order: its links go in first (read-your-writes), then the
   * neighbourhood is analysed (unless `deep` is off: the optional work shed over the latency
   * budget), then, when it shares anything, the ring around it is detected and diffed against what
   * was already reported. Applications that share nothing (most of them) skip ring detection.
   */
  observe(app: Application, deep: boolean, pending: Map<string, Ring>): GraphObservation {
    const links = linksFor(app);
    this.graph.applyLinks(links);
    const nowMs = app.eventTimeMs;
    const findings = deep ? this.analyse(app.applicationId, nowMs) : null;
    const sharesNothing = findings ? findings.features['graph.linkedApps'] === 0 : !this.sharesStrongIdentifier(app.applicationId);
    if (sharesNothing) return { links, findings, ring: undefined, events: [] };
    const rings = this.detect([app.applicationId], nowMs);
    const events = this.diff(rings, pending);
    for (const e of events) {
      pending.set(e.ring.id, e.ring);
      this.inflight.set(e.ring.id, e.ring);
    }
    return { links, findings, ring: rings.find((r) => r.members.includes(app.applicationId)), events };
  }

  analyse(applicationId: string, nowMs: number): NeighbourhoodFindings {
    const s = this.settings;
    return analyseApplication(this.graph.graph, applicationId, {
      nowMs,
      maxHops: s.maxHops,
      maxNodes: s.maxNodes,
      growthWindowMs: s.growthWindowMs,
      ...(s.hubLimits ? { hubLimits: s.hubLimits } : {}),
      ...(s.weakKinds ? { weakKinds: s.weakKinds } : {}),
    });
  }

  /** Links replicated from other instances (and replays of our own): applied; rings only move the baseline. */
  replicate(links: readonly GraphLink[], nowMs: number): void {
    const change = this.graph.applyLinks(links);
    if (change.changedApps.length === 0) return;
    for (const e of this.diff(this.detect(change.changedApps, nowMs), new Map())) this.baseline.set(e.ring.id, e.ring);
  }

  /**
   * Ring events are reported in the batch's transaction, so the baseline moves only once that
   * transaction commits: `observe` collects them in the batch's `pending` map, and the caller
   * hands it here after the commit. A retried batch starts from the old baseline and reports again.
   */
  acknowledge(reported: ReadonlyMap<string, Ring>): void {
    for (const [id, ring] of reported) {
      this.baseline.set(id, ring);
      if (this.inflight.get(id) === ring) this.inflight.delete(id);
    }
  }

  /** The batch that reported these rings did not commit: forget its reports (its retry makes them again). */
  release(reported: ReadonlyMap<string, Ring>): void {
    for (const [id, ring] of reported) if (this.inflight.get(id) === ring) this.inflight.delete(id);
  }

  /** Changes against what was reported: this batch's pending reports, then other batches' in-flight ones, then the baseline. */
  private diff(rings: readonly Ring[], pending: ReadonlyMap<string, Ring>): RingEvent[] {
    const previous = { get: (id: string) => pending.get(id) ?? this.inflight.get(id) ?? this.baseline.get(id) };
    return diffRings(previous, rings, { growBy: this.settings.ringGrowBy, growRatio: this.settings.ringGrowRatio });
  }

  /**
   * Cheap stand-in for the neighbourhood analysis when it is shed: does the application share any
   * identifier of a kind rings are built on? (Single-use identifiers are not in the graph at all.)
   */
  private sharesStrongIdentifier(applicationId: string): boolean {
    const g = this.graph.graph;
    const node = appNode(applicationId);
    if (!g.hasNode(node)) return false;
    const weak = new Set<string>(this.settings.weakKinds ?? DEFAULT_WEAK_KINDS);
    return g.someNeighbor(node, (n) => !weak.has(nodeKindOf(n)) && g.degree(n) > 1);
  }

  label(applicationId: string, label: 'fraud' | 'legit', atMs: number): void {
    this.graph.markLabel(applicationId, label, atMs);
  }

  evictOlderThan(horizonMs: number): number {
    return this.graph.evictOlderThan(horizonMs);
  }

  private detect(changedApps: readonly string[], nowMs: number): Ring[] {
    const s = this.settings;
    return detectRings(this.graph.graph, {
      nowMs,
      changedApps,
      minIdentities: s.minIdentities,
      growthWindowMs: s.growthWindowMs,
      ...(s.hubLimits ? { hubLimits: s.hubLimits } : {}),
      ...(s.weakKinds ? { weakKinds: s.weakKinds } : {}),
    });
  }
}
