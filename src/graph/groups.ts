import { BINDER_CLASSES, resolveBindingOptions, type BinderClass, type BindingOptions, type RingBinder } from './binding.js';
import { DEFAULT_WEAK_KINDS, identifierKindIndex, IDENTIFIER_KINDS, linkWeight } from './kinds.js';
import { USE_CONTACT, USE_OWN, type IdentityStore } from './store.js';

/**
 * Incremental ring membership: groups of applications joined by the links a policy accepts, kept as the
 * stream goes (a union–find with flat labels, union by size), with the aggregates a ring is judged on kept
 * up to date at each join: identities, binders and their FRAUDAR-weighted evidence, known fraud, growth.
 * Nothing is ever recomputed over a whole group or component: a join costs the newcomer's identifiers'
 * member lists (bounded by the hub limits), a merge costs the smaller group.
 *
 * Groups only grow by joins and only shrink by eviction; a bridge that is evicted does not split its group
 * (documented in docs/graph.md).
 */

export interface BinderStat {
  /** shared-identifier index when last counted (checked against `hash`: indices are reused) */
  shared: number;
  hash: number;
  kind: number;
  cls: BinderClass;
  /** identities in the group using it */
  m: number;
  degree: number;
  contribution: number;
  strong: boolean;
}

export interface Group {
  readonly key: number;
  members: Set<number>;
  nids: Map<number, number>;
  binders: Map<number, BinderStat>;
  evidence: number;
  /** Σ over binders of C(m, 2): member pairs bound, counted with repeats */
  pairs: number;
  strongBinders: number;
  fraud: number;
  firstSeen: number;
  lastSeen: number;
  /** first-seen times of members that joined lately, sorted (growth) */
  recent: number[];
  ringId?: string;
  formedAt?: number;
  /** households (see `households`), and the member count they were computed at */
  units?: number;
  unitsAt?: number;
  /** the view's top binders, and the size they were computed at (rings.ts) */
  top?: { size: number; list: RingBinder[] };
}

export interface GroupSettings extends BindingOptions {
  /** growth is counted over this window (graph seconds) */
  growthWindowS: number;
}

const NID = identifierKindIndex('nationalId');
const PHONE = identifierKindIndex('phone');
const ADDRESS = identifierKindIndex('address');
const IP = identifierKindIndex('ip');
const POSSESSIONS: ReadonlySet<BinderClass> = new Set(['bankAccount', 'device', 'phone', 'email', 'address']);
const LN7 = Math.log(7);

export class GroupRegistry {
  private readonly groupOfApp = new Map<number, Group>();
  private readonly weak: boolean[];
  private nextKey = 1;
  /** groups that are rings, by ring id */
  readonly rings = new Map<string, Group>();

  constructor(
    private readonly store: IdentityStore,
    private readonly settings: GroupSettings,
  ) {
    const weak = new Set(settings.weakKinds ?? DEFAULT_WEAK_KINDS);
    this.weak = IDENTIFIER_KINDS.map((k) => weak.has(k));
  }

  groupOf(app: number): Group | undefined {
    return this.groupOfApp.get(app);
  }

  get size(): number {
    return new Set(this.groupOfApp.values()).size;
  }

  /** Unites `app` with `others` (and the groups they are in). Returns the group `app` ends up in. */
  join(app: number, others: readonly number[], nowS: number): Group | undefined {
    if (others.length === 0) return this.groupOfApp.get(app);
    const groups = new Set<Group>();
    const loose: number[] = [];
    for (const x of [app, ...others]) {
      const g = this.groupOfApp.get(x);
      if (g) groups.add(g);
      else loose.push(x);
    }
    let target: Group | undefined;
    for (const g of groups) if (!target || g.members.size > target.members.size) target = g;
    target ??= this.newGroup();
    for (const g of groups) if (g !== target) this.absorb(target, g);
    loose.sort((x, y) => this.store.firstSeen(x) - this.store.firstSeen(y) || x - y);
    for (const x of loose) this.addMember(target, x, nowS);
    return target;
  }

