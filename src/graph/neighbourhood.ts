import type { LinkGraph } from './identity-graph.js';
import { appNode, applicationIdOf, DEFAULT_HUB_LIMITS, DEFAULT_WEAK_KINDS, isAppNode, isHub, nodeKindOf, toGraphTime, type HubLimits, type IdentifierKind, type LinkKind } from './kinds.js';
import { describeNeighbourhood, sharedIdentifiers, type NeighbourhoodEvidence } from './neighbourhood-evidence.js';
import { pairDensity } from './projection.js';

/**
 * Per-application neighbourhood analysis: a depth-limited BFS from the application through shared, non-hub
 * identifiers (app → identifier → app → identifier → app for 2 app-hops), bounded by maxNodes. Pure: reads the
 * graph, returns flat `graph.*` features and evidence; it never writes.
 */

export interface NeighbourhoodOptions {
  nowMs: number;
  /** application hops (default 2: app → id → app → id → app) */
  maxHops?: number;
  /** visited nodes (applications + identifiers) before the walk stops; default 500 */
  maxNodes?: number;
  /** window for `graph.growth1h`; default 1 h */
  growthWindowMs?: number;
  hubLimits?: HubLimits;
  /** kinds counted as shared but not walked through (default: ip, subnet, employer) */
  weakKinds?: readonly IdentifierKind[];
}

/** Feature names and kinds, for the rules' feature catalogue. */
export const GRAPH_FEATURES = {
  'graph.linkedApps': 'count',
  'graph.linkedIdentities': 'count',
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

interface Walk {
  /** node → depth in bipartite hops (apps at even depths) */
  depth: Map<string, number>;
  hubs: Map<string, number>;
  truncated: boolean;
}

/** Depth-limited BFS that enters neither hubs nor weak identifiers, and stops at maxNodes. */
function walk(graph: LinkGraph, start: string, maxDepth: number, maxNodes: number, limits: HubLimits, weak: ReadonlySet<string>): Walk {
  const depth = new Map<string, number>([[start, 0]]);
  const hubs = new Map<string, number>();
  const queue = [start];
  let truncated = false;
  for (let head = 0; head < queue.length && !truncated; head++) {
    const node = queue[head] as string;
    const d = depth.get(node) as number;
    if (d >= maxDepth) continue;
    for (const next of graph.neighbors(node)) {
      if (depth.has(next) || hubs.has(next)) continue;
      const degree = graph.degree(next);
      if (!isAppNode(next)) {
        const kind = nodeKindOf(next) as IdentifierKind;
        if (isHub(kind, degree, limits)) {
          hubs.set(next, degree);
          continue;
        }
        if (degree < 2 || weak.has(kind)) continue;
      }
      if (depth.size >= maxNodes) {
        truncated = true;
        break;
      }
      depth.set(next, d + 1);
      queue.push(next);
    }
  }
  return { depth, hubs, truncated };
}

export function analyseApplication(graph: LinkGraph, applicationId: string, opts: NeighbourhoodOptions): NeighbourhoodFindings {
  const features = emptyGraphFeatures();
  const start = appNode(applicationId);
  if (!graph.hasNode(start)) return { applicationId, features, evidence: { shared: [], hubs: [], knownFraud: [], reasons: [] } };
  const limits = opts.hubLimits ?? DEFAULT_HUB_LIMITS;
  const weak = new Set<string>(opts.weakKinds ?? DEFAULT_WEAK_KINDS);
  const { depth, hubs, truncated } = walk(graph, start, 2 * (opts.maxHops ?? 2), opts.maxNodes ?? 500, limits, weak);
  const ownNid = graph.getNodeAttribute(start, 'nid');
  const since = toGraphTime(opts.nowMs - (opts.growthWindowMs ?? 3_600_000));
  const apps: string[] = [start];
  const identities = new Set<string>();
  const fraud: { applicationId: string; distance: number }[] = [];
  let growth = 0;
  for (const [node, d] of depth) {
    if (!isAppNode(node) || node === start) continue;
    apps.push(node);
    const a = graph.getNodeAttributes(node);
    const nid = a.nid ?? node;
    if (nid !== ownNid) identities.add(nid);
    if (a.fr !== undefined) fraud.push({ applicationId: applicationIdOf(node), distance: d / 2 });
    if (a.f >= since) growth++;
  }
  fraud.sort((x, y) => x.distance - y.distance || x.applicationId.localeCompare(y.applicationId));
  const shared = sharedIdentifiers(graph, start, limits);
  for (const s of shared) for (const kind of s.kinds) features[SHARED_FEATURE[kind]]++;
  features['graph.linkedApps'] = apps.length - 1;
  features['graph.linkedIdentities'] = identities.size;
  features['graph.density'] = round3(pairDensity(graph, apps, [...depth.keys()].filter((n) => !isAppNode(n))));
  features['graph.knownFraudNearby'] = fraud.length;
  features['graph.knownFraudDistance'] = fraud[0]?.distance ?? null;
  features['graph.growth1h'] = growth;
  features['graph.hubsSkipped'] = hubs.size;
  features['graph.truncated'] = truncated;
  const hubList = [...hubs].map(([node, degree]) => ({ kind: nodeKindOf(node) as IdentifierKind, node, masked: graph.getNodeAttribute(node, 'm'), degree }));
  hubList.sort((a, b) => b.degree - a.degree);
  return { applicationId, features, evidence: describeNeighbourhood(features, shared, hubList, fraud) };
}

const round3 = (x: number): number => Math.round(x * 1000) / 1000;
