import { IdTable, hashed, hashKey, hashKey2 } from './id-table.js';
import {
  flatString,
  IDENTIFIER_KINDS,
  identifierKindIndex,
  LINK_KIND_INFO,
  LINK_KINDS,
  nodeKindOfLink,
  popcount,
  toGraphTime,
  type IdentifierKind,
  type LinkKind,
  type LinkKindInfo,
} from './kinds.js';
import type { GraphLink } from './links.js';
import type { LinkTriple } from './link-record.js';
import type { ChangeSet, GraphStats } from './model.js';
import { Int32Vec, SegmentPool } from './typed.js';

/**
 * The identity graph's store: applications and the identifiers they used, in typed arrays.
 *
 * - Every identifier is one slot of a 64-bit-hash table (`IdTable`). One used by a single application (most
 *   of them) is only that slot, pointing at its application: a *solo*. The second application to use it
 *   *promotes* it to a shared identifier with a member list, its key and its masked form.
 * - Each application keeps the hashes and link kinds of its identifiers in a segment of one pool, so that
 *   eviction knows what to undo and analyses can walk from an application to its identifiers.
 * - Member lists hold at most MEMBER_CAP entries; beyond that only the degree is counted. Analyses never walk
 *   an identifier that popular (hub limits are far lower), so they never need the rest.
 * - Applications are indexed by the ten-minute bucket of their last-seen time, so eviction takes the oldest
 *   buckets first and never scans the graph (an application leaves at most one bucket after its horizon).
 *
 * Times are graph times (`toGraphTime`: seconds since 2020). Pure data structure: no clock, no I/O.
 */

/** Member lists stop growing here; analyses treat anything past the hub limits (≤ 255) as a hub. */
export const MEMBER_CAP = 256;
export const NO_TIME = -2147483648;
/** Bits of a member entry (`app * 4 + use`): how that application uses the identifier. */
export const USE_OWN = 1;
export const USE_CONTACT = 2;
/** Eviction granularity: 10 min, so that even a short horizon (a soak's, minutes) reaches a steady size. */
const BUCKET_SECONDS = 600;
const CONTACT_BIT = LINK_KIND_INFO.contact.bit;
const NID_KIND = LINK_KIND_INFO.nationalId.nodeKind;

/** Packs a member: application index and use bits. */
const member = (app: number, use: number): number => app * 4 + use;
const useOf = (bits: number): number => ((bits & CONTACT_BIT) !== 0 ? USE_CONTACT : 0) | ((bits & ~CONTACT_BIT) !== 0 ? USE_OWN : 0);
const soloValue = (app: number): number => -(app + 2);

export class IdentityStore {
  private readonly appIndex = new Map<string, number>();
  private appIds: (string | undefined)[] = [];
  private readonly aFirst = new Int32Vec();
  private readonly aLast = new Int32Vec();
  private readonly aNid = new Int32Vec();
  private readonly aFraud = new Int32Vec();
  private readonly aLabelAt = new Int32Vec();
  private readonly freeApps: number[] = [];
  private appTop = 0;

  private readonly links = new SegmentPool();
  private readonly table = new IdTable();

  private sKey: string[] = [];
  private sMasked: (string | undefined)[] = [];
  private sMembers: number[][] = [];
  private readonly sDeg = new Int32Vec();
  private readonly sKind = new Int32Vec();
  private readonly sHi = new Int32Vec();
  private readonly sLo = new Int32Vec();
  private readonly freeShared: number[] = [];
  private sharedTop = 0;

  private readonly buckets = new Map<number, number[]>();
  private bucketKeys: number[] = [];
  private readonly counts = {
    apps: 0,
    fraud: 0,
    identifiers: new Array<number>(IDENTIFIER_KINDS.length).fill(0),
    links: new Array<number>(LINK_KINDS.length).fill(0),
  };

  // ---------------------------------------------------------------------------------------------- reads