  /** The application leaves its group (eviction): called while it is still in the store. */
  remove(app: number): Group | undefined {
    const g = this.groupOfApp.get(app);
    if (!g) return undefined;
    g.members.delete(app);
    this.groupOfApp.delete(app);
    const nid = this.nidOf(app);
    const left = (g.nids.get(nid) ?? 1) - 1;
    if (left <= 0) g.nids.delete(nid);
    else g.nids.set(nid, left);
    if (this.store.isFraud(app)) g.fraud--;
    if (g.members.size === 0) {
      if (g.ringId !== undefined) this.rings.delete(g.ringId);
      return g;
    }
    this.store.forEachShared(app, (shared) => this.recount(g, shared, app));
    return g;
  }

  /** A label changed the application's fraud mark. */
  relabel(app: number, wasFraud: boolean): void {
    const g = this.groupOfApp.get(app);
    const now = this.store.isFraud(app);
    if (g && now !== wasFraud) g.fraud += now ? 1 : -1;
  }

  /** Names the group a ring (once): `ring:<its oldest member's application id>`. */
  name(g: Group, nowS: number, prefix = 'ring'): string {
    if (g.ringId !== undefined) return g.ringId;
    let oldest = -1;
    let oldestAt = Number.POSITIVE_INFINITY;
    for (const m of g.members) {
      const at = this.store.firstSeen(m);
      if (at < oldestAt || (at === oldestAt && this.store.applicationIdOf(m) < this.store.applicationIdOf(oldest))) {
        oldest = m;
        oldestAt = at;
      }
    }
    g.ringId = `${prefix}:${this.store.applicationIdOf(oldest)}`;
    g.formedAt = nowS;
    this.rings.set(g.ringId, g);
    return g.ringId;
  }

  /**
   * Independent parties in the group: identities, with everyone at one household-sized address counted as one
   * household (a family's card, tablet and address bind a family, not a ring). Exact for groups of up to
   * 12 identities (a few dozen applications' identifiers); a larger group counts its identities.
   */
  households(g: Group): number {
    if (g.nids.size > 12) return g.nids.size;
    if (g.unitsAt === g.members.size) return g.units ?? g.nids.size;
    const r = resolveBindingOptions(this.settings);
    const parent = new Map<number, number>();
    const find = (x: number): number => {
      let root = x;
      while (parent.has(root) && parent.get(root) !== root) root = parent.get(root) as number;
      return root;
    };
    for (const app of g.members) {
      const nid = this.nidOf(app);
      if (!parent.has(nid)) parent.set(nid, nid);
      this.store.forEachShared(app, (shared) => {
        if (this.store.kindOf(shared) !== ADDRESS || this.store.degree(shared) > (r.limits[ADDRESS] as number)) return;
        // A household: a household-sized address that three or more of the group's identities give (two
        // strangers at one address are a link of a chain, as likely as a couple).
        const ids = new Set<number>();
        let inGroup = 0;
        for (const e of this.store.members(shared)) {
          const x = this.nidOf(e >> 2);
          if (!ids.has(x) && this.groupOfApp.get(e >> 2) === g) inGroup++;
          ids.add(x);
        }
        if (ids.size > r.householdMax || inGroup < 3 || !this.tied(shared)) return;
        const home = -0x40000000 - (this.store.hashOf(shared) & 0x3fffffff);
        if (!parent.has(home)) parent.set(home, home);
        parent.set(find(nid), find(home));
      });
    }
    const roots = new Set<number>();
    for (const nid of g.nids.keys()) roots.add(find(nid));
    g.units = roots.size;
    g.unitsAt = g.members.size;
    return roots.size;
  }

