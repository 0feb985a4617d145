import type { Application } from '../domain/application.js';
import { bindingOf, classBit, type Binding, type BindingOptions, type Neighbour } from './binding.js';

const CO_CONTACT = classBit('coContact');
const SOCIAL = classBit('social');
/** Evidence a group needs before a contact in common may bridge it to another (one strong pair: 0.6 or more). */
const BRIDGE_EVIDENCE = 0.55;
/** A burst needs this much history before it can stand out (graph seconds). */
const BURST_WARMUP_S = 3600;
import { GroupRegistry, type Group } from './groups.js';
import { toGraphTime, type HubLimits, type IdentifierKind } from './kinds.js';
import type { LinkRecord } from './link-record.js';
import { linksFor, type GraphLink } from './links.js';
import { neighbourhoodOf, type NeighbourhoodFindings } from './neighbourhood.js';
import { diffRing, type RingEvent, type RingState } from './ring-events.js';
import { DEFAULT_RING_CRITERIA, isBurst, isRing, ringView, withMembers, type Ring, type RingCriteria } from './rings.js';
import { ringGraph } from './ring-graph.js';
import { IdentityStore } from './store.js';

/**
 * The identity graph as the pipeline uses it: one replica per instance. Links of the applications this
 * instance processes are applied at once (read-your-writes); links from other instances arrive through the
 * replicated link topic. Ring events are emitted by the instance that processed the application that changed
 * the ring, inside that batch's transaction; replicated changes only move the baseline, so a ring is reported
 * once per change, not once per instance.
 *
 * Per application, the work is one binding (the application's identifiers' member lists, bounded by the hub
 * limits and `maxScan`) and a join into the ring registry (the same member lists again, and the smaller group
 * on a merge). Nothing walks a component.
 */
export interface GraphSettings {
  /** member entries read per application at most (the binding's work bound) */
  maxNodes: number;
  growthWindowMs: number;
  minIdentities: number;
  ringGrowBy: number;
  ringGrowRatio: number;
  hubLimits?: HubLimits;
  weakKinds?: readonly IdentifierKind[];
  /** links between applications first seen this close in time join a burst (default 5 min) */
  burstWindowMs?: number;
  burstMinIdentities?: number;
  criteria?: Partial<RingCriteria>;
  binding?: Omit<BindingOptions, 'hubLimits' | 'weakKinds' | 'maxScan'>;
}

export interface GraphObservation {
  /** The application's links, for replication. */
  links: GraphLink[];
  findings: NeighbourhoodFindings;
  ring: Ring | undefined;
  /** Ring changes this application caused, to alert once. */
  events: RingEvent[];
  /** member entries read for this application: its graph work */
  work: number;
}

export class GraphService {
  readonly store = new IdentityStore();
  private readonly rings: GroupRegistry;
  private readonly bursts: GroupRegistry;
  private readonly binding: BindingOptions;
  private readonly criteria: RingCriteria;
  private readonly burstWindowS: number;
  /** Each ring as last reported (size and known fraud). */
  private readonly baseline = new Map<string, RingState>();
  /** Rings reported by batches not committed yet; moved to the baseline on commit, dropped on abort. */
  private readonly inflight = new Map<string, RingState>();
  readonly work = { applications: 0, scanned: 0, maxScanned: 0 };

  constructor(private readonly settings: GraphSettings) {
    this.binding = {
      ...settings.binding,
      maxScan: settings.maxNodes,
      ...(settings.hubLimits ? { hubLimits: settings.hubLimits } : {}),
      ...(settings.weakKinds ? { weakKinds: settings.weakKinds } : {}),
    };
    this.criteria = {
      ...DEFAULT_RING_CRITERIA,
      minIdentities: settings.minIdentities,
      ...(settings.burstMinIdentities ? { burstMinIdentities: settings.burstMinIdentities } : {}),
      ...settings.criteria,
    };
    this.burstWindowS = Math.round((settings.burstWindowMs ?? 300_000) / 1000);
    const groups = { ...this.binding, growthWindowS: Math.round(settings.growthWindowMs / 1000) };
    this.rings = new GroupRegistry(this.store, groups);
    this.bursts = new GroupRegistry(this.store, groups);
  }

  /**
   * One application, in stream order: its links go in first (read-your-writes), then it joins the rings it
   * is bound to, then its neighbourhood features are read (cheap: the binding is done already); with `deep`
   * off (the optional work shed over the latency budget) the evidence is not written out as reasons. Ring changes are diffed against what was already reported.
   */
  observe(app: Application, deep: boolean, pending: Map<string, RingState>): GraphObservation {
    const links = linksFor(app);
    this.store.applyLinks(links);
    const { ring, group, binding, events, work } = this.place(this.store.appOf(app.applicationId), app.applicationId, app.eventTimeMs, pending);
    const findings = neighbourhoodOf(this.store, this.store.appOf(app.applicationId), binding, {
      ...this.featureContext(group, app.eventTimeMs),
      reasons: deep,
    });
    for (const e of events) {
      pending.set(e.ring.id, { size: e.ring.size, knownFraud: e.ring.knownFraud });
      this.inflight.set(e.ring.id, pending.get(e.ring.id) as RingState);
    }
    return { links, findings, ring, events, work };
  }

