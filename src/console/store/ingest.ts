import type { AlertRow, DeadAlertRow } from '../alert-row.js';
import type { Decoded } from '../decode-alert.js';
import { inTransaction, isDataError, type Db, type Queryable, type Tx } from '../db.js';
import { storable } from '../../reports/text.js';
import { insertAlerts } from './alerts.js';
import { chunks, Params } from './sql.js';

/**
 * The ingest's side of exactly once: a chunk's rows, its dead alerts and the partition's next offset in ONE
 * transaction. The offset row is locked first (SELECT … FOR UPDATE), and records below the stored offset are
 * skipped: a redelivery (a crash between the commit and the broker noticing, a rebalance, a zombie consumer) adds
 * nothing, and neither does the unique source key. A row PostgreSQL refuses as data (e.g. `\u0000` in jsonb) is
 * retried alone behind a savepoint and becomes a dead alert (ALERT_NOT_STORABLE): one bad record never blocks the
 * partition and is never dropped.
 */
export interface DecodedRecord {
  offset: bigint;
  decoded: Decoded;
}

export interface ChunkToStore {
  consumer: string;
  topic: string;
  partition: number;
  records: readonly DecodedRecord[];
  nextOffset: bigint;
}

export interface StoredChunk {
  alerts: number;
  /** dead alerts written, the refused ones included */
  dead: number;
  /** alerts PostgreSQL refused as data (written as dead alerts, ALERT_NOT_STORABLE) */
  refused: number;
  /** records at or past the stored offset already (not written again) */
  skipped: number;
  /** the stored next offset afterwards */
  nextOffset: bigint;
}

/** The stored next offset of each partition that has one. */
export async function storedOffsets(q: Queryable, consumer: string, topic: string, partitions: readonly number[]): Promise<Map<number, bigint>> {
  const res = await q.query<{ partition: number; next_offset: string }>(
    'SELECT partition, next_offset FROM consumer_offsets WHERE consumer = $1 AND topic = $2 AND partition = ANY($3::int[])',
    [consumer, topic, partitions],
  );
  return new Map(res.rows.map((r) => [r.partition, BigInt(r.next_offset)]));
}

/**
 * Dead alerts are the last resort, so they must always be storable: the key and the reason are text, which refuses
 * NUL, and both can carry one (a key is the producer's; JSON.parse quotes the input in its message). The value is
 * kept as bytes, exactly.
 */
export async function insertDeadAlerts(q: Queryable, rows: readonly DeadAlertRow[]): Promise<number> {
  let inserted = 0;
  for (const run of chunks(rows, 1000)) {
    const p = new Params();
    const tuples = run.map(
      (d) =>
        `(${[d.source.topic, d.source.partition, d.source.offset, d.recordKey === null ? null : storable(d.recordKey), d.value, d.code, storable(d.reason.slice(0, 2000))].map((v) => p.add(v)).join(', ')})`,
    );
    const res = await q.query(
      `INSERT INTO dead_alerts (source_topic, source_partition, source_offset, record_key, value, code, reason) VALUES ${tuples.join(', ')}
       ON CONFLICT ON CONSTRAINT dead_alerts_source_key DO NOTHING`,
      p.values,
    );
    inserted += res.rowCount ?? 0;
  }
  return inserted;
}

/** Locks the partition's offset row (creating it at 0) and returns the stored next offset. */
export async function lockOffset(tx: Tx, c: Pick<ChunkToStore, 'consumer' | 'topic' | 'partition'>): Promise<bigint> {
  await tx.query('INSERT INTO consumer_offsets (consumer, topic, partition, next_offset) VALUES ($1, $2, $3, 0) ON CONFLICT DO NOTHING', [
    c.consumer,
    c.topic,
    c.partition,
  ]);
  const res = await tx.query<{ next_offset: string }>(
    'SELECT next_offset FROM consumer_offsets WHERE consumer = $1 AND topic = $2 AND partition = $3 FOR UPDATE',
    [c.consumer, c.topic, c.partition],
  );
  return BigInt((res.rows[0] as { next_offset: string }).next_offset);
}

function split(records: readonly DecodedRecord[]): { rows: AlertRow[]; dead: DeadAlertRow[] } {
  const rows: AlertRow[] = [];
  const dead: DeadAlertRow[] = [];
  for (const r of records) {
    if ('row' in r.decoded) rows.push(r.decoded.row);
    else dead.push(r.decoded.dead);
  }
  return { rows, dead };
}

/** Inserts rows one by one behind savepoints; the ones PostgreSQL refuses as data come back as dead alerts. */
async function insertOneByOne(tx: Tx, rows: readonly AlertRow[]): Promise<{ inserted: number; refused: DeadAlertRow[] }> {
  let inserted = 0;
  const refused: DeadAlertRow[] = [];
  for (const row of rows) {
    await tx.query('SAVEPOINT one_alert');
    try {
      inserted += await insertAlerts(tx, [row]);
      await tx.query('RELEASE SAVEPOINT one_alert');
    } catch (err) {
      if (!isDataError(err)) throw err;
      await tx.query('ROLLBACK TO SAVEPOINT one_alert');
      const reason = `PostgreSQL refused the alert: ${(err as Error).message}`;
      refused.push({ source: row.source, recordKey: row.recordKey, value: Buffer.from(row.payload, 'utf8'), code: 'ALERT_NOT_STORABLE', reason });
    }
  }
  return { inserted, refused };
}

async function insertRows(tx: Tx, rows: readonly AlertRow[]): Promise<{ inserted: number; refused: DeadAlertRow[] }> {
  if (rows.length === 0) return { inserted: 0, refused: [] };
  await tx.query('SAVEPOINT chunk_alerts');
  try {
    const inserted = await insertAlerts(tx, rows);
    await tx.query('RELEASE SAVEPOINT chunk_alerts');
    return { inserted, refused: [] };
  } catch (err) {
    if (!isDataError(err)) throw err;
    await tx.query('ROLLBACK TO SAVEPOINT chunk_alerts');
    return insertOneByOne(tx, rows);
  }
}

/** Moves the partition's stored next offset (its row locked by lockOffset in the same transaction). */
export async function saveOffset(tx: Tx, c: Pick<ChunkToStore, 'consumer' | 'topic' | 'partition' | 'nextOffset'>): Promise<void> {
  await tx.query('UPDATE consumer_offsets SET next_offset = $4, updated_at = now() WHERE consumer = $1 AND topic = $2 AND partition = $3', [
    c.consumer,
    c.topic,
    c.partition,
    c.nextOffset.toString(),
  ]);
}

export async function storeChunk(db: Db, c: ChunkToStore): Promise<StoredChunk> {
  return inTransaction(db, async (tx) => {
    const stored = await lockOffset(tx, c);
    const pending = c.records.filter((r) => r.offset >= stored);
    const skipped = c.records.length - pending.length;
    if (pending.length === 0 || c.nextOffset <= stored) return { alerts: 0, dead: 0, refused: 0, skipped: c.records.length, nextOffset: stored };
    const { rows, dead } = split(pending);
    const { inserted, refused } = await insertRows(tx, rows);
    const deadInserted = await insertDeadAlerts(tx, [...dead, ...refused]);
    await saveOffset(tx, c);
    return { alerts: inserted, dead: deadInserted, refused: refused.length, skipped, nextOffset: c.nextOffset };
  });
}
