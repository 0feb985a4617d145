import kafkajs from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import type { Assessment } from '../../src/domain/assessment.js';
import { consoleSetup, spawnConsole } from '../helpers/console.js';
import { dropTestSchemas, testPool } from '../helpers/postgres.js';
import { killedAfterAll, waitFor } from '../helpers/processor.js';
import { makeKafka, produceRaw, randomId } from '../helpers/services.js';
import { trendStream } from '../helpers/trend-stream.js';

/**
 * The rollups' exactly-once proof: `lendguard console` (which runs the rollup consumer) is SIGKILLed twice while a
 * transactional producer keeps writing assessments (one transaction in five aborted, so read_committed matters) and
 * now and then a poison record; a new console takes over each time. At the end every hour, partner and rule count
 * equals what the committed records say: nothing lost, nothing counted twice, nothing of an aborted transaction.
 */
const { Partitioners } = kafkajs;
const PER_TRANSACTION = 50;

async function rolledUp(pool: ReturnType<typeof testPool>): Promise<number> {
  const r = await pool.query<{ n: string | null }>("SELECT sum(applications) AS n FROM rollup_hourly WHERE dimension = 'all'");
  return Number(r.rows[0]?.n ?? 0);
}

function tally(list: readonly Assessment[], key: (a: Assessment) => string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const a of list) for (const k of key(a)) out[k] = (out[k] ?? 0) + 1;
  return out;
}

describe('report rollups exactly once across SIGKILL', () => {
  const children = killedAfterAll();
  afterAll(() => dropTestSchemas());

  it('counts exactly the committed assessments across two SIGKILLs mid-stream', { timeout: 420_000 }, async () => {
    const setup = await consoleSetup({ partitions: 3, extraEnv: { LENDGUARD_REPORTS_MAX_BATCH_SIZE: '40' } });
    const pool = testPool(setup.schema);
    const all = trendStream({ perHour: 24, burst: 200 }).assessments; // 8,264 assessments
    const committed: Assessment[] = [];
    let poison = 0;
    let feeding = true;
    const producer = makeKafka().producer({
      transactionalId: randomId('report-feed-'),
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: Partitioners.DefaultPartitioner,
    });
    await producer.connect();
    const feed = (async () => {
      for (let t = 0, i = 0; i < all.length && feeding; t++, i += PER_TRANSACTION) {
        const batch = all.slice(i, i + PER_TRANSACTION);
        const txn = await producer.transaction();
        await txn.send({ topic: setup.assessmentsTopic, acks: -1, messages: batch.map((a) => ({ key: a.applicationId, value: JSON.stringify(a) })) });
        if (t % 5 === 4) await txn.abort();
        else {
          await txn.commit();
          committed.push(...batch);
        }
        if (t % 40 === 10) {
          await produceRaw(setup.assessmentsTopic, [{ key: `poison-${t}`, value: `{"schemaVersion":1,"broken":${t}}` }]);
          poison += 1;
        }
        await new Promise((r) => setTimeout(r, 40));
      }
    })();
    try {
      for (const killAt of [1500, 3500]) {
        const victim = await spawnConsole(setup.env);
        children.push(victim);
        await waitFor(
          async () => (await rolledUp(pool)) >= killAt,
          120_000,
          () => `counted fewer than ${killAt} before the kill:\n${victim.output().slice(-2000)}`,
        );
        victim.child.kill('SIGKILL');
        expect((await victim.exited).signal).toBe('SIGKILL');
        expect(await rolledUp(pool)).toBeLessThan(all.length * 0.7); // really mid-stream
      }
      await feed;
      const last = await spawnConsole(setup.env);
      children.push(last);
      const dead = async () => Number((await pool.query<{ n: string }>('SELECT count(*) AS n FROM dead_alerts')).rows[0]?.n);
      await waitFor(
        async () => (await rolledUp(pool)) >= committed.length && (await dead()) >= poison,
        180_000,
        () => `only part counted after the kills:\n${last.output().slice(-2000)}`,
      );
      last.child.kill('SIGTERM');
      expect((await last.exited).code).toBe(0);

      expect(await rolledUp(pool)).toBe(committed.length);
      const stored = async (dimension: string, keyed: 'hour' | 'value') => {
        const r = await pool.query<{ k: string; n: string }>(
          `SELECT ${keyed === 'hour' ? "to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24')" : 'value'} AS k, sum(applications) AS n
           FROM rollup_hourly WHERE dimension = $1 GROUP BY 1`,
          [dimension],
        );
        return Object.fromEntries(r.rows.map((row) => [row.k, Number(row.n)]));
      };
      expect(await stored('all', 'hour')).toEqual(tally(committed, (a) => [a.eventTime.slice(0, 13)]));
      expect(await stored('partner', 'value')).toEqual(tally(committed, (a) => [a.partnerId ?? '(none)']));
      expect(await stored('rule', 'value')).toEqual(tally(committed, (a) => [...new Set(a.flags.map((f) => f.code))]));
      const alerts = await pool.query<{ n: string }>("SELECT sum(alerts) AS n FROM rollup_hourly WHERE dimension = 'all'");
      expect(Number(alerts.rows[0]?.n)).toBe(committed.filter((a) => a.alert).length);
      expect(await dead()).toBe(poison);
    } finally {
      feeding = false;
      await feed.catch(() => undefined);
      await producer.disconnect();
      await pool.end();
    }
  });
});