  /** Links replicated from other instances (and replays of our own): applied; rings only move the baseline. */
  replicate(links: readonly GraphLink[], _nowMs?: number): void {
    let start = 0;
    for (let i = 1; i <= links.length; i++) {
      if (i < links.length && links[i]?.app === links[start]?.app) continue;
      const run = links.slice(start, i);
      const first = run[0] as GraphLink;
      this.store.applyLinks(run);
      this.settle(this.place(this.store.appOf(first.app), first.app, first.atMs, new Map()).events);
      start = i;
    }
  }

  /** Link records as the replica reads them (triples, no link objects): the fast path of a rebuild. */
  replicateRecords(records: readonly LinkRecord[]): void {
    for (const r of records) this.settle(this.place(this.store.applyRecord(r.applicationId, r.atMs, r.links), r.applicationId, r.atMs, new Map()).events);
  }

  /** Replicated changes were reported by whichever instance processed them: the baseline moves, nothing is emitted. */
  private settle(events: readonly RingEvent[]): void {
    for (const e of events) this.baseline.set(e.ring.id, { size: e.ring.size, knownFraud: e.ring.knownFraud });
  }

  /** A rebuild of this many applications is coming: size the store for it once. */
  reserve(applications: number): void {
    this.store.reserve(applications);
  }

  /** The baseline moves only once the batch that reported these rings committed. */
  acknowledge(reported: ReadonlyMap<string, RingState>): void {
    for (const [id, state] of reported) {
      this.baseline.set(id, state);
      if (this.inflight.get(id) === state) this.inflight.delete(id);
    }
  }

  /** The batch that reported these rings did not commit: forget its reports (its retry makes them again). */
  release(reported: ReadonlyMap<string, RingState>): void {
    for (const [id, state] of reported) if (this.inflight.get(id) === state) this.inflight.delete(id);
  }

  label(applicationId: string, label: 'fraud' | 'legit', atMs: number): void {
    const known = this.store.appOf(applicationId);
    const was = known >= 0 && this.store.isFraud(known);
    this.store.markLabel(applicationId, label, atMs);
    const app = this.store.appOf(applicationId);
    this.rings.relabel(app, was);
    this.bursts.relabel(app, was);
  }

  /** Evicts applications last seen before the horizon, at most `maxApps` per call; `more` = call again. */
  evictOlderThan(horizonMs: number, maxApps?: number): { apps: number; links: number; more: boolean } {
    const result = this.store.evictOlderThan(horizonMs, {
      ...(maxApps !== undefined ? { maxApps } : {}),
      onEvict: (app) => {
        this.rings.remove(app);
        this.bursts.remove(app);
      },
    });
    if (result.apps > 0) for (const id of this.baseline.keys()) if (!this.rings.rings.has(id) && !this.bursts.rings.has(id)) this.baseline.delete(id);
    return result;
  }

  /** The ring with this id, with its members named (the console's ring view, tests). */
  ring(id: string, listed?: number): (Ring & { members: string[] }) | undefined {
    const nowS = toGraphTime(Date.now());
    const g = this.rings.rings.get(id) ?? this.bursts.rings.get(id);
    if (!g) return undefined;
    const view = ringView(this.store, this.rings.rings.has(id) ? this.rings : this.bursts, g, this.rings.rings.has(id) ? 'ring' : 'burst', nowS, this.criteria);
    return withMembers(this.store, g, view, listed);
  }

  /** The ring as a graphology graph (members and the identifiers binding them), for drawing. */
  ringGraph(id: string, maxMembers?: number): ReturnType<typeof ringGraph> | undefined {
    const g = this.rings.rings.get(id) ?? this.bursts.rings.get(id);
    return g ? ringGraph(this.store, g, maxMembers) : undefined;
  }

  stats(): ReturnType<IdentityStore['stats']> & { rings: number; bursts: number } {
    return { ...this.store.stats(), rings: this.rings.rings.size, bursts: this.bursts.rings.size };
  }

