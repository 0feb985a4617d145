import { DEFAULT_HUB_LIMITS, DEFAULT_WEAK_KINDS, IDENTIFIER_KINDS, identifierKindIndex, type HubLimits, type IdentifierKind } from './kinds.js';
import { USE_CONTACT, USE_OWN, type IdentityStore } from './store.js';

/**
 * How strongly one application is bound to each application it shares an identifier with (one hop, bounded).
 * Pure: reads the store, returns plain data.
 *
 * Sharing says different things by kind. A bank card, a device, an own phone number or an e-mail used by two
 * different identities is a shared possession; a contact is a person-to-person relation. Each shared
 * identifier gives the pair a *binder class* with a weight; a pair whose weights sum to `strongAt` or more is
 * bound *strongly*. Co-residents (the pair shares an address or an IP that at most `householdMax` identities
 * use: a family's home and router) are never bound strongly: families share addresses, routers, tablets, cards
 * and each other's numbers, and that is not a ring.
 *
 * Work is bounded by the hub limits (an identifier with more applications than its kind's limit is never
 * walked) and by `maxScan` member entries in all.
 */

export const BINDER_CLASSES = ['bankAccount', 'device', 'phone', 'email', 'address', 'coContact', 'social', 'household'] as const;
export type BinderClass = (typeof BINDER_CLASSES)[number];

/** An identifier that binds a ring's members, as reported with the ring (groups.ts keeps them, rings.ts reports them). */
export interface RingBinder {
  kind: IdentifierKind;
  /** how it binds: a shared possession, a co-listed contact, … */
  class: BinderClass;
  node: string;
  masked?: string;
  /** ring members using it */
  members: number;
}

export const classBit = (c: BinderClass): number => 1 << BINDER_CLASSES.indexOf(c);

/** Weights of one shared identifier by class (see docs/graph.md for the reasoning). */
export const DEFAULT_CLASS_WEIGHTS: Readonly<Record<BinderClass, number>> = Object.freeze({
  bankAccount: 1,
  /** the same number given as their own phone by two identities */
  phone: 1,
  device: 0.8,
  email: 0.8,
  /** an address given by more identities than a household has */
  address: 0.7,
  /** both list the same contact number */
  coContact: 0.3,
  /** one lists the other's own phone as a contact */
  social: 0.15,
  /** anything shared by co-residents, and a household-sized address */
  household: 0.1,
});

export interface BindingOptions {
  hubLimits?: HubLimits;
  weakKinds?: readonly IdentifierKind[];
  /** most identities a household address or home router has (default 4) */
  householdMax?: number;
  /** a contact listed by more identities than this binds nobody (a shop, a school: default 15) */
  coContactMax?: number;
  /** a pair is bound strongly at this summed weight (default 0.5) */
  strongAt?: number;
  /** member entries scanned at most (default 1000) */
  maxScan?: number;
  weights?: Readonly<Record<BinderClass, number>>;
}

export interface Neighbour {
  app: number;
  /** summed class weights */
  strength: number;
  /** bit set of binder classes (`classBit`) */
  classes: number;
  strong: boolean;
  coResident: boolean;
  sameIdentity: boolean;
  /** the household-sized address it shares (co-resident if the applicant is tied to someone living there) */
  sameHome?: number;
  /** identifiers shared, by class, before co-residence is decided */
  counts?: number[];
}

export interface OwnShared {
  shared: number;
  kind: IdentifierKind;
  /** link kind bits of this application on it */
  kindBits: number;
  /** other applications using it */
  apps: number;
  /** other identities among them (those scanned) */
  identities: number;
  knownFraud: number;
  hub: boolean;
  weak: boolean;
}

export interface Binding {
  neighbours: Neighbour[];
  own: OwnShared[];
  /** member entries read: the work done */
  scanned: number;
  truncated: boolean;
}

const PHONE = identifierKindIndex('phone');
const ADDRESS = identifierKindIndex('address');
const IP = identifierKindIndex('ip');
const SOCIAL_I = BINDER_CLASSES.indexOf('social');
const CO_CONTACT_I = BINDER_CLASSES.indexOf('coContact');
const KIND_CLASS: (BinderClass | null)[] = IDENTIFIER_KINDS.map((k) => (k === 'bankAccount' || k === 'device' || k === 'email' ? k : null));

interface Walkable {
  shared: number;
  kind: number;
  /** this application's use bits */
  ua: number;
  identities: number;
  /** some application uses it as its own phone */
  owned: boolean;
}

