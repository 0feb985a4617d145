import type { RingSummary } from '../domain/assessment.js';
import type { NeighbourhoodFindings } from '../graph/neighbourhood.js';
import type { RingEvent } from '../graph/ring-events.js';
import type { Ring } from '../graph/rings.js';
import type { OutputRecord } from './ports.js';

export function ringSummary(ring: Ring): RingSummary {
  return {
    id: ring.id,
    size: ring.size,
    identities: ring.identities,
    score: ring.score,
    knownFraud: ring.knownFraud,
    density: Math.round(ring.density * 1000) / 1000,
    growth: ring.growth,
    binders: [...ring.binders]
      .sort((a, b) => b.members - a.members)
      .slice(0, 8)
      .map((b) => ({ kind: b.kind, masked: b.masked ?? null, members: b.members })),
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
  }
  return out;
}

/** One alert per ring change, keyed by ring id, in the same transaction as the triggering assessments. */
export function ringAlert(alertsTopic: string, event: RingEvent, triggeredBy: readonly string[], nowMs: number): OutputRecord {
  const value = {
    alertType: 'ring',
    event: event.type,
    ringId: event.ring.id,
    detectedAt: new Date(nowMs).toISOString(),
    triggeredBy,
    previousSize: event.previousSize ?? null,
    newMembers: event.newMembers ?? [],
    ring: { ...ringSummary(event.ring), members: event.ring.members, firstSeen: new Date(event.ring.firstSeen).toISOString(), lastSeen: new Date(event.ring.lastSeen).toISOString() },
  };
  return { topic: alertsTopic, key: event.ring.id, value: JSON.stringify(value) };
}
