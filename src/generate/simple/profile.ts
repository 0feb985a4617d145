import { bot, deviceFarm, identityCycling, identityManyDevices, impossibleTravel, proxyBurst } from '../attacks.js';
import type { CampaignPlan, KindSpec, ProfileEngine } from '../engine.js';
import { Rng } from '../prng.js';
import type { Draft } from '../records.js';
import { SIMPLE_RING_PATTERNS, type AttackKind, type Pattern } from '../types.js';
import { Population } from './background.js';
import { ringChain, ringSharedContacts, ringSharedDevice } from './rings.js';

/** The `simple` profile: the original traffic mix, kept byte for byte (tests and fixtures depend on it). */

type SimpleKind = Exclude<AttackKind, 'multi-lender' | 'account-takeover'>;

const MIN = 60_000;
const KINDS: Record<SimpleKind, KindSpec> = {
  'device-farm': { weight: 1, min: 4, size: (r) => r.int(8, 30), duration: (r) => r.range(3, 15) * MIN },
  'identity-cycling': { weight: 1.2, min: 3, size: (r) => r.int(4, 12), duration: (r) => r.range(2, 20) * MIN },
  'identity-many-devices': { weight: 1.2, min: 3, size: (r) => r.int(4, 10), duration: (r) => r.range(10, 60) * MIN },
  'proxy-burst': { weight: 0.8, min: 4, size: (r) => r.int(10, 40), duration: (r) => r.range(2, 10) * MIN },
  'impossible-travel': { weight: 3, min: 2, size: (r) => (r.chance(0.3) ? 3 : 2), duration: (r) => r.range(5, 40) * MIN },
  bot: { weight: 1.2, min: 2, size: (r) => r.int(5, 20), duration: (r) => r.range(1, 5) * MIN },
  ring: { weight: 0.8, min: 5, size: (r) => r.int(8, 24), duration: (r) => r.range(1, 6) * 60 * MIN },
};

/** The kinds of `kinds` this profile has, in the caller's order. */
export function simpleKinds(kinds: readonly AttackKind[]): SimpleKind[] {
  return kinds.filter((k): k is SimpleKind => k in KINDS);
}

function campaign(c: CampaignPlan): Generator<Draft> {
  switch (c.pattern) {
    case 'device-farm':
      return deviceFarm(c);
    case 'identity-cycling':
      return identityCycling(c);
    case 'identity-many-devices':
      return identityManyDevices(c);
    case 'proxy-burst':
      return proxyBurst(c);
    case 'impossible-travel':
      return impossibleTravel(c);
    case 'bot':
      return bot(c);
    case 'ring-shared-device':
      return ringSharedDevice(c);
    case 'ring-shared-contacts':
      return ringSharedContacts(c);
    case 'ring-chain':
      return ringChain(c);
    default:
      throw new Error(`no generator for ${c.pattern}`);
  }
}

function planCampaigns(rng: Rng, start: number, span: number, attackRecords: number, all: readonly AttackKind[]): CampaignPlan[] {
  const kinds = simpleKinds(all);
  const plans: CampaignPlan[] = [];
  let planned = 0;
  while (planned < attackRecords) {
    const remaining = attackRecords - planned;
    const eligible = kinds.filter((k) => KINDS[k].min <= remaining);
    if (eligible.length === 0) break;
    const kind = rng.weighted(
      eligible,
      eligible.map((k) => KINDS[k].weight),
    );
    const spec = KINDS[kind];
    const size = Math.min(spec.size(rng), remaining);
    const durationMs = Math.min(spec.duration(rng), span * 0.9);
    const pattern: Pattern = kind === 'ring' ? rng.pick(SIMPLE_RING_PATTERNS) : kind;
    plans.push({ kind, pattern, size, durationMs, startMs: start + rng.next() * Math.max(0, span - durationMs), rng: rng.fork(`campaign-${plans.length}`) });
    planned += size;
  }
  return plans;
}

/** Mean campaign size per kind (sampled once, deterministically) to turn a record share into a campaign rate. */
function meanSize(all: readonly AttackKind[]): number {
  const kinds = simpleKinds(all);
  const rng = new Rng('mean-size');
  let total = 0;
  const n = 4000;
  for (let i = 0; i < n; i++)
    total +=
      KINDS[
        rng.weighted(
          kinds,
          kinds.map((k) => KINDS[k].weight),
        )
      ].size(rng);
  return total / n;
}

function planNext(planRng: Rng, all: readonly AttackKind[], startMs: number, index: number): CampaignPlan {
  const kinds = simpleKinds(all);
  const kind = planRng.weighted(
    kinds,
    kinds.map((k) => KINDS[k].weight),
  );
  const spec = KINDS[kind];
  return {
    kind,
    pattern: kind === 'ring' ? planRng.pick(SIMPLE_RING_PATTERNS) : kind,
    size: spec.size(planRng),
    durationMs: spec.duration(planRng),
    startMs,
    rng: planRng.fork(`campaign-${index}`),
  };
}

export function simpleEngine(rng: Rng): ProfileEngine {
  return { background: new Population(rng), planCampaigns, meanSize, planNext, longestMs: 6 * 3_600_000, campaign };
}