interface Resolved {
  limits: number[];
  weak: boolean[];
  householdMax: number;
  coContactMax: number;
  strongAt: number;
  maxScan: number;
  weights: Readonly<Record<BinderClass, number>>;
}

const cache = new WeakMap<BindingOptions, Resolved>();

export function resolveBindingOptions(o: BindingOptions): Resolved {
  const hit = cache.get(o);
  if (hit) return hit;
  const limits = o.hubLimits ?? DEFAULT_HUB_LIMITS;
  const weak = new Set(o.weakKinds ?? DEFAULT_WEAK_KINDS);
  const r: Resolved = {
    limits: IDENTIFIER_KINDS.map((k) => limits[k]),
    weak: IDENTIFIER_KINDS.map((k) => weak.has(k)),
    householdMax: o.householdMax ?? 4,
    coContactMax: o.coContactMax ?? 15,
    strongAt: o.strongAt ?? 0.5,
    maxScan: o.maxScan ?? 1000,
    weights: o.weights ?? DEFAULT_CLASS_WEIGHTS,
  };
  cache.set(o, r);
  return r;
}

/** The class of one identifier shared by `a` (use bits `ua`) and another application (use bits `ub`). */
function classOf(kind: number, ua: number, ub: number, w: Walkable, r: Resolved): BinderClass | null {
  if (kind === PHONE) {
    if ((ua & USE_OWN) !== 0 && (ub & USE_OWN) !== 0) return 'phone';
    // Two people listing the same applicant know the same person; listing the same unknown number is more.
    if ((ua & USE_CONTACT) !== 0 && (ub & USE_CONTACT) !== 0 && !w.owned) return w.identities <= r.coContactMax ? 'coContact' : null;
    return 'social';
  }
  // A household-sized address shared by people with no other tie is not a home they share.
  if (kind === ADDRESS) return 'address';
  return KIND_CLASS[kind] ?? null;
}

export function bindingOf(store: IdentityStore, app: number, opts: BindingOptions = {}): Binding {
  const r = resolveBindingOptions(opts);
  const b = new Builder(store, app, r);
  // First pass: the application's shared identifiers, how popular they are, which ones to walk.
  store.forEachShared(app, (shared, kindBits) => b.own(shared, kindBits));
  // Co-residence only matters for pairs that share something walkable: only then are IPs read.
  if (b.walk.length > 0) {
    for (const ip of b.ips) b.readIp(ip);
    for (const h of b.homes) b.markCoResidents(h);
  }
  // Second pass: the class each walkable identifier gives each pair; then who lives together.
  for (const w of b.walk) b.pairs(w);
  const tied = b.tiedHomes();
  for (const n of b.out.neighbours) b.settle(n, tied);
  return b.out;
}

/** The working state of one binding (a class, not closures: this runs for every application). */
class Builder {
  readonly out: Binding = { neighbours: [], own: [], scanned: 0, truncated: false };
  readonly walk: Walkable[] = [];
  /** addresses and IPs small enough to be a home: their members are co-residents */
  readonly homes: number[] = [];
  /** the application's shared IPs (weak: read only when something walkable is shared too) */
  readonly ips: OwnShared[] = [];
  private readonly index = new Map<number, Neighbour>();
  private readonly ownNid: number;

  constructor(
    private readonly store: IdentityStore,
    private readonly app: number,
    private readonly r: Resolved,
  ) {
    this.ownNid = store.identityOf(app);
  }

  neighbour(other: number): Neighbour {
    let n = this.index.get(other);
    if (!n) {
      n = {
        app: other,
        strength: 0,
        classes: 0,
        strong: false,
        coResident: false,
        sameIdentity: this.ownNid !== 0 && this.store.identityOf(other) === this.ownNid,
      };
      this.index.set(other, n);
      this.out.neighbours.push(n);
    }
    return n;
  }

