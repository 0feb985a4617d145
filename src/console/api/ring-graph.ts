import type { RingAlert } from '../../domain/alert.js';
import type { AlertSummary, Label, RingAlertRecord } from '../store/index.js';

/**
 * The ring view, built from stored alerts only (pure): the latest ring alert's detail, the ring's history (its ring
 * alerts, oldest first), and a graph to draw: one node per member application and one per identifier that at least
 * two members share (bound through the subject pseudonyms of their application alerts; the node shows the masked
 * form and the binder kind), an edge per (application, identifier). Members labelled fraud are marked known fraud.
 * At most `maxNodes` nodes: members first (in the ring's join order), then the identifiers shared by most; the
 * response says when it cut.
 */
export interface RingMember {
  applicationId: string;
  /** the member's latest application alert, null when it never alerted (below the alert level) */
  alertId: string | null;
  level: AlertSummary['level'];
  score: number | null;
  ruleCodes: string[];
  partnerId: string | null;
  detectedAt: string | null;
  label: 'fraud' | 'legit' | null;
  knownFraud: boolean;
}

export type RingNode =
  | ({ id: string; kind: 'application' } & Pick<RingMember, 'applicationId' | 'alertId' | 'level' | 'score' | 'label' | 'knownFraud'>)
  | { id: string; kind: 'identifier'; binder: string; masked: string; members: number };

export interface RingEdge {
  source: string;
  target: string;
  kind: string;
}

export interface RingView {
  ringId: string;
  ring: (RingAlert['ring'] & { event: RingAlert['event']; alertId: string; detectedAt: string }) | null;
  history: {
    alertId: string;
    event: RingAlert['event'];
    detectedAt: string;
    previousSize: number | null;
    size: number;
    newMembers: string[];
    triggeredBy: string[];
    reason: string;
  }[];
  members: RingMember[];
  nodes: RingNode[];
  edges: RingEdge[];
  limits: { maxNodes: number; totalNodes: number; truncated: boolean; members: number; membersWithoutAlert: number };
}

/** Member application ids named by the ring's alerts: ring alerts' member lists (newest first), then tagged application alerts. */
export function ringMemberIds(records: readonly RingAlertRecord[]): string[] {
  const ids = new Set<string>();
  const ringAlerts = records.filter((r) => r.ring);
  // The latest ring alert lists members in join order; older ones add those it no longer lists.
  for (const r of ringAlerts) for (const id of [...(r.ring?.ring.members ?? []), ...(r.ring?.newMembers ?? [])]) ids.add(id);
  for (const r of [...records].reverse()) if (r.alert.kind === 'application' && r.alert.applicationId) ids.add(r.alert.applicationId);
  return [...ids];
}

function member(applicationId: string, record: RingAlertRecord | undefined, label: Label | undefined): RingMember {
  const a = record?.alert;
  return {
    applicationId,
    alertId: a?.id ?? null,
    level: a?.level ?? null,
    score: a?.score ?? null,
    ruleCodes: a?.ruleCodes ?? [],
    partnerId: a?.partnerId ?? null,
    detectedAt: a?.detectedAt ?? null,
    label: label?.label ?? null,
    knownFraud: label?.label === 'fraud',
  };
}

/** Identifiers shared by two members or more: pseudonym → kind, masked form, member ids. */
function sharedIdentifiers(members: readonly string[], byApp: ReadonlyMap<string, RingAlertRecord>) {
  const ids = new Map<string, { kind: string; masked: string; members: string[] }>();
  for (const appId of members) {
    for (const [kind, p] of Object.entries(byApp.get(appId)?.subject ?? {})) {
      const entry = ids.get(p.id) ?? { kind, masked: p.masked, members: [] };
      entry.members.push(appId);
      ids.set(p.id, entry);
    }
  }
  return [...ids.entries()].filter(([, e]) => e.members.length >= 2).sort((a, b) => b[1].members.length - a[1].members.length || a[0].localeCompare(b[0]));
}

function history(records: readonly RingAlertRecord[]): RingView['history'] {
  return records
    .filter((r): r is RingAlertRecord & { ring: RingAlert } => r.ring !== null)
    .map(({ alert, ring }) => ({
      alertId: alert.id,
      event: ring.event,
      detectedAt: ring.detectedAt,
      previousSize: ring.previousSize,
      size: ring.ring.size,
      newMembers: ring.newMembers,
      triggeredBy: ring.triggeredBy,
      reason: ring.reason,
    }))
    .reverse();
}

export function buildRingView(
  ringId: string,
  input: { records: readonly RingAlertRecord[]; memberAlerts: readonly RingAlertRecord[]; labels: ReadonlyMap<string, Label>; maxNodes: number },
): RingView {
  const { records, labels, maxNodes } = input;
  const latestRing = records.find((r) => r.ring)?.ring;
  const latestRingAlert = records.find((r) => r.ring)?.alert;
  const byApp = new Map<string, RingAlertRecord>();
  for (const r of [...input.memberAlerts, ...records]) {
    const id = r.alert.kind === 'application' ? r.alert.applicationId : null;
    if (id && (!byApp.has(id) || (byApp.get(id) as RingAlertRecord).alert.detectedAt < r.alert.detectedAt)) byApp.set(id, r);
  }
  const allMembers = ringMemberIds(records);
  const allShared = sharedIdentifiers(allMembers, byApp);
  const totalNodes = allMembers.length + allShared.length;
  const kept = totalNodes > maxNodes ? allMembers.slice(0, Math.max(1, Math.floor(maxNodes * 0.75))) : allMembers;
  const shared = (kept === allMembers ? allShared : sharedIdentifiers(kept, byApp)).slice(0, maxNodes - kept.length);
  const members = kept.map((id) => member(id, byApp.get(id), labels.get(id)));
  const nodes: RingNode[] = [
    ...members.map((m): RingNode => ({
      id: `application:${m.applicationId}`,
      kind: 'application',
      applicationId: m.applicationId,
      alertId: m.alertId,
      level: m.level,
      score: m.score,
      label: m.label,
      knownFraud: m.knownFraud,
    })),
    ...shared.map(([pseudonym, e]): RingNode => ({
      id: `identifier:${pseudonym}`,
      kind: 'identifier',
      binder: e.kind,
      masked: e.masked,
      members: e.members.length,
    })),
  ];
  const edges = shared.flatMap(([pseudonym, e]) =>
    e.members.map((appId) => ({ source: `application:${appId}`, target: `identifier:${pseudonym}`, kind: e.kind })),
  );
  return {
    ringId,
    ring:
      latestRing && latestRingAlert ? { ...latestRing.ring, event: latestRing.event, alertId: latestRingAlert.id, detectedAt: latestRing.detectedAt } : null,
    history: history(records),
    members,
    nodes,
    edges,
    limits: {
      maxNodes,
      totalNodes,
      truncated: totalNodes > nodes.length,
      members: allMembers.length,
      membersWithoutAlert: members.filter((m) => !m.alertId).length,
    },
  };
}