  appOf(applicationId: string): number {
    return this.appIndex.get(applicationId) ?? -1;
  }

  applicationIdOf(app: number): string {
    return this.appIds[app] as string;
  }

  firstSeen(app: number): number {
    return this.aFirst.at(app);
  }

  lastSeen(app: number): number {
    return this.aLast.at(app);
  }

  /** A 32-bit hash of the application's national-ID node (0 = none): equal for the same identity. */
  identityOf(app: number): number {
    return this.aNid.at(app);
  }

  isFraud(app: number): boolean {
    return this.aFraud.at(app) !== NO_TIME;
  }

  /** Calls `fn(shared, kindBits)` for each identifier of the application that another application uses too. */
  forEachShared(app: number, fn: (shared: number, kindBits: number) => void): void {
    const { start, length } = this.links.segment(app);
    for (let i = start; i < start + length; i++) {
      const slot = this.table.find(this.links.hi(i), this.links.lo(i));
      const v = slot < 0 ? 0 : this.table.value(slot);
      if (v > 0) fn(v - 1, this.links.kind(i));
    }
  }

  /** Identifier kinds of the application's identifiers and their degrees, solos included (degree 1). */
  forEachIdentifier(app: number, fn: (kind: number, degree: number, shared: number) => void): void {
    const { start, length } = this.links.segment(app);
    for (let i = start; i < start + length; i++) {
      const slot = this.table.find(this.links.hi(i), this.links.lo(i));
      const v = slot < 0 ? 0 : this.table.value(slot);
      if (v > 0) fn(this.sKind.at(v - 1), this.sDeg.at(v - 1), v - 1);
      else fn(-1, 1, -1);
    }
  }

  /** Packed member entries (`app * 4 + use`); at most MEMBER_CAP of them. */
  members(shared: number): readonly number[] {
    return this.sMembers[shared] as number[];
  }

  degree(shared: number): number {
    return this.sDeg.at(shared);
  }

  /** Index into IDENTIFIER_KINDS. */
  kindOf(shared: number): number {
    return this.sKind.at(shared);
  }

  keyOf(shared: number): string {
    return this.sKey[shared] as string;
  }

  maskedOf(shared: number): string | undefined {
    return this.sMasked[shared];
  }

  /** The low 32 bits of the identifier's hash: a key that outlives the shared index (indices are reused). */
  hashOf(shared: number): number {
    return this.sLo.at(shared);
  }

  /** The shared identifier with this node key, or -1 (solo or unknown). */
  sharedOf(nodeKey: string): number {
    hashKey(nodeKey);
    const slot = this.table.find(hashed.hi, hashed.lo);
    const v = slot < 0 ? 0 : this.table.value(slot);
    return v > 0 ? v - 1 : -1;
  }

  /** The store holds applications first seen at least `seconds` apart (oldest bucket to newest). */
  hasHistory(seconds: number): boolean {
    const keys = this.bucketKeys;
    return keys.length > 0 && ((keys[keys.length - 1] as number) - (keys[0] as number)) * BUCKET_SECONDS >= seconds;
  }

  hasApplication(applicationId: string): boolean {
    return this.appIndex.has(applicationId);
  }

  get applicationCount(): number {
    return this.counts.apps;
  }

  // ---------------------------------------------------------------------------------------------- writes

  /** Room for this many more applications (about 6 identifiers each) before a rebuild starts. */
  reserve(applications: number): void {
    this.table.reserve(this.table.size + applications * 6);
  }

