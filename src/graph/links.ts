import type { Application, Pseudonym } from '../domain/application.js';
import { nodeKindOfLink, type LinkKind } from './kinds.js';

/**
 * One link: application → identifier node. Links are the unit of replication (compacted topic
 * `fraud.graph-links`, one record per application), so applying one twice, or out of order, must not change
 * the graph.
 */
export interface GraphLink {
  /** The application id. */
  app: string;
  /** `<nodeKind>:<pseudonym id>`; contacts use the phone node. */
  node: string;
  kind: LinkKind;
  /** The application's event time. */
  atMs: number;
  /** Masked display form for analysts (never the raw value). */
  masked?: string;
}

/** The identifier node of a pseudonym used as `kind` (the store flattens the few it keeps). */
export const identifierNode = (kind: LinkKind, pseudonymId: string): string => `${nodeKindOfLink(kind)}:${pseudonymId}`;

/** One link of application `app` to the identifier with pseudonym `p.id`; also rebuilds replicated links. */
export function makeLink(app: string, kind: LinkKind, p: { id: string; masked?: string | undefined }, atMs: number): GraphLink {
  const link: GraphLink = { app, node: identifierNode(kind, p.id), kind, atMs };
  if (p.masked !== undefined) link.masked = p.masked;
  return link;
}

/** The links one application contributes, without duplicates (a contact listed twice is one link). */
export function linksFor(app: Application): GraphLink[] {
  const a = app.applicant;
  const at = app.eventTimeMs;
  const pairs: [LinkKind, Pseudonym | undefined][] = [
    ['device', app.device.deviceId],
    ['ip', app.network.ipId],
    ['subnet', app.network.subnetId],
    ['phone', a.phone],
    ['email', a.email],
    ['nationalId', a.nationalId],
    ['bankAccount', a.bankAccount],
    ['address', a.address],
    ['employer', a.employer],
    ...a.contacts.map((c): [LinkKind, Pseudonym] => ['contact', c]),
  ];
  const seen = new Set<string>();
  const out: GraphLink[] = [];
  for (const [kind, p] of pairs) {
    if (!p) continue;
    const link = makeLink(app.applicationId, kind, p, at);
    const id = `${kind}|${link.node}`;
    if (seen.has(id)) continue;
    seen.add(id);
    out.push(link);
  }
  return out;
}
