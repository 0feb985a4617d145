/**
 * What the rollup consumer makes of one record (pure): an assessment to count, a ring event to keep, nothing (an
 * application alert: its assessment is counted from the assessments topic), or a dead record saying why not.
 */
import { decodeJsonRecord, validateAlert, validateAssessment, type AlertRecord } from '../console/decode-alert.js';
import type { DeadAlertRow } from '../console/alert-row.js';
import type { RingAlert } from '../domain/alert.js';
import type { Assessment } from '../domain/assessment.js';
import { storable } from './text.js';

export interface RingEventRow {
  ringId: string;
  event: RingAlert['event'];
  pattern: string;
  /** the ring's last member's event time (as assessments are bucketed by event time); detectedAt when unreadable */
  at: string;
  detectedAt: string;
  size: number;
  previousSize: number | null;
  knownFraud: number;
  firstSeen: string;
  source: AlertRecord['source'];
}

export type RollupRecord =
  | { kind: 'assessment'; assessment: Assessment; timestampMs: number }
  | { kind: 'ring'; ring: RingEventRow }
  | { kind: 'skip' }
  | { kind: 'dead'; dead: DeadAlertRow };

const INT_MAX = 2_147_483_647;
const int = (n: number): number => Math.max(0, Math.min(INT_MAX, Math.trunc(n)));
const time = (t: string, fallback: string): string => (Number.isFinite(Date.parse(t)) ? t : fallback);
const noNul = storable;

export function ringEvent(a: RingAlert, source: AlertRecord['source']): RingEventRow {
  return {
    ringId: noNul(a.ringId),
    event: a.event,
    pattern: noNul(a.pattern),
    at: time(a.ring.lastSeen, a.detectedAt),
    detectedAt: a.detectedAt,
    size: int(a.ring.size),
    previousSize: a.previousSize === null ? null : int(a.previousSize),
    knownFraud: int(a.ring.knownFraud),
    firstSeen: time(a.ring.firstSeen, a.detectedAt),
    source,
  };
}

export function decodeAssessmentRecord(record: AlertRecord, timestampMs: number): RollupRecord {
  const d = decodeJsonRecord(record, validateAssessment, 'an assessment (contract assessment.v1)');
  return 'dead' in d ? { kind: 'dead', dead: d.dead } : { kind: 'assessment', assessment: d.value, timestampMs };
}

export function decodeAlertRecord(record: AlertRecord): RollupRecord {
  const d = decodeJsonRecord(record, validateAlert, 'an alert (contract alert.v1)');
  if ('dead' in d) return { kind: 'dead', dead: d.dead };
  return d.value.alertType === 'ring' ? { kind: 'ring', ring: ringEvent(d.value, record.source) } : { kind: 'skip' };
}
