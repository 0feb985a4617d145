import type { RingBinder } from './binding.js';
import type { Group, GroupRegistry } from './groups.js';
import { fromGraphTime, IDENTIFIER_KINDS, type IdentifierKind } from './kinds.js';
import type { IdentityStore } from './store.js';

/**
 * What makes a group a ring, its score, and the plain `Ring` record the pipeline and the alerts carry. Pure
 * functions of a group's aggregates: O(1) for the decision and the score, O(binders) at most for a view
 * (cached on the group, refreshed as it grows).
 */

export type RingPattern = 'ring' | 'burst';

export interface Ring {
  /** `ring:<oldest member's application id>` when it formed: stable while it grows, kept through merges */
  id: string;
  /** `ring`: bound by shared possessions or contacts; `burst`: linked within minutes (a graph bomb) */
  pattern: RingPattern;
  size: number;
  identities: number;
  binders: RingBinder[];
  /** share of member pairs that share a binder (an upper bound: pairs sharing several count once each) */
  density: number;
  /** FRAUDAR-weighted binding evidence */
  evidence: number;
  strongBinders: number;
  growth: number;
  knownFraud: number;
  score: number;
  firstSeen: number;
  lastSeen: number;
}

/** A ring with its members named (for alerts): application ids in join order, at most `listed`. */
export interface RingWithMembers extends Ring {
  members: string[];
  membersListed: number;
}

export interface RingCriteria {
  /** distinct national IDs a ring needs (default 3) */
  minIdentities: number;
  /** …when its only strong binders are co-listed contacts (default 4) */
  contactOnlyMinIdentities: number;
  /** FRAUDAR-weighted evidence a ring needs (default 1.2: a device or card of three strangers) */
  minEvidence: number;
  /** distinct identities a burst needs (default 25) */
  burstMinIdentities: number;
}

export const DEFAULT_RING_CRITERIA: RingCriteria = Object.freeze({ minIdentities: 3, contactOnlyMinIdentities: 4, minEvidence: 1.2, burstMinIdentities: 25 });

/** A ring: enough independent households (identities, a family counted once), strong binders and evidence. */
export function isRing(g: Group, registry: GroupRegistry, c: RingCriteria): boolean {
  if (g.nids.size < c.minIdentities || g.strongBinders < 1 || g.evidence < c.minEvidence) return false;
  const units = registry.households(g);
  if (units < c.minIdentities) return false;
  return units >= c.contactOnlyMinIdentities || hasPossessionBinder(g);
}

export function isBurst(g: Group, c: RingCriteria): boolean {
  return g.nids.size >= c.burstMinIdentities;
}

function hasPossessionBinder(g: Group): boolean {
  for (const b of g.binders.values()) if (b.strong && b.cls !== 'coContact') return true;
  return false;
}

/**
 * 50–100 for a ring (anything that qualifies is a ring: 50), more for more identities (15, full at 10),
 * evidence per identity (15, full at 0.8), strong binders (5, full at 3), growth within the window (5, full at
 * half the ring) and known fraud (10). RING_MEMBER fires from 50; an analyst can ask for stronger rings.
 */
export function ringScore(r: { identities: number; evidence: number; strongBinders: number; growth: number; size: number; knownFraud: number }): number {
  const size = Math.min(1, Math.max(0, r.identities - 3) / 7);
  const perIdentity = Math.min(1, r.evidence / Math.max(1, r.identities - 1) / 0.8);
  const strong = Math.min(1, r.strongBinders / 3);
  const growth = Math.min(1, r.growth / Math.max(3, r.size / 2));
  return Math.round(50 + 15 * size + 15 * perIdentity + 5 * strong + 5 * growth + 10 * (r.knownFraud > 0 ? 1 : 0));
}

/** A burst scores by its size alone: 60 at the threshold, 80 at ten times it. */
export function burstScore(identities: number, threshold: number, knownFraud: number): number {
  return Math.min(100, Math.round(60 + 20 * Math.min(1, Math.log10(identities / threshold)) + (knownFraud > 0 ? 20 : 0)));
}

const TOP_BINDERS = 50;

/** The top binders, recomputed only when the group grew by an eighth since (so a 10,000-member burst costs little). */
function topBinders(store: IdentityStore, g: Group): RingBinder[] {
  if (g.top && g.members.size <= g.top.size * 1.125 && g.members.size >= g.top.size * 0.875) return g.top.list;
  const stats = [...g.binders.values()].filter((b) => b.m >= 2 && store.hashOf(b.shared) === b.hash);
  stats.sort((a, b) => Number(b.strong) - Number(a.strong) || b.m - a.m || b.contribution - a.contribution);
  const list = stats.slice(0, TOP_BINDERS).map((b): RingBinder => {
    const masked = store.maskedOf(b.shared);
    const binder: RingBinder = { kind: IDENTIFIER_KINDS[b.kind] as IdentifierKind, class: b.cls, node: store.keyOf(b.shared), members: b.m };
    if (masked !== undefined) binder.masked = masked;
    return binder;
  });
  g.top = { size: g.members.size, list };
  return list;
}

export function ringView(store: IdentityStore, registry: GroupRegistry, g: Group, pattern: RingPattern, nowS: number, c: RingCriteria): Ring {
  const n = g.members.size;
  const identities = g.nids.size;
  const growth = registry.growth(g, nowS);
  const base = {
    id: g.ringId as string,
    pattern,
    size: n,
    identities,
    binders: topBinders(store, g),
    density: n < 2 ? 0 : Math.round(Math.min(1, g.pairs / ((n * (n - 1)) / 2)) * 1000) / 1000,
    evidence: Math.round(g.evidence * 100) / 100,
    strongBinders: g.strongBinders,
    growth,
    knownFraud: g.fraud,
    firstSeen: fromGraphTime(g.firstSeen),
    lastSeen: fromGraphTime(g.lastSeen),
  };
  const score = pattern === 'burst' ? burstScore(identities, c.burstMinIdentities, g.fraud) : ringScore({ ...base });
  return { ...base, score };
}

/** The ring with its members' application ids (join order, at most `listed`). */
export function withMembers(store: IdentityStore, g: Group, ring: Ring, listed = 1000): RingWithMembers {
  const members: string[] = [];
  for (const m of g.members) {
    if (members.length >= listed) break;
    members.push(store.applicationIdOf(m));
  }
  return { ...ring, members, membersListed: members.length };
}
