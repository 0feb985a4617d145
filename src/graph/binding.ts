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
export const classBit = (c: BinderClass): number => 1 << BINDER_CLASSES.indexOf(c);

/** Weights of one shared identifier by class (see docs/graph.md for the reasoning). */
export const DEFAULT_CLASS_WEIGHTS: Readonly<Record<BinderClass, number>> = Object.freeze({
  bankAccount: 1,
  /** the same number given as their own phone by two identities */
  phone: 1,
  device: 0.8,
  email: 0.8,
  /** an address given by more identities than a household has */
  address: 0.6,
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
const NATIONAL_ID = identifierKindIndex('nationalId');
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
  const identities = w.identities;
  if (kind === ADDRESS) return identities > r.householdMax ? 'address' : 'household';
  return KIND_CLASS[kind] ?? null;
}

export function bindingOf(store: IdentityStore, app: number, opts: BindingOptions = {}): Binding {
  const r = resolveBindingOptions(opts);
  const ownNid = store.identityOf(app);
  const index = new Map<number, Neighbour>();
  const own: OwnShared[] = [];
  const walk: Walkable[] = [];
  const out: Binding = { neighbours: [], own, scanned: 0, truncated: false };
  const neighbour = (b: number): Neighbour => {
    let n = index.get(b);
    if (!n) {
      n = { app: b, strength: 0, classes: 0, strong: false, coResident: false, sameIdentity: ownNid !== 0 && store.identityOf(b) === ownNid };
      index.set(b, n);
      out.neighbours.push(n);
    }
    return n;
  };
  // First pass: what the application's shared identifiers are, how popular, and who lives together.
  store.forEachShared(app, (shared, kindBits) => {
    const kind = store.kindOf(shared);
    const degree = store.degree(shared);
    const hub = degree > (r.limits[kind] as number);
    const weak = r.weak[kind] as boolean;
    const entry: OwnShared = { shared, kind: IDENTIFIER_KINDS[kind] as IdentifierKind, kindBits, apps: degree - 1, identities: 0, knownFraud: 0, hub, weak };
    own.push(entry);
    if (hub || out.scanned + degree > r.maxScan) {
      if (!hub) out.truncated = true;
      return;
    }
    const members = store.members(shared);
    out.scanned += members.length;
    const nids = new Set<number>();
    let owned = (kindBits & ~CONTACT_BIT) !== 0;
    for (const m of members) {
      const b = m >> 2;
      if (b === app) continue;
      if ((m & USE_OWN) !== 0) owned = true;
      const nid = store.identityOf(b);
      if (nid === 0 || nid !== ownNid) nids.add(nid === 0 ? -1 - b : nid);
      if (store.isFraud(b)) entry.knownFraud++;
    }
    entry.identities = nids.size;
    const household = (kind === ADDRESS || kind === IP) && nids.size + 1 <= r.householdMax;
    if (household) for (const m of members) if (m >> 2 !== app) neighbour(m >> 2).coResident = true;
    if (!weak && kind !== NATIONAL_ID) walk.push({ shared, kind, ua: ownUse(kindBits), identities: nids.size + 1, owned });
  });
  // Second pass: the class each walkable identifier gives each pair.
  for (const w of walk) {
    for (const m of store.members(w.shared)) {
      const b = m >> 2;
      if (b === app) continue;
      const n = neighbour(b);
      if (n.sameIdentity) continue;
      const c = classOf(w.kind, w.ua, m & 3, w, r);
      if (c === null) continue;
      const cls = n.coResident ? 'household' : c;
      n.classes |= classBit(cls);
      n.strength += r.weights[cls];
    }
  }
  for (const n of out.neighbours) n.strong = !n.coResident && !n.sameIdentity && n.strength >= r.strongAt;
  return out;
}

const CONTACT_BIT = 1 << 9;
/** Use bits from link kind bits (`contact` is LINK_KINDS[9]). */
const ownUse = (kindBits: number): number => ((kindBits & CONTACT_BIT) !== 0 ? USE_CONTACT : 0) | ((kindBits & ~CONTACT_BIT) !== 0 ? USE_OWN : 0);