  /** Idempotent and order-tolerant: times widen (min/max), a link counts once. */
  applyLinks(links: readonly GraphLink[]): ChangeSet {
    const result: ChangeSet = { added: 0, known: 0, promoted: 0, changedApps: [] };
    const changed = new Set<number>();
    let app = -1;
    let appKey: string | undefined;
    for (let i = 0; i < links.length; i++) {
      const link = links[i] as GraphLink;
      const at = toGraphTime(link.atMs);
      if (link.app !== appKey) {
        appKey = link.app;
        app = this.ensureApp(link.app, at);
        if (this.links.segment(app).length === 0) {
          let run = 1;
          while (links[i + run]?.app === appKey) run++;
          this.links.reserve(app, run);
        }
      } else this.touch(app, at);
      hashKey(link.node);
      this.count(result, this.applyLink(app, LINK_KIND_INFO[link.kind], link.node, '', link.masked, changed));
    }
    for (const a of changed) result.changedApps.push(this.appIds[a] as string);
    return result;
  }

  /**
   * One application's link set as the link topic carries it (`[kind, pseudonym, masked?]` triples): the same
   * as `applyLinks`, without building a link object or a node key per link. Returns the application index.
   */
  applyRecord(applicationId: string, atMs: number, triples: readonly LinkTriple[]): number {
    const at = toGraphTime(atMs);
    const app = this.ensureApp(applicationId, at);
    if (this.links.segment(app).length === 0) this.links.reserve(app, triples.length);
    for (const [kind, id, masked] of triples) {
      const info = LINK_KIND_INFO[kind];
      hashKey2(info.prefix, id);
      this.applyLink(app, info, undefined, id, masked, undefined);
    }
    return app;
  }

  private count(result: ChangeSet, outcome: 0 | 1 | 2): void {
    if (outcome === 0) result.known++;
    else {
      result.added++;
      if (outcome === 2) result.promoted++;
    }
  }

  /** Analyst label: fraud marks the application, legit clears the mark; the latest label (by time) wins. */
  markLabel(applicationId: string, label: 'fraud' | 'legit', atMs: number): void {
    const at = toGraphTime(atMs);
    const app = this.appIndex.get(applicationId) ?? this.ensureApp(applicationId, at);
    const last = this.aLabelAt.at(app);
    if (last !== NO_TIME && at < last) return;
    const was = this.aFraud.at(app) !== NO_TIME;
    this.aLabelAt.set(app, at);
    this.aFraud.set(app, label === 'fraud' ? at : NO_TIME);
    this.counts.fraud += (label === 'fraud' ? 1 : 0) - (was ? 1 : 0);
  }

  private ensureApp(applicationId: string, at: number): number {
    const known = this.appIndex.get(applicationId);
    if (known !== undefined) {
      this.touch(known, at);
      return known;
    }
    const app = this.freeApps.pop() ?? this.appTop++;
    this.appIndex.set(applicationId, app);
    this.appIds[app] = applicationId;
    this.aFirst.set(app, at);
    this.aLast.set(app, at);
    this.aNid.set(app, 0);
    this.aFraud.set(app, NO_TIME);
    this.aLabelAt.set(app, NO_TIME);
    this.links.reset(app);
    this.counts.apps++;
    this.bucket(app, at);
    return app;
  }

  private touch(app: number, at: number): void {
    if (at < this.aFirst.at(app)) this.aFirst.set(app, at);
    const last = this.aLast.at(app);
    if (at > last) {
      this.aLast.set(app, at);
      if (Math.floor(at / BUCKET_SECONDS) !== Math.floor(last / BUCKET_SECONDS)) this.bucket(app, at);
    }
  }

  private bucket(app: number, at: number): void {
    const key = Math.floor(at / BUCKET_SECONDS);
    const list = this.buckets.get(key);
    if (list) {
      list.push(app);
      return;
    }
    this.buckets.set(key, [app]);
    // Sorted insert: keys mostly arrive in order, so this is usually an append.
    let i = this.bucketKeys.length;
    while (i > 0 && (this.bucketKeys[i - 1] as number) > key) i--;
    this.bucketKeys.splice(i, 0, key);
  }

