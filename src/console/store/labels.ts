import { inTransaction, type Db, type Queryable } from '../db.js';
import { writeAudit } from './audit.js';
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
