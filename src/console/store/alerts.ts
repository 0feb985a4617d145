import type { Alert, AlertType, RingAlert, RingAlertEvent } from '../../domain/alert.js';
import type { Assessment, Level } from '../../domain/assessment.js';
import type { AlertRow, RecordRef } from '../alert-row.js';
import type { Queryable } from '../db.js';
import { encodeCursor, whereClause, type AlertFilters, type Cursor } from './filters.js';
import { chunks, iso, Params } from './sql.js';

/** Alert queries: batch insert (idempotent on the source record), the filtered feed, one alert, a ring's, similar ones. */
export interface LabelSummary {
  label: 'fraud' | 'legit';
  author: string;
  createdAt: string;
}

/** The alert as the feed lists it: the indexed columns of its row, and its latest label. */
export type AlertSummary = Pick<
  AlertRow,
  | 'kind'
  | 'applicationId'
  | 'ringId'
  | 'ringEvent'
  | 'level'
  | 'score'
  | 'partnerId'
  | 'ipCountry'
  | 'ipRegion'
  | 'ipClass'
  | 'ruleCodes'
  | 'eventTime'
  | 'detectedAt'
> & {
  id: string;
  /** the application's latest label, if any */
  label: LabelSummary | null;
};

export type AlertDetail = AlertSummary & {
  payload: Alert;
  source: RecordRef;
  ingestedAt: string;
};

export interface AlertPage {
  items: AlertSummary[];
  /** cursor of the next page, or null on the last one */
  next: string | null;
}

const INSERT_COLUMNS = [
  'kind',
  'application_id',
  'ring_id',
  'ring_event',
  'level',
  'score',
  'partner_id',
  'ip_country',
  'ip_region',
  'ip_class',
  'rule_codes',
  'subject_ids',
  'event_time',
  'detected_at',
  'payload',
  'source_topic',
  'source_partition',
  'source_offset',
  'record_key',
];
const CASTS: Record<string, string> = { rule_codes: 'text[]', subject_ids: 'text[]', event_time: 'timestamptz', detected_at: 'timestamptz', payload: 'jsonb' };
/** 19 parameters a row: 1000 rows stay well under PostgreSQL's 65,535 parameters per statement. */
const INSERT_ROWS_PER_STATEMENT = 1000;

const rowValues = (r: AlertRow): unknown[] => [
  r.kind,
  r.applicationId,
  r.ringId,
  r.ringEvent,
  r.level,
  r.score,
  r.partnerId,
  r.ipCountry,
  r.ipRegion,
  r.ipClass,
  r.ruleCodes,
  r.subjectIds,
  r.eventTime,
  r.detectedAt,
  r.payload,
  r.source.topic,
  r.source.partition,
  r.source.offset,
  r.recordKey,
];

/** Inserts alert rows; a row whose source record is already stored is skipped. Returns how many were new. */
export async function insertAlerts(q: Queryable, rows: readonly AlertRow[]): Promise<number> {
  let inserted = 0;
  for (const run of chunks(rows, INSERT_ROWS_PER_STATEMENT)) {
    const p = new Params();
    const tuples = run.map(
      (r) =>
        `(${rowValues(r)
          .map((v, i) => p.add(v, CASTS[INSERT_COLUMNS[i] as string]))
          .join(', ')})`,
    );
    const res = await q.query(
      `INSERT INTO alerts (${INSERT_COLUMNS.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT ON CONSTRAINT alerts_source_key DO NOTHING`,
      p.values,
    );
    inserted += res.rowCount ?? 0;
  }
  return inserted;
}

const SUMMARY = `a.id, a.kind, a.application_id, a.ring_id, a.ring_event, a.level, a.score, a.partner_id, a.ip_country, a.ip_region,
  a.ip_class, a.rule_codes, a.event_time, a.detected_at, l.label, l.author AS label_author, l.created_at AS labelled_at`;
const LATEST_LABEL = `LEFT JOIN LATERAL (
  SELECT label, author, created_at FROM labels WHERE application_id = a.application_id ORDER BY created_at DESC, id DESC LIMIT 1
) l ON true`;

interface SummaryRecord {
  id: string;
  kind: AlertType;
  application_id: string | null;
  ring_id: string | null;
  ring_event: RingAlertEvent | null;
  level: Level | null;
  score: number | null;
  partner_id: string | null;
  ip_country: string | null;
  ip_region: string | null;
  ip_class: string | null;
  rule_codes: string[];
  event_time: Date;
  detected_at: Date;
  label: 'fraud' | 'legit' | null;
  label_author: string | null;
  labelled_at: Date | null;
}