  /**
   * One link of `app`, its identifier's hash in `hashed`; the node key is `node`, or `prefix + id` (built only
   * if the identifier becomes shared). 0 = known, 1 = added, 2 = added and promoted a solo.
   */
  private applyLink(
    app: number,
    info: LinkKindInfo,
    node: string | undefined,
    id: string,
    masked: string | undefined,
    changed: Set<number> | undefined,
  ): 0 | 1 | 2 {
    const hi = hashed.hi;
    const lo = hashed.lo;
    const bit = info.bit;
    if (info.nodeKind === NID_KIND) this.aNid.set(app, lo === 0 ? 1 : lo);
    const own = this.links.find(app, hi, lo);
    if (own >= 0) {
      const bits = this.links.kind(own);
      if ((bits & bit) !== 0) return 0;
      this.links.setKind(own, bits | bit);
      this.counts.links[info.index]!++;
      this.widenUse(hi, lo, app, bits | bit);
      return 1;
    }
    this.links.append(app, hi, lo, bit);
    this.counts.links[info.index]!++;
    const slot = this.table.find(hi, lo);
    if (slot < 0) {
      this.table.insert(hi, lo, soloValue(app), bit);
      this.counts.identifiers[info.nodeKind]!++;
      return 1;
    }
    const v = this.table.value(slot);
    if (v > 0) {
      const s = v - 1;
      this.sDeg.set(s, this.sDeg.at(s) + 1);
      const list = this.sMembers[s] as number[];
      if (list.length < MEMBER_CAP) list.push(member(app, useOf(bit)));
      if (this.sMasked[s] === undefined && masked !== undefined) this.sMasked[s] = masked;
      changed?.add(app);
      return 1;
    }
    // A second application: the identifier now binds two and becomes shared.
    const other = -v - 2;
    const s = this.newShared(node ?? info.prefix + id, info.nodeKind, masked, hi, lo, [member(other, useOf(this.table.tagOf(slot))), member(app, useOf(bit))]);
    this.table.set(slot, s + 1, 0);
    changed?.add(other);
    changed?.add(app);
    return 2;
  }

  private newShared(node: string, nodeKind: number, masked: string | undefined, hi: number, lo: number, members: number[]): number {
    const s = this.freeShared.pop() ?? this.sharedTop++;
    // Kept for the life of the identifier: a flat copy, not a concatenation (see flatString).
    this.sKey[s] = flatString(node);
    this.sMasked[s] = masked;
    this.sMembers[s] = members;
    this.sDeg.set(s, members.length);
    this.sKind.set(s, nodeKind);
    this.sHi.set(s, hi);
    this.sLo.set(s, lo);
    return s;
  }

  /** An application added a second link kind to an identifier it already had (a phone also as contact). */
  private widenUse(hi: number, lo: number, app: number, bits: number): void {
    const slot = this.table.find(hi, lo);
    if (slot < 0) return;
    const v = this.table.value(slot);
    if (v < -1) {
      this.table.set(slot, v, bits);
      return;
    }
    const list = this.sMembers[v - 1] as number[];
    for (let i = 0; i < list.length; i++) if ((list[i] as number) >> 2 === app) list[i] = member(app, useOf(bits));
  }

  // ---------------------------------------------------------------------------------------------- eviction

  /**
   * Removes applications last seen before the horizon, oldest bucket first, at most `maxApps` of them per call
   * (the rest stay for the next call: `more` says so). Each removed application's identifiers lose it: a
   * shared identifier left with one application goes back to being a solo, one left with none is removed.
   * `onEvict` is called before each application is removed (the rings drop it).
   */
  evictOlderThan(horizonMs: number, opts: { maxApps?: number; onEvict?: (app: number) => void } = {}): { apps: number; links: number; more: boolean } {
    const horizon = toGraphTime(horizonMs);
    const limit = opts.maxApps ?? Number.POSITIVE_INFINITY;
    const out = { apps: 0, links: 0, more: false };
    while (this.bucketKeys.length > 0) {
      const key = this.bucketKeys[0] as number;
      if ((key + 1) * BUCKET_SECONDS > horizon) break;
      const list = this.buckets.get(key) as number[];
      while (list.length > 0) {
        if (out.apps >= limit) {
          out.more = true;
          return out;
        }
        const app = list.pop() as number;
        // Stale entries: the app was re-bucketed when its last-seen time moved, or was removed and reused.
        if (this.appIds[app] === undefined || Math.floor(this.aLast.at(app) / BUCKET_SECONDS) !== key) continue;
        opts.onEvict?.(app);
        out.links += this.removeApp(app);
        out.apps++;
      }
      this.buckets.delete(key);
      this.bucketKeys.shift();
    }
    return out;
  }

