import type { LinkGraph } from './identity-graph.js';
import { DEFAULT_HUB_LIMITS, isHub, kindsOfMask, nodeKindOf, type HubLimits, type IdentifierKind, type LinkKind } from './kinds.js';

/** Evidence behind the `graph.*` features, for reasons and the analyst view. */

export interface SharedIdentifier {
  /** how the application uses it (phone and contact may both apply) */
  kinds: LinkKind[];
  node: string;
  masked?: string;
  /** other applications using it */
  apps: number;
  /** other national IDs among them */
  identities: number;
  /** fraud-marked applications among them */
  knownFraud: number;
}

export interface HubSkipped {
  kind: IdentifierKind;
  node: string;
  masked?: string;
  degree: number;
}

export interface NeighbourhoodEvidence {
  shared: SharedIdentifier[];
  hubs: HubSkipped[];
  knownFraud: { applicationId: string; distance: number }[];
  reasons: string[];
}

/** The application's identifiers that other applications use too (hubs excluded: they are reported apart). */
export function sharedIdentifiers(graph: LinkGraph, start: string, limits: HubLimits = DEFAULT_HUB_LIMITS): SharedIdentifier[] {
  const ownNid = graph.getNodeAttribute(start, 'nid');
  const out: SharedIdentifier[] = [];
  graph.forEachEdge(start, (_edge, e, source, target) => {
    const node = source === start ? target : source;
    const degree = graph.degree(node);
    if (degree < 2 || isHub(nodeKindOf(node) as IdentifierKind, degree, limits)) return;
    const nids = new Set<string>();
    let knownFraud = 0;
    graph.forEachNeighbor(node, (app, a) => {
      if (app === start) return;
      const nid = a.nid ?? app;
      if (nid !== ownNid) nids.add(nid);
      if (a.fr !== undefined) knownFraud++;
    });
    out.push({ kinds: kindsOfMask(e.k), node, masked: graph.getNodeAttribute(node, 'm'), apps: degree - 1, identities: nids.size, knownFraud });
  });
  return out.sort((a, b) => b.identities - a.identities || b.apps - a.apps || a.node.localeCompare(b.node));
}

const LABEL: Record<LinkKind, string> = {
  device: 'device',
  ip: 'IP',
  subnet: 'network',
  phone: 'phone',
  email: 'email',
  nationalId: 'national ID',
  bankAccount: 'bank account',
  address: 'address',
  employer: 'employer',
  contact: 'contact',
};

const display = (node: string, masked: string | undefined): string => masked ?? `${node.slice(node.indexOf(':') + 1, node.indexOf(':') + 9)}…`;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

interface Summary {
  'graph.truncated': boolean;
}

export function describeNeighbourhood(
  features: Summary,
  shared: SharedIdentifier[],
  hubs: HubSkipped[],
  knownFraud: { applicationId: string; distance: number }[],
): NeighbourhoodEvidence {
  const reasons: string[] = [];
  for (const s of shared.slice(0, 5)) {
    const what = `${LABEL[s.kinds[0] ?? 'device']} ${display(s.node, s.masked)}`;
    const fraud = s.knownFraud > 0 ? `, ${s.knownFraud} of them confirmed fraud` : '';
    reasons.push(
      s.identities > 0
        ? `${what} shared with ${plural(s.identities, 'other identity', 'other identities')}${fraud}`
        : `${what} shared with ${plural(s.apps, 'other application')} of the same identity${fraud}`,
    );
  }
  const nearest = knownFraud[0];
  if (nearest) reasons.push(`${plural(knownFraud.length, 'confirmed-fraud application')} nearby, nearest ${plural(nearest.distance, 'hop')} away`);
  for (const h of hubs.slice(0, 3)) reasons.push(`${LABEL[h.kind]} ${display(h.node, h.masked)} not followed: a hub shared by ${h.degree} applications`);
  if (features['graph.truncated']) reasons.push('neighbourhood larger than the analysis bound: counts are lower bounds');
  return { shared: shared.slice(0, 20), hubs: hubs.slice(0, 20), knownFraud: knownFraud.slice(0, 20), reasons };
}