function summary(r: SummaryRecord): AlertSummary {
  return {
    id: r.id,
    kind: r.kind,
    applicationId: r.application_id,
    ringId: r.ring_id,
    ringEvent: r.ring_event,
    level: r.level,
    score: r.score,
    partnerId: r.partner_id,
    ipCountry: r.ip_country,
    ipRegion: r.ip_region,
    ipClass: r.ip_class,
    ruleCodes: r.rule_codes,
    eventTime: iso(r.event_time) as string,
    detectedAt: iso(r.detected_at) as string,
    label: r.label ? { label: r.label, author: r.label_author as string, createdAt: iso(r.labelled_at) as string } : null,
  };
}

export const MAX_PAGE = 500;

function listQuery(filters: AlertFilters, page: { limit?: number; after?: Cursor }): { text: string; values: unknown[]; limit: number } {
  const limit = Math.max(1, Math.min(MAX_PAGE, Math.trunc(page.limit ?? 50)));
  const p = new Params();
  const where = whereClause(filters, p, page.after);
  const text = `SELECT ${SUMMARY} FROM alerts a ${LATEST_LABEL} ${where} ORDER BY a.detected_at DESC, a.id DESC LIMIT ${p.add(limit + 1)}`;
  return { text, values: p.values, limit };
}

/** One page of the feed, newest first, keyset-paginated on (detected_at, id). */
export async function listAlerts(q: Queryable, filters: AlertFilters = {}, page: { limit?: number; after?: Cursor } = {}): Promise<AlertPage> {
  const { text, values, limit } = listQuery(filters, page);
  const rows = (await q.query<SummaryRecord>(text, values)).rows.map(summary);
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > limit && last ? encodeCursor({ detectedAt: last.detectedAt, id: last.id }) : null };
}

