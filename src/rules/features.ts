/**
 * The catalogue of feature names rules may read. The loader rejects any other name (a typo in a rule
 * would otherwise silently never fire). Features are flat, dotted names; null or absent means unknown.
 * Shared with the pipeline so that what is computed and what rules read cannot drift apart.
 */

import { ENRICHMENT_FEATURE_KINDS } from '../enrich/index.js';
import { GRAPH_FEATURES } from '../graph/neighbourhood.js';

export type FeatureKind = 'count' | 'number' | 'bool' | 'string';

/** Sliding-window labels (state.windows by default); the last segment of every velocity feature name. */
export const VELOCITY_WINDOWS = ['10m', '1h', '24h', '7d'] as const;

/** The windows of the 多头 counters, fixed whatever state.windows says (MULTI_LENDER_WINDOWS in features/velocity.ts). */
export const MULTI_LENDER_WINDOWS = ['1h', '24h', '7d', '30d'] as const;

/** Velocity counters `<entity>.<what>`; each exists once per window, e.g. `device.identities.1h`. */
export const VELOCITY_COUNTERS = [
  'device.apps', // applications from the device
  'device.identities', // distinct national IDs on the device
  'device.phones', // distinct phone numbers on the device
  'identity.apps',
  'identity.devices',
  'phone.apps',
  'email.apps',
  'bank.apps',
  'bank.identities', // distinct national IDs using one bank account
  'ip.apps',
  'ip.identities',
  'subnet.apps', // IPv4 /24 or IPv6 /64
  'partner.apps',
  'contact.shared', // max over the applicant's contacts of how many applications listed that contact
  'identity.partners', // 多头: distinct partners (channels, lenders) one national ID applied through; MULTI_LENDER_WINDOWS
  'identity.phones', // distinct phone numbers of one national ID; MULTI_LENDER_WINDOWS
  'identity.banks', // distinct bank accounts of one national ID; MULTI_LENDER_WINDOWS
  'identity.phone.apps', // applications of this national ID with this phone; 30d only (identity.newPhone)
  'identity.bank.apps', // applications of this national ID with this bank account; 30d only (identity.newBank)
  'phone.identities', // distinct national IDs using one phone number
  'phone.names', // distinct applicant names using one phone number
  'bank.names', // distinct applicant names using one bank account
] as const;

/** Counters whose windows are not (only) the configured ones. */
const OWN_WINDOWS: Readonly<Record<string, (windows: readonly string[]) => readonly string[]>> = {
  'identity.devices': (windows) => [...new Set([...windows, ...MULTI_LENDER_WINDOWS])],
  'identity.partners': () => MULTI_LENDER_WINDOWS,
  'identity.phones': () => MULTI_LENDER_WINDOWS,
  'identity.banks': () => MULTI_LENDER_WINDOWS,
  'identity.phone.apps': () => ['30d'],
  'identity.bank.apps': () => ['30d'],
};

/** The windows of one counter, given the configured ones. */
export const counterWindows = (counter: string, windows: readonly string[]): readonly string[] => OWN_WINDOWS[counter]?.(windows) ?? windows;

const bools = (names: string[]): [string, FeatureKind][] => names.map((n) => [n, 'bool']);
const strings = (names: string[]): [string, FeatureKind][] => names.map((n) => [n, 'string']);
const numbers = (names: string[]): [string, FeatureKind][] => names.map((n) => [n, 'number']);

const velocity = (windows: readonly string[]): [string, FeatureKind][] =>
  VELOCITY_COUNTERS.flatMap((c) => counterWindows(c, windows).map((w): [string, FeatureKind] => [`${c}.${w}`, 'count']));

/** Every known feature and the kind of value it holds when known, for the configured window labels. */
export function featureCatalogue(windows: readonly string[] = VELOCITY_WINDOWS): Readonly<Record<string, FeatureKind>> {
  return Object.freeze(Object.fromEntries([...velocity(windows), ...OTHER_FEATURES]));
}

const OTHER_FEATURES: [string, FeatureKind][] = [
  // identity graph: the application's neighbourhood, and the ring it belongs to (absent when none)
  ...(Object.entries(GRAPH_FEATURES) as [string, FeatureKind][]),
  ...numbers(['ring.size', 'ring.identities', 'ring.score', 'ring.knownFraud', 'ring.strongBinders']),
  ...bools(['ring.burst']),
  ...strings(['ring.id']),
  // impossible travel between this application and the previous one of the same identity / device
  ...numbers(['travel.identity.speedKmh', 'travel.device.speedKmh', 'travel.identity.distanceKm', 'travel.device.distanceKm']),
  ...bools(['travel.identity.impossible', 'travel.device.impossible']),
  // IP, device and geo enrichment (src/enrich/index.ts keeps the one list), and the display values next to them
  ...(Object.entries(ENRICHMENT_FEATURE_KINDS) as [string, FeatureKind][]),
  ...strings(['ip.masked', 'device.platform', 'device.masked']),
  // display values and the application itself
  ...strings(['identity.masked', 'phone.masked', 'app.partnerId', 'app.product']),
  ...numbers(['app.amount', 'app.termMonths', 'app.contacts']),
  // what the application says about its profile (src/features/profile.ts)
  ...bools(['phone.virtualOperator', 'app.thinProfile']),
  // 多头: this identity not seen with this phone / bank account in 30 days (its first application counts too)
  ...bools(['identity.newPhone', 'identity.newBank']),
  // external bureau figure from the input (bureau.multiLenderCount), null when not sent
  ...numbers(['bureau.multiLenderCount']),
];

/** The catalogue with the default windows (10m, 1h, 24h, 7d; 多头 counters 1h, 24h, 7d, 30d). */
export const FEATURE_CATALOGUE: Readonly<Record<string, FeatureKind>> = featureCatalogue();

/** The names alone, for `loadRuleSet(text, { knownFeatures })`. */
export function knownFeatures(windows: readonly string[] = VELOCITY_WINDOWS): ReadonlySet<string> {
  return new Set(Object.keys(featureCatalogue(windows)));
}

/** The names with the default windows. */
export const KNOWN_FEATURES: ReadonlySet<string> = knownFeatures();
