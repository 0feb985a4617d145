import type { RawApplication } from '../domain/application.js';

/** Attack kinds, patterns, ground truth and options shared by both traffic profiles. */

export const PROFILES = ['realistic', 'simple'] as const;
export type Profile = (typeof PROFILES)[number];

/** The attack kinds of the `simple` profile, in the order its planner weighs them (do not reorder: output depends on it). */
export const SIMPLE_ATTACK_KINDS = ['device-farm', 'identity-cycling', 'identity-many-devices', 'proxy-burst', 'impossible-travel', 'bot', 'ring'] as const;
/** Every attack kind (the `realistic` profile has them all; `simple` only SIMPLE_ATTACK_KINDS). */
export const ATTACK_KINDS = [...SIMPLE_ATTACK_KINDS, 'multi-lender', 'account-takeover'] as const;
export type AttackKind = (typeof ATTACK_KINDS)[number];

/** Ring shapes of the `realistic` profile. */
export const RING_PATTERNS = ['ring-mule-account', 'ring-organiser-contact', 'ring-fake-address', 'ring-chain', 'ring-shared-device'] as const;
/** Ring shapes of the `simple` profile (order matters to its output). */
export const SIMPLE_RING_PATTERNS = ['ring-shared-device', 'ring-shared-contacts', 'ring-chain'] as const;
export type RingPattern = (typeof RING_PATTERNS)[number] | (typeof SIMPLE_RING_PATTERNS)[number];
export type Pattern = 'legit' | Exclude<AttackKind, 'ring'> | RingPattern | 'graph-bomb';
export const PATTERNS: readonly Pattern[] = [
  'legit',
  ...ATTACK_KINDS.filter((k): k is Exclude<AttackKind, 'ring'> => k !== 'ring'),
  ...RING_PATTERNS,
  'ring-shared-contacts',
  'graph-bomb',
];

/**
 * Truth tags (realistic profile only): the cohorts a legit record belongs to, as the generator decided them
 * (docs/generator.md, "Truth tags"), and the two kinds of multi-lender campaign (`probe`, `spree`).
 */
export const TAGS = [
  'family',
  'office',
  'cgnat',
  'popular-contact',
  'traveller-domestic',
  'traveller-abroad',
  'shared-device',
  'repeat',
  'takeover-victim',
  'probe',
  'spree',
] as const;
export type Tag = (typeof TAGS)[number];

export interface GroundTruth {
  fraud: boolean;
  pattern: Pattern;
  /** Shared by all records of one ring, one account-takeover campaign or one graph bomb. */
  ringId?: string;
  /** Realistic profile only; absent when the record has none (never an empty array). */
  tags?: Tag[];
}

/** A contract-v1 application plus the ground truth as the extra top-level property `_truth` (ignored by the processor). */
export type GeneratedApplication = RawApplication & { _truth: GroundTruth };

export interface BombOptions {
  /** Number of bomb applications (added to `count`). */
  count: number;
  /** Event time of the first bomb application. Default: the middle of the span (with `count`), else `startMs`. */
  startMs?: number;
  /** Event-time span of the bomb. Default 1 h. */
  durationMs?: number;
}

export interface TrafficOptions {
  /** Same seed, same options → the same records, byte for byte. Default 1. */
  seed?: string | number;
  /** Traffic model. Default `realistic`; `simple` is the original mix, byte for byte. */
  profile?: Profile;
  /** Event time of the first records (ms since epoch). Default 2026-11-28T02:00:00Z (the core never reads the clock). */
  startMs?: number;
  /** Number of records; omitted = endless (the caller stops iterating). */
  count?: number;
  /** Event-time rate: records per second of event time. Default 50. */
  eventsPerSecond?: number;
  /** With `count`: the event-time span the records are spread over. Default count / eventsPerSecond. */
  spanMs?: number;
  /** Attack kinds to inject. Default all of the profile's; kinds the profile does not have are ignored. */
  attacks?: readonly AttackKind[];
  /** Share of records that belong to attacks, 0..1. Default 0.05. */
  attackShare?: number;
  /** applicationId prefix. Default derived from the seed. */
  idPrefix?: string;
  /** Mix a graph bomb (generateGraphBomb) into the stream, in addition to `count`. */
  bomb?: BombOptions;
}

export const DEFAULT_START_MS = Date.UTC(2026, 10, 28, 2, 0, 0);

/** The attack kinds a profile has. */
export function kindsOf(profile: Profile): readonly AttackKind[] {
  return profile === 'simple' ? SIMPLE_ATTACK_KINDS : ATTACK_KINDS;
}

export function parseProfile(text: string): Profile {
  const t = text.trim().toLowerCase();
  if ((PROFILES as readonly string[]).includes(t)) return t as Profile;
  throw new Error(`unknown profile '${text}' (known: ${PROFILES.join(', ')})`);
}

/**
 * Parses `all`, `none` or a comma list of attack kinds of `profile` (default realistic); throws naming the unknown
 * ones. Any ring shape name (of either profile) selects `ring`: the shape of each ring is drawn at random.
 */
export function parseAttackKinds(text: string, profile: Profile = 'realistic'): AttackKind[] {
  const known = kindsOf(profile);
  const t = text.trim().toLowerCase();
  if (t === 'all' || t === '') return [...known];
  if (t === 'none') return [];
  const names = t
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const ringShapes: readonly string[] = [...RING_PATTERNS, ...SIMPLE_RING_PATTERNS];
  const kinds: AttackKind[] = [];
  const unknown: string[] = [];
  for (const n of names) {
    const kind = ringShapes.includes(n) ? 'ring' : n;
    if ((known as readonly string[]).includes(kind)) {
      if (!kinds.includes(kind as AttackKind)) kinds.push(kind as AttackKind);
    } else unknown.push((ATTACK_KINDS as readonly string[]).includes(kind) ? `${n} (not in the ${profile} profile)` : n);
  }
  if (unknown.length > 0) throw new Error(`unknown attack kind(s): ${unknown.join(', ')} (known: ${known.join(', ')}, all, none)`);
  return kinds;
}
