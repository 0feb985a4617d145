import type { Rng } from './prng.js';
import type { Draft } from './records.js';
import type { AttackKind, Pattern } from './types.js';

/**
 * The merge engine both profiles share: background records and attack campaigns interleaved in event time. A
 * profile supplies the background, the campaign planner and the campaign generators.
 */

export interface CampaignPlan {
  kind: AttackKind;
  pattern: Pattern;
  size: number;
  startMs: number;
  durationMs: number;
  rng: Rng;
  /** Ring members (realistic profile; the simple profile derives them from `size`). */
  members?: number;
  /** Records before this time are dropped anyway (endless streams): generators that can may skip building them. */
  from?: number;
}

export interface KindSpec {
  weight: number;
  min: number;
  size: (rng: Rng) => number;
  /** Natural duration in ms. */
  duration: (rng: Rng) => number;
}

export interface Background {
  draft(t: number): Draft;
}

export interface ProfileEngine {
  background: Background;
  /** Campaigns of exactly `attackRecords` records in total (as far as the kinds' minimum sizes allow). */
  planCampaigns(rng: Rng, start: number, span: number, attackRecords: number, kinds: readonly AttackKind[]): CampaignPlan[];
  /** Mean campaign size over `kinds` (to turn a record share into a campaign rate). */
  meanSize(kinds: readonly AttackKind[]): number;
  /** The next campaign of an endless stream, starting at `startMs`; `index` names its random stream. */
  planNext(rng: Rng, kinds: readonly AttackKind[], startMs: number, index: number): CampaignPlan;
  /** Longest campaign duration (endless streams start campaigns this long before `start`). */
  longestMs: number;
  campaign(plan: CampaignPlan): Generator<Draft>;
}

// ---------------------------------------------------------------------------------------------------------------
// Merge in event time

interface Source {
  t: number;
  order: number;
  draft?: Draft;
  gen?: Generator<Draft>;
  plan?: CampaignPlan;
}

class Heap {
  private readonly items: Source[] = [];
  get size(): number {
    return this.items.length;
  }
  peekTime(): number {
    return this.items[0]?.t ?? Number.POSITIVE_INFINITY;
  }
  private less(a: Source, b: Source): boolean {
    return a.t < b.t || (a.t === b.t && a.order < b.order);
  }
  push(s: Source): void {
    const a = this.items;
    a.push(s);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const child = a[i] as Source;
      const parent = a[p] as Source;
      if (!this.less(child, parent)) break;
      a[i] = parent;
      a[p] = child;
      i = p;
    }
  }
  pop(): Source | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && this.less(a[l] as Source, a[m] as Source)) m = l;
        if (r < a.length && this.less(a[r] as Source, a[m] as Source)) m = r;
        if (m === i) break;
        const tmp = a[i] as Source;
        a[i] = a[m] as Source;
        a[m] = tmp;
        i = m;
      }
    }
    return top;
  }
}

/** One chunk: exactly `n` records in [start, start + span), `round(n * share)` of them from attack campaigns. */
export function* chunk(rng: Rng, engine: ProfileEngine, start: number, span: number, n: number, kinds: readonly AttackKind[], share: number): Generator<Draft> {
  const attackTarget = kinds.length > 0 ? Math.round(n * share) : 0;
  const plans = engine.planCampaigns(rng.fork('plan'), start, span, attackTarget, kinds);
  const attackCount = plans.reduce((s, p) => s + p.size, 0);
  const heap = new Heap();
  plans.forEach((plan, i) => heap.push({ t: plan.startMs, order: i, plan }));
  // Background times: sorted uniforms generated in order (order statistics), O(1) memory.
  const bgRng = rng.fork('background-times');
  let left = n - attackCount;
  let x = 0;
  const nextBg = (): number | undefined => {
    if (left <= 0) return undefined;
    x += (1 - x) * (1 - bgRng.next() ** (1 / left));
    left--;
    return start + x * span;
  };
  let bgT = nextBg();
  for (;;) {
    // Keys (t, order) are unique (one entry per campaign), so peeking gives the same order as pop-and-push-back.
    if (bgT !== undefined && bgT <= heap.peekTime()) {
      yield engine.background.draft(bgT);
      bgT = nextBg();
      continue;
    }
    const top = heap.pop();
    if (top === undefined) return;
    if (top.plan) {
      const gen = engine.campaign(top.plan);
      const first = gen.next();
      if (!first.done) heap.push({ t: first.value.t, order: top.order, draft: first.value, gen });
      continue;
    }
    if (top.draft) yield top.draft;
    const nx = top.gen?.next();
    if (nx && !nx.done && top.gen) heap.push({ t: nx.value.t, order: top.order, draft: nx.value, gen: top.gen });
  }
}

/**
 * Endless, stationary stream: background records as a Poisson process at eps·(1−share); campaign starts as a
 * Poisson process at eps·share / mean size that begins before `start` (by the longest campaign), so campaigns are
 * already in flight at the first record; their records before `start` are dropped. The attack share is then right
 * from the first second (in expectation), not only after a ramp-up.
 */
export function* endless(rng: Rng, engine: ProfileEngine, start: number, eps: number, kinds: readonly AttackKind[], share: number): Generator<Draft> {
  const bgRng = rng.fork('background-times');
  const bgMeanMs = 1000 / (eps * (1 - share));
  let bgT = share >= 1 ? Number.POSITIVE_INFINITY : start + bgRng.exponential(bgMeanMs);
  const planRng = rng.fork('plan');
  const attacking = kinds.length > 0 && share > 0;
  const campaignMeanMs = attacking ? 1000 / ((eps * share) / engine.meanSize(kinds)) : Number.POSITIVE_INFINITY;
  let nextStart = start - engine.longestMs + planRng.exponential(campaignMeanMs);
  let campaigns = 0;
  const heap = new Heap();
  const planNext = (): CampaignPlan => {
    const plan = engine.planNext(planRng, kinds, nextStart, campaigns);
    campaigns++;
    nextStart += planRng.exponential(campaignMeanMs);
    return plan;
  };
  for (;;) {
    // Admit every campaign that starts before the next record; skip those that ended before `start`.
    while (attacking && nextStart <= Math.min(bgT, heap.peekTime())) {
      const plan = planNext();
      if (plan.startMs + plan.durationMs < start) continue;
      plan.from = start;
      const gen = engine.campaign(plan);
      for (let r = gen.next(); !r.done; r = gen.next()) {
        if (r.value.t >= start) {
          heap.push({ t: r.value.t, order: campaigns, draft: r.value, gen });
          break;
        }
      }
    }
    if (bgT <= heap.peekTime()) {
      yield engine.background.draft(bgT);
      bgT += bgRng.exponential(bgMeanMs);
      continue;
    }
    const top = heap.pop();
    if (top === undefined) return;
    if (top.draft) yield top.draft;
    const nx = top.gen?.next();
    if (nx && !nx.done && top.gen) heap.push({ t: nx.value.t, order: top.order, draft: nx.value, gen: top.gen });
  }
}