  /** The application (its links applied) joins its rings; what changed is diffed against what was reported. */
  private place(
    app: number,
    applicationId: string,
    atMs: number,
    pending: Map<string, RingState>,
  ): { ring: Ring | undefined; group: Group | undefined; binding: Binding; events: RingEvent[]; work: number } {
    const nowS = toGraphTime(atMs);
    const binding = bindingOf(this.store, app, this.binding);
    const group = this.joinRings(app, binding, nowS);
    const burst = this.joinBurst(app, binding.neighbours, nowS);
    const events: RingEvent[] = [];
    let ring: Ring | undefined;
    if (group && isRing(group, this.rings, this.criteria)) ring = this.report(group, this.rings, 'ring', nowS, applicationId, pending, events);
    if (burst && isBurst(burst, this.criteria)) {
      const b = this.report(burst, this.bursts, 'burst', nowS, applicationId, pending, events);
      if (!ring || b.score > ring.score) ring = b;
    }
    const work = binding.scanned;
    this.work.applications++;
    this.work.scanned += work;
    if (work > this.work.maxScanned) this.work.maxScanned = work;
    return { ring, group, binding, events, work };
  }

  /**
   * Strong links always unite; a contact in common (not between co-residents) bridges two groups that
   * both already hold two identities or more, which is what joins the halves of a chain but not two families.
   */
  private joinRings(app: number, binding: Binding, nowS: number): Group | undefined {
    // Strongly bound applications, and the same person's other applications (one unit, whatever they used).
    // (The same person alone makes no group: only when one of them is bound to somebody else.)
    const bound = binding.neighbours.some((n) => n.strong) || binding.neighbours.some((n) => n.sameIdentity && this.rings.groupOf(n.app) !== undefined);
    const strong = bound ? binding.neighbours.filter((n) => n.strong || n.sameIdentity).map((n) => n.app) : [];
    // Applications in no group until now: their weak links may bridge too, now that they have a group.
    const loose = strong.filter((x) => this.rings.groupOf(x) === undefined);
    let g = this.rings.join(app, strong, nowS);
    if (!g || g.nids.size < 2) return g;
    for (const x of [app, ...loose]) {
      const links = x === app ? binding : bindingOf(this.store, x, this.binding);
      const bridges = links.neighbours.filter((n) => this.bridges(n, g as Group)).map((n) => n.app);
      if (bridges.length > 0) g = this.rings.join(x, bridges, nowS) ?? g;
    }
    return this.rings.groupOf(app);
  }

  private bridges(n: Neighbour, g: Group): boolean {
    // Only a contact in common (the same number nobody applies with) bridges: listing each other's phones is
    // the social graph itself, and bridging over it joined unrelated possession pairs into false rings.
    if (n.strong || n.coResident || n.sameIdentity || (n.classes & CO_CONTACT) === 0) return false;
    // Both sides must hold evidence of their own (more than a household's): family pairs do not bridge.
    const other = this.rings.groupOf(n.app);
    return other !== undefined && other !== g && other.nids.size >= 2 && other.evidence >= BRIDGE_EVIDENCE && g.evidence >= BRIDGE_EVIDENCE;
  }

  /** Links between applications first seen within the burst window of each other: a burst (a graph bomb). */
  private joinBurst(app: number, neighbours: readonly Neighbour[], nowS: number): Group | undefined {
    // Until the graph holds an hour of history, everything in it is new: no burst can stand out yet.
    if (!this.store.hasHistory(BURST_WARMUP_S)) return this.bursts.groupOf(app);
    const first = this.store.firstSeen(app);
    // Listing each other's phones is the social graph (friends refer friends within minutes): not a burst link.
    const fresh = neighbours
      .filter((n) => (n.classes & ~SOCIAL) !== 0 && !n.sameIdentity && Math.abs(this.store.firstSeen(n.app) - first) <= this.burstWindowS)
      .map((n) => n.app);
    return this.bursts.join(app, fresh, nowS);
  }

  private report(
    g: Group,
    registry: GroupRegistry,
    pattern: Ring['pattern'],
    nowS: number,
    trigger: string,
    pending: Map<string, RingState>,
    events: RingEvent[],
  ): Ring {
    registry.name(g, nowS, pattern);
    const view = ringView(this.store, registry, g, pattern, nowS, this.criteria);
    const previous = pending.get(view.id) ?? this.inflight.get(view.id) ?? this.baseline.get(view.id);
    const changes = diffRing(previous, view, { growBy: this.settings.ringGrowBy, growRatio: this.settings.ringGrowRatio });
    if (changes.length > 0) {
      const full = withMembers(this.store, g, view);
      const newMembers = previous ? full.members.slice(Math.max(0, Math.min(full.members.length, previous.size))) : full.members;
      for (const type of changes) events.push({ type, ring: full, previousSize: previous?.size, newMembers, triggeredBy: trigger });
    }
    return view;
  }

  private featureContext(group: Group | undefined, atMs: number): Parameters<typeof neighbourhoodOf>[3] {
    const nowS = toGraphTime(atMs);
    const inRing = group && isRing(group, this.rings, this.criteria) ? group : undefined;
    return { group: inRing, groupGrowth: inRing ? this.rings.growth(inRing, nowS) : 0, sinceS: nowS - Math.round(this.settings.growthWindowMs / 1000) };
  }
}