  private removeApp(app: number): number {
    const { start, length } = this.links.segment(app);
    let removed = 0;
    for (let i = start; i < start + length; i++) {
      const bits = this.links.kind(i);
      removed += popcount(bits);
      for (let k = 0; k < LINK_KINDS.length; k++) if ((bits & (1 << k)) !== 0) this.counts.links[k]!--;
      this.unlink(app, this.links.hi(i), this.links.lo(i));
    }
    this.links.release(app);
    if (this.aFraud.at(app) !== NO_TIME) this.counts.fraud--;
    this.appIndex.delete(this.appIds[app] as string);
    this.appIds[app] = undefined;
    this.freeApps.push(app);
    this.counts.apps--;
    return removed;
  }

  private unlink(app: number, hi: number, lo: number): void {
    const slot = this.table.find(hi, lo);
    if (slot < 0) return;
    const v = this.table.value(slot);
    if (v < -1) {
      this.counts.identifiers[this.soloKind(this.table.tagOf(slot))]!--;
      this.table.remove(slot);
      return;
    }
    const s = v - 1;
    const list = this.sMembers[s] as number[];
    for (let i = 0; i < list.length; i++) {
      if ((list[i] as number) >> 2 !== app) continue;
      list[i] = list[list.length - 1] as number;
      list.pop();
      break;
    }
    const degree = this.sDeg.at(s) - 1;
    this.sDeg.set(s, degree);
    if (degree >= 2) return;
    const last = list[0];
    if (degree === 1 && last !== undefined) {
      const other = last >> 2;
      const at = this.links.find(other, hi, lo);
      this.table.set(slot, soloValue(other), at < 0 ? 0 : this.links.kind(at));
    } else {
      // Nobody left (or the one left is not in the capped list): the identifier goes.
      this.counts.identifiers[this.sKind.at(s)]!--;
      this.table.remove(slot);
    }
    this.freeSharedIndex(s);
  }

  private freeSharedIndex(s: number): void {
    this.sKey[s] = '';
    this.sMasked[s] = undefined;
    this.sMembers[s] = [];
    this.freeShared.push(s);
  }

  private soloKind(bits: number): number {
    for (let k = 0; k < LINK_KINDS.length; k++) if ((bits & (1 << k)) !== 0) return identifierKindIndex(nodeKindOfLink(LINK_KINDS[k] as LinkKind));
    return 0;
  }

  // ---------------------------------------------------------------------------------------------- stats

  stats(): GraphStats {
    const nodes: GraphStats['nodes'] = { app: this.counts.apps };
    this.counts.identifiers.forEach((n, i) => {
      if (n > 0) nodes[IDENTIFIER_KINDS[i] as IdentifierKind] = n;
    });
    const links: GraphStats['links'] = {};
    this.counts.links.forEach((n, i) => {
      if (n > 0) links[LINK_KINDS[i] as LinkKind] = n;
    });
    const shared = this.sharedTop - this.freeShared.length;
    return {
      nodes,
      links,
      applications: this.counts.apps,
      sharedIdentifiers: shared,
      solos: this.table.size - shared,
      fraudMarked: this.counts.fraud,
      tableBytes: this.table.bytes + this.links.bytes,
    };
  }
}
