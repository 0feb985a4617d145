/**
 * The rollup consumer's side of exactly once (PostgreSQL): a chunk's counts, its ring events, its dead records and
 * the partition's next offset in ONE transaction. The offset row is locked first and records below the stored offset
 * are skipped, so a redelivery (a crash between the commit and the broker noticing, a rebalance, a zombie) adds
 * nothing. Counts are added to the stored rows (INSERT … ON CONFLICT DO UPDATE SET n = n + EXCLUDED.n), one
 * statement per chunk, rows in a fixed order so that concurrent chunks never deadlock. Should PostgreSQL still
 * refuse a chunk as data, its records are stored one by one behind savepoints and the refused ones kept as dead
 * records (ALERT_NOT_STORABLE): one bad record never blocks the partition and is never dropped.
 */
import { inTransaction, isDataError, type Db, type Tx } from '../console/db.js';
import type { DeadAlertRow } from '../console/alert-row.js';
import { insertDeadAlerts, lockOffset, saveOffset } from '../console/store/ingest.js';
import type { RingEventRow, RollupRecord } from './decode.js';
import { RollupAccumulator, type RollupCell } from './dimensions.js';

export interface RollupChunk {
  consumer: string;
  topic: string;
  partition: number;
  records: readonly RollupChunkRecord[];
  nextOffset: bigint;
}

/** A decoded record, with its key and bytes (kept as a dead record should PostgreSQL refuse it). */
export interface RollupChunkRecord {
  offset: bigint;
  key: string | null;
  value: Buffer | null;
  record: RollupRecord;
}

export interface StoredRollup {
  assessments: number;
  ringEvents: number;
  dead: number;
  /** records at or past the stored offset already (not counted again) */
  skipped: number;
}

const COUNTS = ['applications', 'alerts', 'low', 'medium', 'high', 'critical', 'degraded'] as const;

/** Data errors, and 21000 (an upsert meeting one key twice: values equal in PostgreSQL but not in JS). */
const refusedAsData = (err: unknown): boolean => isDataError(err) || (err as { code?: unknown } | null)?.code === '21000';

export async function upsertCells(tx: Tx, cells: readonly RollupCell[]): Promise<void> {
  if (cells.length === 0) return;
  const cols = ['dimension', 'hour', 'value', 'label', ...COUNTS];
  const arrays: unknown[][] = [
    cells.map((c) => c.dimension),
    cells.map((c) => new Date(c.hourMs).toISOString()),
    cells.map((c) => c.value),
    cells.map((c) => c.label),
    ...COUNTS.map((k) => cells.map((c) => c[k])),
  ];
  const types = ['text', 'timestamptz', 'text', 'text', ...COUNTS.map(() => 'bigint')];
  await tx.query(
    `INSERT INTO rollup_hourly (${cols.join(', ')})
     SELECT * FROM unnest(${types.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
     ON CONFLICT (dimension, hour, value) DO UPDATE SET
       label = COALESCE(EXCLUDED.label, rollup_hourly.label),
       ${COUNTS.map((k) => `${k} = rollup_hourly.${k} + EXCLUDED.${k}`).join(', ')}`,
    arrays,
  );
}

export async function insertRingEvents(tx: Tx, rows: readonly RingEventRow[]): Promise<number> {
  if (rows.length === 0) return 0;
  const res = await tx.query(
    `INSERT INTO ring_events (ring_id, event, pattern, at, detected_at, size, previous_size, known_fraud, first_seen, source_topic, source_partition, source_offset)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::int[], $7::int[], $8::int[], $9::timestamptz[],
                          $10::text[], $11::int[], $12::bigint[])
     ON CONFLICT ON CONSTRAINT ring_events_source_key DO NOTHING`,
    [
      rows.map((r) => r.ringId),
      rows.map((r) => r.event),
      rows.map((r) => r.pattern),
      rows.map((r) => r.at),
      rows.map((r) => r.detectedAt),
      rows.map((r) => r.size),
      rows.map((r) => r.previousSize),
      rows.map((r) => r.knownFraud),
      rows.map((r) => r.firstSeen),
      rows.map((r) => r.source.topic),
      rows.map((r) => r.source.partition),
      rows.map((r) => r.source.offset),
    ],
  );
  return res.rowCount ?? 0;
}

interface Parts {
  cells: RollupCell[];
  assessments: number;
  rings: RingEventRow[];
  dead: DeadAlertRow[];
}

function parts(records: readonly RollupRecord[]): Parts {
  const acc = new RollupAccumulator();
  const rings: RingEventRow[] = [];
  const dead: DeadAlertRow[] = [];
  let assessments = 0;
  for (const r of records) {
    if (r.kind === 'assessment') {
      acc.add(r.assessment, r.timestampMs);
      assessments += 1;
    } else if (r.kind === 'ring') rings.push(r.ring);
    else if (r.kind === 'dead') dead.push(r.dead);
  }
  return { cells: acc.result(), assessments, rings, dead };
}

async function storeParts(tx: Tx, p: Parts): Promise<void> {
  await upsertCells(tx, p.cells);
  await insertRingEvents(tx, p.rings);
}

/** The slow path: one record at a time behind a savepoint; what PostgreSQL refuses becomes a dead record. */
async function storeOneByOne(tx: Tx, records: readonly RollupChunkRecord[], c: RollupChunk): Promise<Parts> {
  const total: Parts = { cells: [], assessments: 0, rings: [], dead: [] };
  for (const { offset, key, value, record } of records) {
    const p = parts([record]);
    total.dead.push(...p.dead);
    await tx.query('SAVEPOINT one_record');
    try {
      await storeParts(tx, p);
      await tx.query('RELEASE SAVEPOINT one_record');
      total.assessments += p.assessments;
      total.rings.push(...p.rings);
    } catch (err) {
      if (!refusedAsData(err)) throw err;
      await tx.query('ROLLBACK TO SAVEPOINT one_record');
      const source = { topic: c.topic, partition: c.partition, offset: offset.toString() };
      const reason = `PostgreSQL refused the record's counts: ${(err as Error).message}`;
      total.dead.push({ source, recordKey: key, value, code: 'ALERT_NOT_STORABLE', reason });
    }
  }
  return total;
}

export async function storeRollupChunk(db: Db, c: RollupChunk): Promise<StoredRollup> {
  return inTransaction(db, async (tx) => {
    const stored = await lockOffset(tx, c);
    const pending = c.records.filter((r) => r.offset >= stored);
    const skipped = c.records.length - pending.length;
    if (pending.length === 0 || c.nextOffset <= stored) return { assessments: 0, ringEvents: 0, dead: 0, skipped: c.records.length };
    let p = parts(pending.map((r) => r.record));
    await tx.query('SAVEPOINT chunk_rollup');
    try {
      await storeParts(tx, p);
      await tx.query('RELEASE SAVEPOINT chunk_rollup');
    } catch (err) {
      if (!refusedAsData(err)) throw err;
      await tx.query('ROLLBACK TO SAVEPOINT chunk_rollup');
      p = await storeOneByOne(tx, pending, c);
    }
    const dead = await insertDeadAlerts(tx, p.dead);
    await saveOffset(tx, c);
    return { assessments: p.assessments, ringEvents: p.rings.length, dead, skipped };
  });
}
