import { bot, deviceFarm, identityCycling, identityManyDevices, impossibleTravel, proxyBurst } from '../attacks.js';
import type { CampaignPlan, ProfileEngine } from '../engine.js';
import { Rng } from '../prng.js';
import type { Draft } from '../records.js';
import { RING_PATTERNS, type AttackKind, type GroundTruth, type Pattern } from '../types.js';
import { accountTakeover, multiLender } from './attacks.js';
import { RealisticPopulation } from './population.js';
import { ringChain, ringFakeAddress, ringMuleAccount, ringOrganiserContact, ringSharedDevice } from './rings.js';
import { World } from './world.js';

/** The `realistic` profile (the default): structured background, camouflaged rings, 多头 and account takeover. */

/** The at-home application of an impossible-travel pair is the genuine customer's, whose session is replayed later. */
const TAKEOVER_VICTIM: GroundTruth = { fraud: false, pattern: 'legit', tags: ['takeover-victim'] };

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

interface Shape {
  size: number;
  members?: number;
}

interface KindSpec {
  weight: number;
  /** Smallest campaign worth planning (records). */
  min: number;
  shape: (rng: Rng, pattern: Pattern) => Shape;
  /** Natural duration in ms (clamped to 90 % of the span with `count`). */
  duration: (rng: Rng) => number;
}

/** `lo..hi` members with 1..maxPer applications each. */
function members(rng: Rng, lo: number, hi: number, maxPer: number): Shape {
  const n = rng.int(lo, hi);
  let size = 0;
  for (let i = 0; i < n; i++) size += rng.int(1, maxPer);
  return { size, members: n };
}

const fixed =
  (lo: number, hi: number) =>
  (rng: Rng): Shape => ({ size: rng.int(lo, hi) });

export const REALISTIC_KINDS: Record<AttackKind, KindSpec> = {
  'device-farm': { weight: 1, min: 4, shape: fixed(8, 30), duration: (r) => r.range(3, 15) * MIN },
  'identity-cycling': { weight: 1.2, min: 3, shape: fixed(4, 12), duration: (r) => r.range(2, 20) * MIN },
  'identity-many-devices': { weight: 1.2, min: 3, shape: fixed(4, 10), duration: (r) => r.range(10, 60) * MIN },
  'proxy-burst': { weight: 0.8, min: 4, shape: fixed(10, 40), duration: (r) => r.range(2, 10) * MIN },
  'impossible-travel': { weight: 3, min: 2, shape: (r) => ({ size: r.chance(0.3) ? 3 : 2 }), duration: (r) => r.range(5, 40) * MIN },
  bot: { weight: 1.2, min: 2, shape: fixed(5, 20), duration: (r) => r.range(1, 5) * MIN },
  'multi-lender': { weight: 1.2, min: 3, shape: fixed(4, 10), duration: (r) => r.range(0.5, 6) * HOUR },
  'account-takeover': { weight: 1.2, min: 2, shape: (r) => members(r, 2, 5, 2), duration: (r) => r.range(20, 240) * MIN },
  // Five shapes share the ring weight; 30 % of rings spread over days (temporal camouflage).
  ring: {
    weight: 3,
    min: 4,
    shape: (r, pattern) => (pattern === 'ring-chain' ? members(r, 4, 8, 3) : members(r, 5, 12, 3)),
    duration: (r) => (r.chance(0.3) ? r.range(1, 5) * DAY : r.range(1, 6) * HOUR),
  },
};

function draw(rng: Rng, kinds: readonly AttackKind[]): { kind: AttackKind; pattern: Pattern } {
  const kind = rng.weighted(
    kinds,
    kinds.map((k) => REALISTIC_KINDS[k].weight),
  );
  return { kind, pattern: kind === 'ring' ? rng.pick(RING_PATTERNS) : kind };
}

function planCampaigns(rng: Rng, start: number, span: number, attackRecords: number, kinds: readonly AttackKind[]): CampaignPlan[] {
  const plans: CampaignPlan[] = [];
  let planned = 0;
  while (planned < attackRecords) {
    const remaining = attackRecords - planned;
    const eligible = kinds.filter((k) => REALISTIC_KINDS[k].min <= remaining);
    if (eligible.length === 0) break;
    const { kind, pattern } = draw(rng, eligible);
    const spec = REALISTIC_KINDS[kind];
    const shape = spec.shape(rng, pattern);
    const size = Math.min(shape.size, remaining);
    const durationMs = Math.min(spec.duration(rng), span * 0.9);
    const startMs = start + rng.next() * Math.max(0, span - durationMs);
    const plan: CampaignPlan = { kind, pattern, size, durationMs, startMs, rng: rng.fork(`campaign-${plans.length}`) };
    if (shape.members !== undefined) plan.members = Math.min(shape.members, size);
    plans.push(plan);
    planned += size;
  }
  return plans;
}

function meanSize(kinds: readonly AttackKind[]): number {
  const rng = new Rng('mean-size-realistic');
  let total = 0;
  const n = 4000;
  for (let i = 0; i < n; i++) {
    const { kind, pattern } = draw(rng, kinds);
    total += REALISTIC_KINDS[kind].shape(rng, pattern).size;
  }
  return total / n;
}

/**
 * A plan whose random stream is forked only when the campaign runs: an endless stream plans days of campaigns
 * before its start and skips most of them (the same stream as an eager fork: it depends on the label only).
 */
class LazyPlan implements CampaignPlan {
  private stream?: Rng;
  members?: number;
  from?: number;

  constructor(
    readonly kind: AttackKind,
    readonly pattern: Pattern,
    readonly size: number,
    readonly durationMs: number,
    readonly startMs: number,
    private readonly parent: Rng,
    private readonly label: string,
  ) {}

  get rng(): Rng {
    this.stream ??= this.parent.fork(this.label);
    return this.stream;
  }
}

function planNext(rng: Rng, kinds: readonly AttackKind[], startMs: number, index: number): CampaignPlan {
  const { kind, pattern } = draw(rng, kinds);
  const spec = REALISTIC_KINDS[kind];
  const shape = spec.shape(rng, pattern);
  const plan = new LazyPlan(kind, pattern, shape.size, spec.duration(rng), startMs, rng, `campaign-${index}`);
  if (shape.members !== undefined) plan.members = shape.members;
  return plan;
}

export function realisticEngine(populationRng: Rng, worldRng: Rng): ProfileEngine {
  const world = new World(worldRng);
  const population = new RealisticPopulation(populationRng, world);
  const campaign = (c: CampaignPlan): Generator<Draft> => {
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
        return impossibleTravel(c, { genuine: TAKEOVER_VICTIM });
      case 'bot':
        return bot(c);
      case 'multi-lender':
        return multiLender(c, world);
      case 'account-takeover':
        return accountTakeover(c, world, population);
      case 'ring-mule-account':
        return ringMuleAccount(c, world);
      case 'ring-organiser-contact':
        return ringOrganiserContact(c, world);
      case 'ring-fake-address':
        return ringFakeAddress(c, world);
      case 'ring-chain':
        return ringChain(c, world);
      case 'ring-shared-device':
        return ringSharedDevice(c, world);
      default:
        throw new Error(`no realistic generator for ${c.pattern}`);
    }
  };
  return { background: population, planCampaigns, meanSize, planNext, longestMs: 5 * DAY, campaign };
}
