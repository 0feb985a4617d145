import type { IdentifierKind, LinkKind } from './kinds.js';

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
  /** a weak kind (IP, subnet, employer): counted, never followed */
  weak?: boolean;
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
  for (const s of shared.filter((x) => !x.weak).slice(0, 5)) {
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
