import type { Binding } from './binding.js';
import type { Group } from './groups.js';
import { IDENTIFIER_KINDS, kindsOfMask, type IdentifierKind, type LinkKind } from './kinds.js';
import { describeNeighbourhood, type HubSkipped, type NeighbourhoodEvidence, type SharedIdentifier } from './neighbourhood-evidence.js';
import type { IdentityStore } from './store.js';

/**
 * Per-application graph features, read off the application's one-hop binding and the group it is in. Pure and
 * bounded: no walk beyond the application's own identifiers' member lists (the binding), and O(1) group
 * aggregates for anything further away.
 */

/** Feature names and kinds, for the rules' feature catalogue. */
export const GRAPH_FEATURES = {
  'graph.linkedApps': 'count',
  'graph.linkedIdentities': 'count',
  'graph.strongLinks': 'count',
  'graph.sharedDevices': 'count',
  'graph.sharedIps': 'count',
  'graph.sharedSubnets': 'count',
  'graph.sharedPhones': 'count',
  'graph.sharedEmails': 'count',
  'graph.sharedNationalIds': 'count',
  'graph.sharedBankAccounts': 'count',
  'graph.sharedAddresses': 'count',
  'graph.sharedEmployers': 'count',
  'graph.sharedContacts': 'count',
  'graph.density': 'number',
  'graph.knownFraudNearby': 'count',
  'graph.knownFraudDistance': 'number',
  'graph.growth1h': 'count',
  'graph.hubsSkipped': 'count',
  'graph.truncated': 'bool',
} as const;

type FeatureName = keyof typeof GRAPH_FEATURES;
type ValueOf<K> = K extends 'graph.truncated' ? boolean : K extends 'graph.knownFraudDistance' ? number | null : number;
export type GraphFeatures = { [K in FeatureName]: ValueOf<K> };

const SHARED_FEATURE: Record<LinkKind, FeatureName> = {
  device: 'graph.sharedDevices',
  ip: 'graph.sharedIps',
  subnet: 'graph.sharedSubnets',
  phone: 'graph.sharedPhones',
  email: 'graph.sharedEmails',
  nationalId: 'graph.sharedNationalIds',
  bankAccount: 'graph.sharedBankAccounts',
  address: 'graph.sharedAddresses',
  employer: 'graph.sharedEmployers',
  contact: 'graph.sharedContacts',
};

export interface NeighbourhoodFindings {
  applicationId: string;
  features: GraphFeatures;
  evidence: NeighbourhoodEvidence;
}

export function emptyGraphFeatures(): GraphFeatures {
  const f = Object.fromEntries(Object.keys(GRAPH_FEATURES).map((k) => [k, 0])) as Record<string, unknown>;
  f['graph.knownFraudDistance'] = null;
  f['graph.truncated'] = false;
  return f as GraphFeatures;
}

export interface FeatureContext {
  /** the ring-grade group the application is in, if any */
  group?: Group | undefined;
  /** its growth over the window */
  groupGrowth?: number;
  /** start of the growth window, graph seconds */
  sinceS: number;
  /** write the evidence out as reasons (skipped when shedding load; default true) */
  reasons?: boolean;
}

export function neighbourhoodOf(store: IdentityStore, app: number, binding: Binding, ctx: FeatureContext): NeighbourhoodFindings {
  const features = emptyGraphFeatures();
  const identities = new Set<number>();
  const fraud: { applicationId: string; distance: number }[] = [];
  let linked = 0;
  let strong = 0;
  let fresh = 0;
  let strongFraud = 0;
  for (const n of binding.neighbours) {
    if (n.classes === 0 && !n.sameIdentity) continue;
    linked++;
    if (store.firstSeen(n.app) >= ctx.sinceS) fresh++;
    if (!n.strong) {
      // A contact in common or a family tie: not a shared possession, but a fraud label there is worth knowing.
      if (store.isFraud(n.app) && !n.sameIdentity) fraud.push({ applicationId: store.applicationIdOf(n.app), distance: 1 });
      continue;
    }
    strong++;
    identities.add(store.identityOf(n.app));
    if (store.isFraud(n.app)) {
      strongFraud++;
      fraud.push({ applicationId: store.applicationIdOf(n.app), distance: 1 });
    }
  }
  const g = ctx.group;
  const groupFraud = g ? g.fraud - (store.isFraud(app) ? 1 : 0) - strongFraud : 0;
  const shared: SharedIdentifier[] = [];
  const hubs: HubSkipped[] = [];
  for (const o of binding.own) {
    const kinds = kindsOfMask(o.kindBits);
    if (o.hub) {
      hubs.push({ kind: o.kind, node: store.keyOf(o.shared), masked: store.maskedOf(o.shared), degree: o.apps + 1 });
      continue;
    }
    for (const k of kinds) features[SHARED_FEATURE[k]]++;
    shared.push({
      kinds,
      node: store.keyOf(o.shared),
      masked: store.maskedOf(o.shared),
      apps: o.apps,
      identities: o.identities,
      knownFraud: o.knownFraud,
      weak: o.weak,
    });
  }
  shared.sort((a, b) => Number(a.weak) - Number(b.weak) || b.identities - a.identities || b.apps - a.apps || a.node.localeCompare(b.node));
  hubs.sort((a, b) => b.degree - a.degree);
  features['graph.linkedApps'] = linked;
  features['graph.strongLinks'] = strong;
  features['graph.linkedIdentities'] = Math.max(identities.size, g ? g.nids.size - 1 : 0);
  features['graph.density'] = g && g.members.size > 1 ? Math.round(Math.min(1, g.pairs / ((g.members.size * (g.members.size - 1)) / 2)) * 1000) / 1000 : 0;
  features['graph.knownFraudNearby'] = fraud.length + Math.max(0, groupFraud);
  features['graph.knownFraudDistance'] = fraud.length > 0 ? 1 : groupFraud > 0 ? 2 : null;
  features['graph.growth1h'] = g ? Math.max(0, (ctx.groupGrowth ?? 0) - 1) : fresh;
  features['graph.hubsSkipped'] = hubs.length;
  features['graph.truncated'] = binding.truncated;
  fraud.sort((a, b) => a.applicationId.localeCompare(b.applicationId));
  const evidence =
    ctx.reasons === false
      ? { shared: shared.slice(0, 20), hubs: hubs.slice(0, 20), knownFraud: fraud.slice(0, 20), reasons: [] }
      : describeNeighbourhood(features, shared, hubs, fraud);
  return { applicationId: store.applicationIdOf(app), features, evidence };
}

export const kindName = (index: number): IdentifierKind => IDENTIFIER_KINDS[index] as IdentifierKind;
