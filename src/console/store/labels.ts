import { inTransaction, type Db, type Queryable } from '../db.js';
import { writeAudit, writeAudits } from './audit.js';
import { iso } from './sql.js';

/** Analyst labels by application: adding one writes its audit row in the same transaction; the latest one counts. */
export const LABELS = ['fraud', 'legit'] as const;
export type LabelValue = (typeof LABELS)[number];

export interface Label {
  id: string;
  applicationId: string;
  label: LabelValue;
  note: string | null;
  author: string;
  createdAt: string;
}

interface LabelRecord {
  id: string;
  application_id: string;
  label: LabelValue;
  note: string | null;
  author: string;
  created_at: Date;
}

const label = (r: LabelRecord): Label => ({
  id: r.id,
  applicationId: r.application_id,
  label: r.label,
  note: r.note,
  author: r.author,
  createdAt: iso(r.created_at) as string,
});

export async function addLabel(db: Db, input: { applicationId: string; label: LabelValue; note?: string | null; author: string }): Promise<Label> {
  return inTransaction(db, async (tx) => {
    const res = await tx.query<LabelRecord>(
      'INSERT INTO labels (application_id, label, note, author) VALUES ($1, $2, $3, $4) RETURNING id, application_id, label, note, author, created_at',
      [input.applicationId, input.label, input.note ?? null, input.author],
    );
    const added = label(res.rows[0] as LabelRecord);
    await writeAudit(tx, {
      actor: input.author,
      action: 'label.add',
      target: `application:${input.applicationId}`,
      detail: { labelId: added.id, label: added.label, note: added.note },
    });
    return added;
  });
}

/** The latest label of each application that has one. */
export async function latestLabels(q: Queryable, applicationIds: readonly string[]): Promise<Map<string, Label>> {
  if (applicationIds.length === 0) return new Map();
  const res = await q.query<LabelRecord>(
    `SELECT DISTINCT ON (application_id) id, application_id, label, note, author, created_at
     FROM labels WHERE application_id = ANY($1::text[]) ORDER BY application_id, created_at DESC, id DESC`,
    [applicationIds],
  );
  return new Map(res.rows.map((r) => [r.application_id, label(r)]));
}

/** Every label of an application, newest first (who and when). */
export async function labelsFor(q: Queryable, applicationId: string, limit = 100): Promise<Label[]> {
  const res = await q.query<LabelRecord>(
    'SELECT id, application_id, label, note, author, created_at FROM labels WHERE application_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2',
    [applicationId, limit],
  );
  return res.rows.map(label);
}

export interface LabelBatch {
  applicationIds: readonly string[];
  label: LabelValue;
  note?: string | null;
  author: string;
  /** one more audit row for the whole action (e.g. a ring's labelling), besides one per application */
  action?: { action: string; target: string; detail: Record<string, unknown> };
  /**
   * Runs after the rows are written and before COMMIT, with the labels as stored: publishing them here means a
   * label is only ever committed once the publisher took it (if it throws, the transaction is rolled back).
   */
  beforeCommit?: (labels: readonly Label[]) => Promise<void>;
}

/** Labels several applications in ONE transaction: a row and an audit row each, the action's audit row, then `beforeCommit`. */
export async function addLabels(db: Db, batch: LabelBatch): Promise<Label[]> {
  const ids = [...new Set(batch.applicationIds)];
  return inTransaction(db, async (tx) => {
    const res = await tx.query<LabelRecord>(
      `INSERT INTO labels (application_id, label, note, author) SELECT unnest($1::text[]), $2, $3, $4
       RETURNING id, application_id, label, note, author, created_at`,
      [ids, batch.label, batch.note ?? null, batch.author],
    );
    const added = res.rows.map(label);
    const via = batch.action ? { via: batch.action.target } : {};
    await writeAudits(tx, [
      ...added.map((l) => ({
        actor: batch.author,
        action: 'label.add',
        target: `application:${l.applicationId}`,
        detail: { labelId: l.id, label: l.label, note: l.note, ...via },
      })),
      ...(batch.action ? [{ actor: batch.author, ...batch.action }] : []),
    ]);
    await batch.beforeCommit?.(added);
    return added;
  });
}
