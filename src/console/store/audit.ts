import type { Queryable } from '../db.js';
import { iso } from './sql.js';

/** The audit trail: who did what to which target. Written inside the transaction of the change it records. */
export interface AuditEntry {
  actor: string;
  /** e.g. label.add, case.create, case.update, case.add-alerts */
  action: string;
  /** e.g. application:<id>, case:<id> */
  target: string;
  detail: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  id: string;
  at: string;
}

export async function writeAudit(q: Queryable, e: AuditEntry): Promise<void> {
  await q.query('INSERT INTO audit_log (actor, action, target, detail) VALUES ($1, $2, $3, $4::jsonb)', [
    e.actor,
    e.action,
    e.target,
    JSON.stringify(e.detail),
  ]);
}

/** Several audit rows in one statement. */
export async function writeAudits(q: Queryable, entries: readonly AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await q.query('INSERT INTO audit_log (actor, action, target, detail) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])', [
    entries.map((e) => e.actor),
    entries.map((e) => e.action),
    entries.map((e) => e.target),
    entries.map((e) => JSON.stringify(e.detail)),
  ]);
}

/** A target's trail, newest first. */
export async function auditTrail(q: Queryable, target: string, limit = 100): Promise<AuditRecord[]> {
  const res = await q.query<{ id: string; actor: string; action: string; target: string; detail: Record<string, unknown>; at: Date }>(
    'SELECT id, actor, action, target, detail, at FROM audit_log WHERE target = $1 ORDER BY at DESC, id DESC LIMIT $2',
    [target, limit],
  );
  return res.rows.map((r) => ({ id: r.id, actor: r.actor, action: r.action, target: r.target, detail: r.detail, at: iso(r.at) as string }));
}
