import type { Alert, AlertType, ApplicationAlert, RingAlert, RingAlertEvent } from '../domain/alert.js';
import type { Level } from '../domain/assessment.js';

/**
 * An alert as the console stores it (pure): the payload as produced, plus the columns the console filters on.
 * Application alerts: applicationId, level, score, partner, IP country/region/class (the assessment's
 * enrichment), rule codes (its flags), event time, detected = assessedAt, ring id when it is in a ring, and the
 * pseudonyms of its subject (for "similar alerts"). Ring alerts: ringId, event, the ring's score, detected =
 * detectedAt, event time = the ring's lastSeen.
 */
export interface RecordRef {
  topic: string;
  partition: number;
  /** decimal */
  offset: string;
}

export interface AlertRow {
  kind: AlertType;
  applicationId: string | null;
  ringId: string | null;
  ringEvent: RingAlertEvent | null;
  level: Level | null;
  score: number | null;
  partnerId: string | null;
  ipCountry: string | null;
  ipRegion: string | null;
  ipClass: string | null;
  ruleCodes: string[];
  /** pseudonym ids of the subject's identifiers (`kind_` + HMAC), every kind including ip */
  subjectIds: string[];
  eventTime: string;
  detectedAt: string;
  /** the record value as produced (JSON text) */
  payload: string;
  source: RecordRef;
  recordKey: string | null;
}

/**
 * Why a record of the alerts topic is a dead alert: the poison codes of the catalogue that apply to it, and
 * ALERT_NOT_STORABLE (it passed the contract but PostgreSQL refused it as data, e.g. a `\u0000` in a string).
 * Not catalogue codes of their own: nothing is raised, the record is kept in `dead_alerts` (docs/console.md).
 */
export const DEAD_ALERT_CODES = ['EMPTY_VALUE', 'INVALID_ENCODING', 'INVALID_JSON', 'SCHEMA_VIOLATION', 'ALERT_NOT_STORABLE'] as const;
export type DeadAlertCode = (typeof DEAD_ALERT_CODES)[number];

/** A record of the alerts topic that is not a storable alert, kept with its bytes and why. */
export interface DeadAlertRow {
  source: RecordRef;
  recordKey: string | null;
  value: Buffer | null;
  code: DeadAlertCode;
  reason: string;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.length > 0 ? v : null);

function applicationRow(a: ApplicationAlert): Omit<AlertRow, 'payload' | 'source' | 'recordKey'> {
  return {
    kind: 'application',
    applicationId: a.applicationId,
    ringId: a.ring?.id ?? null,
    ringEvent: null,
    level: a.level,
    score: a.score,
    partnerId: a.partnerId,
    ipCountry: text(a.enrichment['ip.country']),
    ipRegion: text(a.enrichment['ip.region']),
    ipClass: text(a.enrichment['ip.class']),
    ruleCodes: [...new Set(a.flags.map((f) => f.code))],
    subjectIds: Object.values(a.subject).map((p) => p.id),
    eventTime: a.eventTime,
    detectedAt: a.assessedAt,
  };
}

function ringRow(a: RingAlert): Omit<AlertRow, 'payload' | 'source' | 'recordKey'> {
  return {
    kind: 'ring',
    applicationId: null,
    ringId: a.ringId,
    ringEvent: a.event,
    level: null,
    score: a.ring.score,
    partnerId: null,
    ipCountry: null,
    ipRegion: null,
    ipClass: null,
    ruleCodes: [],
    subjectIds: [],
    eventTime: a.ring.lastSeen,
    detectedAt: a.detectedAt,
  };
}

export function alertRow(alert: Alert, payload: string, source: RecordRef, recordKey: string | null): AlertRow {
  const columns = alert.alertType === 'application' ? applicationRow(alert) : ringRow(alert);
  return { ...columns, payload, source, recordKey };
}