  /**
   * Whether the people at a household-sized address are tied to each other the way a family is: two of them
   * on one phone node (one lists the other, or both list the same number) or behind one small IP (a router).
   * Strangers giving one fake address are not.
   */
  private tied(address: number): boolean {
    const users = this.store.members(address);
    const at = new Map<number, number>();
    for (const e of users) at.set(e >> 2, this.nidOf(e >> 2));
    for (const [app, nid] of at) {
      let tie = false;
      this.store.forEachShared(app, (shared) => {
        const kind = this.store.kindOf(shared);
        if (tie || (kind !== PHONE && kind !== IP) || this.store.degree(shared) > 30) return;
        for (const e of this.store.members(shared)) {
          const other = at.get(e >> 2);
          if (other !== undefined && other !== nid) tie = true;
        }
      });
      if (tie) return true;
    }
    return false;
  }

  /** Members that joined within the growth window before `nowS`. */
  growth(g: Group, nowS: number): number {
    const since = nowS - this.settings.growthWindowS;
    const r = g.recent;
    let lo = 0;
    let hi = r.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((r[mid] as number) < since) lo = mid + 1;
      else hi = mid;
    }
    return r.length - lo;
  }

  private newGroup(): Group {
    return {
      key: this.nextKey++,
      members: new Set(),
      nids: new Map(),
      binders: new Map(),
      evidence: 0,
      pairs: 0,
      strongBinders: 0,
      fraud: 0,
      firstSeen: Number.POSITIVE_INFINITY,
      lastSeen: Number.NEGATIVE_INFINITY,
      recent: [],
    };
  }

  private nidOf(app: number): number {
    const nid = this.store.identityOf(app);
    return nid === 0 ? -1 - app : nid;
  }

  private addMember(g: Group, app: number, nowS: number): void {
    g.members.add(app);
    this.groupOfApp.set(app, g);
    const nid = this.nidOf(app);
    g.nids.set(nid, (g.nids.get(nid) ?? 0) + 1);
    if (this.store.isFraud(app)) g.fraud++;
    const first = this.store.firstSeen(app);
    g.firstSeen = Math.min(g.firstSeen, first);
    g.lastSeen = Math.max(g.lastSeen, this.store.lastSeen(app));
    this.noteRecent(g, first, nowS);
    this.store.forEachShared(app, (shared) => this.recount(g, shared, -1));
  }

  private noteRecent(g: Group, at: number, nowS: number): void {
    const r = g.recent;
    const since = nowS - this.settings.growthWindowS;
    if (at < since) return;
    let i = r.length;
    while (i > 0 && (r[i - 1] as number) > at) i--;
    r.splice(i, 0, at);
    let drop = 0;
    while (drop < r.length && (r[drop] as number) < since) drop++;
    if (drop > 0) r.splice(0, drop);
  }

  /** Moves the smaller group into the larger one: relabel its members, recount its binders. */
  private absorb(into: Group, from: Group): void {
    const older = from.formedAt !== undefined && (into.formedAt === undefined || from.formedAt < into.formedAt);
    if (from.ringId !== undefined) this.rings.delete(from.ringId);
    if (older || (into.ringId === undefined && from.ringId !== undefined)) {
      if (into.ringId !== undefined) this.rings.delete(into.ringId);
      into.ringId = from.ringId;
      into.formedAt = from.formedAt;
      if (into.ringId !== undefined) this.rings.set(into.ringId, into);
    }
    for (const m of from.members) {
      into.members.add(m);
      this.groupOfApp.set(m, into);
    }
    for (const [nid, n] of from.nids) into.nids.set(nid, (into.nids.get(nid) ?? 0) + n);
    into.fraud += from.fraud;
    into.firstSeen = Math.min(into.firstSeen, from.firstSeen);
    into.lastSeen = Math.max(into.lastSeen, from.lastSeen);
    into.recent = [...into.recent, ...from.recent].sort((a, b) => a - b);
    // Every identifier the moved members use may now bind across the two: recount each once.
    const done = new Set<number>();
    for (const m of from.members) {
      this.store.forEachShared(m, (shared) => {
        if (done.has(shared)) return;
        done.add(shared);
        this.recount(into, shared, -1);
      });
    }
  }

  /**
   * Recounts one identifier's use inside the group (`except` is leaving): members using it, how, how many
   * identities use it overall, and so its class and FRAUDAR-weighted contribution (1/log(degree + 5)).
   */
  private recount(g: Group, shared: number, except: number): void {
    const kind = this.store.kindOf(shared);
    if (kind === NID || this.weak[kind]) return;
    const r = resolveBindingOptions(this.settings);
    const degree = this.store.degree(shared);
    const hash = this.store.hashOf(shared);
    const old = g.binders.get(hash);
    // Counted in identities, not applications: one person re-applying on their own device binds nobody.
    let apps = 0;
    let owned = false;
    const nids = new Set<number>();
    const inGroup = new Set<number>();
    const own = new Set<number>();
    const contact = new Set<number>();
    if (degree <= (r.limits[kind] as number)) {
      for (const e of this.store.members(shared)) {
        const x = e >> 2;
        if (x === except) continue;
        const nid = this.nidOf(x);
        nids.add(nid);
        if ((e & USE_OWN) !== 0) owned = true;
        if (this.groupOfApp.get(x) !== g) continue;
        apps++;
        inGroup.add(nid);
        if ((e & USE_OWN) !== 0) own.add(nid);
        if ((e & USE_CONTACT) !== 0) contact.add(nid);
      }
    }
    const m = inGroup.size;
    if (old) this.subtract(g, old);
    if (m < 2) {
      if (apps === 0) g.binders.delete(hash);
      else g.binders.set(hash, { shared, hash, kind, cls: 'household', m, degree, contribution: 0, strong: false });
      return;
    }
    // Strangers (no ties among them: no phone node, no router) giving one household-sized address.
    const strangers = kind === ADDRESS && nids.size <= r.householdMax && m >= 2 && !this.tied(shared);
    const cls = binderClass(kind, own.size, contact.size, nids.size, strangers, owned, r);
    const weight = cls === null ? 0 : r.weights[cls];
    const stat: BinderStat = {
      shared,
      hash,
      kind,
      cls: cls ?? 'social',
      m,
      degree,
      // FRAUDAR's column weight, by identities: a person re-applying on their own device does not dilute it.
      contribution: weight * (m - 1) * linkWeight(nids.size) * LN7,
      strong: cls !== null && (POSSESSIONS.has(cls) || (cls === 'coContact' && m >= 3)),
    };
    g.binders.set(hash, stat);
    g.evidence += stat.contribution;
    g.pairs += (m * (m - 1)) / 2;
    if (stat.strong) g.strongBinders++;
  }

  private subtract(g: Group, s: BinderStat): void {
    g.evidence -= s.contribution;
    if (s.m >= 2) g.pairs -= (s.m * (s.m - 1)) / 2;
    if (s.strong) g.strongBinders--;
  }
}

function binderClass(
  kind: number,
  own: number,
  contact: number,
  identities: number,
  strangers: boolean,
  ownedByApplicant: boolean,
  r: ReturnType<typeof resolveBindingOptions>,
): BinderClass | null {
  if (kind === PHONE) {
    if (own >= 2) return 'phone';
    // Listing the same applicant's number is knowing the same person; the same unknown number is more.
    if (contact >= 2 && !ownedByApplicant) return identities <= r.coContactMax ? 'coContact' : null;
    return 'social';
  }
  // An address binds as evidence when more people give it than a household has, or when strangers do
  // (people at one address with no tie to each other); a tied household binds as a household.
  if (kind === ADDRESS) return strangers || identities > r.householdMax ? 'address' : 'household';
  const name = IDENTIFIER_KINDS[kind];
  return (BINDER_CLASSES as readonly string[]).includes(name as string) ? (name as BinderClass) : null;
}
