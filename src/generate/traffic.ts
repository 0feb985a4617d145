import { generateGraphBomb, mergeByTime } from './bomb.js';
import { chunk, endless, type ProfileEngine } from './engine.js';
import { Rng } from './prng.js';
import { toRecord } from './records.js';
import { realisticEngine } from './realistic/profile.js';
import { simpleEngine, simpleKinds } from './simple/profile.js';
import { ATTACK_KINDS, DEFAULT_START_MS, type GeneratedApplication, type TrafficOptions } from './types.js';

/** The traffic generator (pure and deterministic per seed): background applicants plus labelled attack campaigns. */

export {
  ATTACK_KINDS,
  DEFAULT_START_MS,
  PATTERNS,
  PROFILES,
  RING_PATTERNS,
  SIMPLE_ATTACK_KINDS,
  SIMPLE_RING_PATTERNS,
  TAGS,
  kindsOf,
  parseAttackKinds,
  parseProfile,
  type AttackKind,
  type BombOptions,
  type GeneratedApplication,
  type GroundTruth,
  type Pattern,
  type Profile,
  type RingPattern,
  type Tag,
  type TrafficOptions,
} from './types.js';
export { CHAIN_LINKS, type ChainLink } from './simple/rings.js';
export { generateGraphBomb, type GraphBombOptions } from './bomb.js';

/**
 * Generates applications in event-time order. Pure and deterministic: the same options give the same records.
 * With `count`, exactly `count` records spread over `spanMs` (round(count·attackShare) of them attacks, as far as
 * campaign sizes allow); without, an endless stationary stream at `eventsPerSecond` (attack share right in
 * expectation). With `bomb`, a graph bomb's records are mixed in on top.
 */
export function generateTraffic(opts: TrafficOptions = {}): Generator<GeneratedApplication> {
  const seed = opts.seed ?? 1;
  const root = new Rng(`lendguard-generate:${String(seed)}`);
  const start = opts.startMs ?? DEFAULT_START_MS;
  const eps = opts.eventsPerSecond ?? 50;
  const idPrefix = opts.idPrefix ?? `app-${root.fork('id').hex(6)}`;
  if (!(eps > 0)) throw new Error('eventsPerSecond must be > 0');
  if (opts.count !== undefined && (!Number.isInteger(opts.count) || opts.count < 0)) throw new Error('count must be a non-negative integer');
  const traffic = profileTraffic(opts, root, start, eps, idPrefix);
  if (!opts.bomb || opts.bomb.count <= 0) return traffic;
  const span = opts.count !== undefined ? (opts.spanMs ?? (opts.count / eps) * 1000) : 0;
  const bomb = generateGraphBomb({
    seed: `${String(seed)}/bomb`,
    count: opts.bomb.count,
    startMs: opts.bomb.startMs ?? start + span / 2,
    durationMs: opts.bomb.durationMs ?? 3_600_000,
    idPrefix: `${idPrefix}-bomb`,
  });
  return mergeByTime(traffic, bomb);
}

function* profileTraffic(opts: TrafficOptions, root: Rng, start: number, eps: number, idPrefix: string): Generator<GeneratedApplication> {
  const share = Math.min(1, Math.max(0, opts.attackShare ?? 0.05));
  const profile = opts.profile ?? 'realistic';
  let kinds = opts.attacks ?? ATTACK_KINDS;
  let engine: ProfileEngine;
  if (profile === 'simple') {
    kinds = simpleKinds(kinds);
    engine = simpleEngine(root.fork('population'));
  } else {
    engine = realisticEngine(root.fork('population'), root.fork('world'));
  }
  let seq = 0;
  const id = (): string => `${idPrefix}-${String(++seq).padStart(9, '0')}`;
  if (opts.count !== undefined) {
    const span = opts.spanMs ?? (opts.count / eps) * 1000;
    for (const d of chunk(root.fork('chunk-0'), engine, start, Math.max(1, span), opts.count, kinds, share)) yield toRecord(id(), d);
    return;
  }
  for (const d of endless(root.fork('endless'), engine, start, eps, kinds, share)) yield toRecord(id(), d);
}