/** The plan PostgreSQL chooses for a page of the feed (EXPLAIN, text): for tests and for tuning the API. */
export async function explainListAlerts(q: Queryable, filters: AlertFilters = {}, page: { limit?: number; after?: Cursor } = {}): Promise<string> {
  const { text, values } = listQuery(filters, page);
  const rows = (await q.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`, values)).rows;
  return rows.map((r) => r['QUERY PLAN']).join('\n');
}

interface DetailRecord extends SummaryRecord {
  payload: Alert;
  source_topic: string;
  source_partition: number;
  source_offset: string;
  ingested_at: Date;
}

export async function getAlert(q: Queryable, id: string): Promise<AlertDetail | null> {
  if (!/^\d{1,19}$/.test(id)) return null;
  const res = await q.query<DetailRecord>(
    `SELECT ${SUMMARY}, a.payload, a.source_topic, a.source_partition, a.source_offset, a.ingested_at FROM alerts a ${LATEST_LABEL} WHERE a.id = $1`,
    [id],
  );
  const r = res.rows[0];
  if (!r) return null;
  return {
    ...summary(r),
    payload: r.payload,
    source: { topic: r.source_topic, partition: r.source_partition, offset: r.source_offset },
    ingestedAt: iso(r.ingested_at) as string,
  };
}

/** Every alert naming the ring, ring alerts and application alerts alike, newest first. */
export async function alertsForRing(q: Queryable, ringId: string, limit = MAX_PAGE): Promise<AlertSummary[]> {
  return (await listAlerts(q, { ringId }, { limit })).items;
}

/** Subject identifiers compared by similarAlerts unless told otherwise: not the IP (carrier NAT, offices share one). */
export const SIMILAR_KINDS = ['nationalId', 'phone', 'deviceId', 'bankAccount', 'email'] as const;
export type SubjectKind = keyof Assessment['subject'];

export interface SimilarAlert {
  alert: AlertSummary;
  /** the identifiers it shares with the application: which kind, the masked form and the pseudonym */
  shared: { kind: string; masked: string; id: string }[];
}

/**
 * Other applications' alerts sharing an identifier (by pseudonym, so `138****5678` alone never matches) with the
 * application's latest alert, newest first. Empty when the application has no alert.
 */
export async function similarAlerts(
  q: Queryable,
  applicationId: string,
  opts: { kinds?: readonly SubjectKind[]; limit?: number } = {},
): Promise<SimilarAlert[]> {
  const mine = await q.query<{ subject: Assessment['subject'] }>(
    `SELECT payload->'subject' AS subject FROM alerts WHERE application_id = $1 AND kind = 'application' ORDER BY detected_at DESC, id DESC LIMIT 1`,
    [applicationId],
  );
  const subject = mine.rows[0]?.subject;
  if (!subject) return [];
  const byId = new Map<string, { kind: string; masked: string }>();
  for (const kind of opts.kinds ?? SIMILAR_KINDS) {
    const p = subject[kind];
    if (p) byId.set(p.id, { kind, masked: p.masked });
  }
  if (byId.size === 0) return [];
  const limit = Math.max(1, Math.min(MAX_PAGE, Math.trunc(opts.limit ?? 50)));
  const res = await q.query<SummaryRecord & { shared_ids: string[] }>(
    `SELECT ${SUMMARY}, ARRAY(SELECT unnest(a.subject_ids) INTERSECT SELECT unnest($1::text[])) AS shared_ids
     FROM alerts a ${LATEST_LABEL}
     WHERE a.subject_ids && $1::text[] AND a.application_id <> $2
     ORDER BY a.detected_at DESC, a.id DESC LIMIT $3`,
    [[...byId.keys()], applicationId, limit],
  );
  return res.rows.map((r) => ({
    alert: summary(r),
    shared: r.shared_ids.flatMap((id) => {
      const s = byId.get(id);
      return s ? [{ ...s, id }] : [];
    }),
  }));
}

/** Alerts stored after the row `afterId`, in id (storing) order: the live stream and its resumption. */
export async function alertsAfter(q: Queryable, afterId: string, limit = MAX_PAGE): Promise<AlertSummary[]> {
  const res = await q.query<SummaryRecord>(`SELECT ${SUMMARY} FROM alerts a ${LATEST_LABEL} WHERE a.id > $1::bigint ORDER BY a.id LIMIT $2`, [
    afterId,
    Math.max(1, Math.min(MAX_PAGE, Math.trunc(limit))),
  ]);
  return res.rows.map(summary);
}

/** The newest stored alert id ('0' when there is none). */
export async function lastAlertId(q: Queryable): Promise<string> {
  const res = await q.query<{ id: string | null }>('SELECT max(id)::text AS id FROM alerts');
  return res.rows[0]?.id ?? '0';
}

export async function alertSummaries(q: Queryable, ids: readonly string[]): Promise<AlertSummary[]> {
  if (ids.length === 0) return [];
  const res = await q.query<SummaryRecord>(
    `SELECT ${SUMMARY} FROM alerts a ${LATEST_LABEL} WHERE a.id = ANY($1::bigint[]) ORDER BY a.detected_at DESC, a.id DESC`,
    [ids],
  );
  return res.rows.map(summary);
}

/** A ring's alert with what the ring view draws from it: a ring alert's payload, an application alert's subject. */
export interface RingAlertRecord {
  alert: AlertSummary;
  ring: RingAlert | null;
  subject: Assessment['subject'] | null;
}

/** Every alert naming the ring (at most `limit`, newest first) with ring payloads and subjects. */
export async function ringAlertRecords(q: Queryable, ringId: string, limit = 2000): Promise<RingAlertRecord[]> {
  const res = await q.query<SummaryRecord & { ring_payload: RingAlert | null; subject: Assessment['subject'] | null }>(
    `SELECT ${SUMMARY}, CASE WHEN a.kind = 'ring' THEN a.payload END AS ring_payload,
       CASE WHEN a.kind = 'application' THEN a.payload->'subject' END AS subject
     FROM alerts a ${LATEST_LABEL} WHERE a.ring_id = $1 ORDER BY a.detected_at DESC, a.id DESC LIMIT $2`,
    [ringId, limit],
  );
  return res.rows.map((r) => ({ alert: summary(r), ring: r.ring_payload, subject: r.subject }));
}

/** The latest application alert of each of these applications, with its subject (members not tagged with the ring). */
export async function latestApplicationAlerts(q: Queryable, applicationIds: readonly string[]): Promise<RingAlertRecord[]> {
  if (applicationIds.length === 0) return [];
  const res = await q.query<SummaryRecord & { subject: Assessment['subject'] | null }>(
    `SELECT * FROM (
       SELECT DISTINCT ON (a.application_id) ${SUMMARY}, a.payload->'subject' AS subject
       FROM alerts a ${LATEST_LABEL}
       WHERE a.application_id = ANY($1::text[]) AND a.kind = 'application'
       ORDER BY a.application_id, a.detected_at DESC, a.id DESC
     ) x ORDER BY x.detected_at DESC, x.id DESC`,
    [applicationIds],
  );
  return res.rows.map((r) => ({ alert: summary(r), ring: null, subject: r.subject }));
}
