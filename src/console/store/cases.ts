import { inTransaction, type Db, type Queryable, type Tx } from '../db.js';
import { writeAudit } from './audit.js';
import { iso } from './sql.js';

/** Investigation cases and the alerts in them; every change writes its audit row in the same transaction. */
export const CASE_STATUSES = ['open', 'investigating', 'closed'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export interface Case {
  id: string;
  title: string;
  assignee: string | null;
  status: CaseStatus;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  alertIds: string[];
}

export interface CaseChanges {
  title?: string;
  assignee?: string | null;
  status?: CaseStatus;
}

interface CaseRecord {
  id: string;
  title: string;
  assignee: string | null;
  status: CaseStatus;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
  alert_ids: string[];
}

const CASE_FROM = `SELECT c.id, c.title, c.assignee, c.status, c.created_by, c.created_at, c.updated_at, c.closed_at,
  ARRAY(SELECT ca.alert_id::text FROM case_alerts ca WHERE ca.case_id = c.id ORDER BY ca.added_at, ca.alert_id) AS alert_ids
  FROM cases c`;
const CASE_SELECT = `${CASE_FROM} WHERE c.id = $1`;

const toCase = (r: CaseRecord): Case => ({
  id: r.id,
  title: r.title,
  assignee: r.assignee,
  status: r.status,
  createdBy: r.created_by,
  createdAt: iso(r.created_at) as string,
  updatedAt: iso(r.updated_at) as string,
  closedAt: iso(r.closed_at),
  alertIds: r.alert_ids,
});

const validId = (id: string): boolean => /^\d{1,19}$/.test(id);

export async function getCase(q: Queryable, id: string): Promise<Case | null> {
  if (!validId(id)) return null;
  const r = (await q.query<CaseRecord>(CASE_SELECT, [id])).rows[0];
  return r ? toCase(r) : null;
}

/** Links existing alerts to the case (unknown ids and alerts already in it are reported, not an error). */
async function linkAlerts(tx: Tx, caseId: string, alertIds: readonly string[], actor: string): Promise<{ added: string[]; unknown: string[] }> {
  const ids = [...new Set(alertIds.filter(validId))];
  const res = await tx.query<{ alert_id: string }>(
    `INSERT INTO case_alerts (case_id, alert_id, added_by) SELECT $1, a.id, $3 FROM alerts a WHERE a.id = ANY($2::bigint[])
     ON CONFLICT DO NOTHING RETURNING alert_id::text`,
    [caseId, ids, actor],
  );
  const added = res.rows.map((r) => r.alert_id);
  const existing = new Set((await tx.query<{ id: string }>('SELECT id::text FROM alerts WHERE id = ANY($1::bigint[])', [ids])).rows.map((r) => r.id));
  return { added, unknown: alertIds.filter((id) => !validId(id) || !existing.has(id)) };
}

export async function createCase(db: Db, input: { title: string; assignee?: string | null; actor: string; alertIds?: readonly string[] }): Promise<Case> {
  return inTransaction(db, async (tx) => {
    const res = await tx.query<{ id: string }>('INSERT INTO cases (title, assignee, created_by) VALUES ($1, $2, $3) RETURNING id', [
      input.title,
      input.assignee ?? null,
      input.actor,
    ]);
    const id = (res.rows[0] as { id: string }).id;
    const linked = input.alertIds?.length ? await linkAlerts(tx, id, input.alertIds, input.actor) : { added: [], unknown: [] };
    await writeAudit(tx, {
      actor: input.actor,
      action: 'case.create',
      target: `case:${id}`,
      detail: { title: input.title, assignee: input.assignee ?? null, ...linked },
    });
    return toCase((await tx.query<CaseRecord>(CASE_SELECT, [id])).rows[0] as CaseRecord);
  });
}

/** Changes title, assignee and/or status; closing sets closedAt, reopening clears it. Null when there is no such case. */
export async function updateCase(db: Db, id: string, changes: CaseChanges, actor: string): Promise<Case | null> {
  if (!validId(id)) return null;
  return inTransaction(db, async (tx) => {
    const before = (await tx.query<CaseRecord>(`${CASE_SELECT} FOR UPDATE OF c`, [id])).rows[0];
    if (!before) return null;
    const diff: Record<string, { from: unknown; to: unknown }> = {};
    if (changes.title !== undefined && changes.title !== before.title) diff.title = { from: before.title, to: changes.title };
    if (changes.assignee !== undefined && changes.assignee !== before.assignee) diff.assignee = { from: before.assignee, to: changes.assignee };
    if (changes.status !== undefined && changes.status !== before.status) diff.status = { from: before.status, to: changes.status };
    if (Object.keys(diff).length === 0) return toCase(before);
    await tx.query(
      `UPDATE cases SET title = $2, assignee = $3, status = $4, updated_at = now(),
         closed_at = CASE WHEN $4 = 'closed' THEN coalesce(closed_at, now()) ELSE NULL END
       WHERE id = $1`,
      [id, changes.title ?? before.title, changes.assignee !== undefined ? changes.assignee : before.assignee, changes.status ?? before.status],
    );
    await writeAudit(tx, { actor, action: 'case.update', target: `case:${id}`, detail: { changes: diff } });
    return toCase((await tx.query<CaseRecord>(CASE_SELECT, [id])).rows[0] as CaseRecord);
  });
}

/** Adds alerts to a case. Null when there is no such case. */
export async function addAlertsToCase(
  db: Db,
  caseId: string,
  alertIds: readonly string[],
  actor: string,
): Promise<{ case: Case; added: string[]; unknown: string[] } | null> {
  if (!validId(caseId)) return null;
  return inTransaction(db, async (tx) => {
    const found = await tx.query('SELECT 1 FROM cases WHERE id = $1 FOR UPDATE', [caseId]);
    if (found.rowCount === 0) return null;
    const linked = await linkAlerts(tx, caseId, alertIds, actor);
    if (linked.added.length > 0) await tx.query('UPDATE cases SET updated_at = now() WHERE id = $1', [caseId]);
    await writeAudit(tx, { actor, action: 'case.add-alerts', target: `case:${caseId}`, detail: linked });
    return { case: toCase((await tx.query<CaseRecord>(CASE_SELECT, [caseId])).rows[0] as CaseRecord), ...linked };
  });
}

export interface CaseFilters {
  statuses?: readonly CaseStatus[];
  assignee?: string;
}

/** Cases, newest first, keyset-paginated on the id (stable: updates do not move a case between pages). */
export async function listCases(
  q: Queryable,
  f: CaseFilters = {},
  page: { limit?: number; beforeId?: string } = {},
): Promise<{ items: Case[]; next: string | null }> {
  const limit = Math.max(1, Math.min(200, Math.trunc(page.limit ?? 50)));
  const where: string[] = [];
  const values: unknown[] = [];
  const add = (v: unknown): string => `$${values.push(v)}`;
  if (f.statuses?.length) where.push(`c.status = ANY(${add(f.statuses)}::text[])`);
  if (f.assignee) where.push(`c.assignee = ${add(f.assignee)}`);
  if (page.beforeId && validId(page.beforeId)) where.push(`c.id < ${add(page.beforeId)}::bigint`);
  const text = `${CASE_FROM} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY c.id DESC LIMIT ${add(limit + 1)}`;
  const rows = (await q.query<CaseRecord>(text, values)).rows.map(toCase);
  const items = rows.slice(0, limit);
  return { items, next: rows.length > limit ? (items[items.length - 1]?.id ?? null) : null };
}

/** The cases an alert is in (id, title, status, assignee). */
export async function casesForAlert(q: Queryable, alertId: string): Promise<Pick<Case, 'id' | 'title' | 'status' | 'assignee'>[]> {
  if (!validId(alertId)) return [];
  const res = await q.query<{ id: string; title: string; status: CaseStatus; assignee: string | null }>(
    'SELECT c.id, c.title, c.status, c.assignee FROM case_alerts ca JOIN cases c ON c.id = ca.case_id WHERE ca.alert_id = $1 ORDER BY c.id DESC LIMIT 100',
    [alertId],
  );
  return res.rows;
}
