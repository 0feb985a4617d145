import type { RingAlert } from '../domain/alert.js';
import type { RingSummary } from '../domain/assessment.js';
import type { NeighbourhoodFindings } from '../graph/neighbourhood.js';
import type { RingEvent } from '../graph/ring-events.js';
import type { Ring } from '../graph/rings.js';
import type { OutputRecord } from './ports.js';

export function ringSummary(ring: Ring): RingSummary {
  return {
    id: ring.id,
    pattern: ring.pattern,
    size: ring.size,
    identities: ring.identities,
    score: ring.score,
    knownFraud: ring.knownFraud,
    density: Math.round(ring.density * 1000) / 1000,
    growth: ring.growth,
    binders: [...ring.binders]
      .sort((a, b) => b.members - a.members)
      .slice(0, 8)
      .map((b) => ({ kind: b.kind, class: b.class, masked: b.masked ?? null, members: b.members })),
  };
}

/** Graph and ring features for the rules. Unknown (no ring, no fraud nearby) stays absent. */
export function graphFeatures(findings: NeighbourhoodFindings | null, ring: Ring | undefined): Record<string, number | boolean | string> {
  const out: Record<string, number | boolean | string> = {};
  if (findings) for (const [k, v] of Object.entries(findings.features)) if (v !== null) out[k] = v;
  if (ring) {
    out['ring.id'] = ring.id;
    out['ring.size'] = ring.size;
    out['ring.identities'] = ring.identities;
    out['ring.score'] = ring.score;
    out['ring.knownFraud'] = ring.knownFraud;
    out['ring.burst'] = ring.pattern === 'burst';
    out['ring.strongBinders'] = ring.strongBinders;
  }
  return out;
}

/** One alert per ring change (a `RingAlert`), keyed by ring id, in the same transaction as the triggering assessments. */
export function ringAlert(alertsTopic: string, event: RingEvent, nowMs: number): OutputRecord {
  const r = event.ring;
  const value: RingAlert = {
    alertType: 'ring',
    event: event.type,
    ringId: r.id,
    pattern: r.pattern,
    detectedAt: new Date(nowMs).toISOString(),
    triggeredBy: [event.triggeredBy],
    previousSize: event.previousSize ?? null,
    newMembers: event.newMembers,
    reason: ringReason(r),
    ring: {
      ...ringSummary(r),
      evidence: r.evidence,
      strongBinders: r.strongBinders,
      members: r.members,
      membersListed: r.membersListed,
      firstSeen: new Date(r.firstSeen).toISOString(),
      lastSeen: new Date(r.lastSeen).toISOString(),
    },
  };
  return { topic: alertsTopic, key: event.ring.id, value: JSON.stringify(value) };
}

const CLASS_LABEL: Record<string, string> = {
  bankAccount: 'bank accounts',
  device: 'devices',
  phone: 'phone numbers',
  email: 'e-mails',
  address: 'addresses',
  coContact: 'contacts in common',
  social: 'contacts',
  household: 'household ties',
};

/** One sentence for the analyst: how many, bound by what. */
export function ringReason(r: Ring): string {
  const classes = [...new Set(r.binders.filter((b) => b.members >= 2).map((b) => CLASS_LABEL[b.class] ?? b.class))].slice(0, 3);
  const by = classes.length > 0 ? classes.join(', ') : 'shared identifiers';
  if (r.pattern === 'burst')
    return `${r.size} applications by ${r.identities} identities linked through ${by} within minutes of each other: a burst of new linked applications (graph bomb or scripted campaign)`;
  return `${r.size} applications by ${r.identities} identities bound by shared ${by} (${r.strongBinders} strong binder${r.strongBinders === 1 ? '' : 's'}, score ${r.score})`;
}