  own(shared: number, kindBits: number): void {
    const { store, r, out } = this;
    const kind = store.kindOf(shared);
    const degree = store.degree(shared);
    const hub = degree > (r.limits[kind] as number);
    const weak = r.weak[kind] as boolean;
    const entry: OwnShared = { shared, kind: IDENTIFIER_KINDS[kind] as IdentifierKind, kindBits, apps: degree - 1, identities: 0, knownFraud: 0, hub, weak };
    out.own.push(entry);
    // Weak kinds are counted, not read (an IP is read only to find co-residents, and only if needed).
    if (hub || weak) {
      if (!hub && kind === IP) this.ips.push(entry);
      return;
    }
    if (out.scanned + degree > r.maxScan) {
      out.truncated = true;
      return;
    }
    const members = store.members(shared);
    out.scanned += members.length;
    const nids = new Set<number>();
    let owned = (kindBits & ~CONTACT_BIT) !== 0;
    for (const m of members) {
      const other = m >> 2;
      if (other === this.app) continue;
      if ((m & USE_OWN) !== 0) owned = true;
      const nid = store.identityOf(other);
      if (nid === 0 || nid !== this.ownNid) nids.add(nid === 0 ? -1 - other : nid);
      if (store.isFraud(other)) entry.knownFraud++;
    }
    entry.identities = nids.size;
    if (kind === ADDRESS && nids.size + 1 <= r.householdMax) this.homes.push(shared);
    if (!weak) this.walk.push({ shared, kind, ua: ownUse(kindBits), identities: nids.size + 1, owned });
  }

  readIp(entry: OwnShared): void {
    const members = this.store.members(entry.shared);
    if (this.out.scanned + members.length > this.r.maxScan) {
      this.out.truncated = true;
      return;
    }
    this.out.scanned += members.length;
    const nids = new Set<number>();
    for (const m of members) {
      const nid = this.store.identityOf(m >> 2);
      if (m >> 2 !== this.app && (nid === 0 || nid !== this.ownNid)) nids.add(nid === 0 ? -1 - (m >> 2) : nid);
    }
    entry.identities = nids.size;
    if (nids.size + 1 <= this.r.householdMax) this.homes.push(entry.shared);
  }

  /** A home router (a small IP) makes co-residents; a small address only marks a shared home. */
  markCoResidents(home: number): void {
    const router = this.store.kindOf(home) === IP;
    for (const m of this.store.members(home)) {
      if (m >> 2 === this.app) continue;
      const n = this.neighbour(m >> 2);
      if (router) n.coResident = true;
      else n.sameHome = home;
    }
  }

  /** Homes the applicant belongs to: a household-sized address where it is tied to somebody (router, contact). */
  tiedHomes(): Set<number> {
    const tied = new Set<number>();
    for (const n of this.out.neighbours) {
      if (n.sameHome === undefined) continue;
      const c = n.counts;
      if (n.coResident || (c && ((c[SOCIAL_I] ?? 0) > 0 || (c[CO_CONTACT_I] ?? 0) > 0))) tied.add(n.sameHome);
    }
    return tied;
  }

  /**
   * Co-residents (a router; or a household-sized address where the applicant is tied to somebody by a
   * contact, so it is the applicant's home and everybody there its household) share everything and are
   * bound only as a household; a stranger who gives the same address, and anyone else, by their classes.
   */
  settle(n: Neighbour, tied: ReadonlySet<number>): void {
    const r = this.r;
    const counts = n.counts;
    if (n.sameHome !== undefined && tied.has(n.sameHome)) n.coResident = true;
    n.classes = 0;
    n.strength = 0;
    if (counts) {
      for (let c = 0; c < counts.length; c++) {
        const k = counts[c] as number;
        if (k === 0) continue;
        const cls = n.coResident ? 'household' : (BINDER_CLASSES[c] as BinderClass);
        n.classes |= classBit(cls);
        n.strength += k * r.weights[cls];
      }
    }
    n.strong = !n.coResident && !n.sameIdentity && n.strength >= r.strongAt;
  }

  pairs(w: Walkable): void {
    const r = this.r;
    for (const m of this.store.members(w.shared)) {
      const other = m >> 2;
      if (other === this.app) continue;
      const n = this.neighbour(other);
      if (n.sameIdentity) continue;
      const c = classOf(w.kind, w.ua, m & 3, w, r);
      if (c === null) continue;
      const counts = (n.counts ??= new Array<number>(BINDER_CLASSES.length).fill(0));
      counts[BINDER_CLASSES.indexOf(c)]!++;
    }
  }
}

const CONTACT_BIT = 1 << 9;
/** Use bits from link kind bits (`contact` is LINK_KINDS[9]). */
const ownUse = (kindBits: number): number => ((kindBits & CONTACT_BIT) !== 0 ? USE_CONTACT : 0) | ((kindBits & ~CONTACT_BIT) !== 0 ? USE_OWN : 0);
