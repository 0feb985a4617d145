import { afterAll, describe, expect, it } from 'vitest';
import { spawnProcessor, testSetup, waitFor, type ChildProcessor } from '../helpers/processor.js';
import { collect, countByKey, liveCounter, produceRaw } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * The exactly-once proof: a processor is killed with SIGKILL in the middle of a stream of thousands
 * of applications (an open transaction left behind, no clean shutdown), a new one takes over, and
 * every application ends up with exactly one committed assessment.
 */
describe('exactly once across SIGKILL', () => {
  const children: ChildProcessor[] = [];
  afterAll(() => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
  });

  it('leaves no application unassessed and none assessed twice', { timeout: 240_000 }, async () => {
    const setup = await testSetup({ partitions: 3, extraEnv: { LENDGUARD_MAX_BATCH_SIZE: '100' } });
    const total = 6000;
    const apps = Array.from({ length: total }, (_, i) => application(setup.id, i));
    await produceRaw(setup.topics.applications, apps.slice(0, 4000).map(asMessage));

    const counter = await liveCounter(setup.topics.assessments);
    try {
      const first = await spawnProcessor(setup.env);
      children.push(first);
      // Keep the stream flowing while the first processor works.
      const rest = (async () => {
        for (let i = 4000; i < total; i += 100) {
          await produceRaw(setup.topics.applications, apps.slice(i, i + 100).map(asMessage));
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      await waitFor(() => counter.count() >= 1500, 90_000, () => `first processor committed only ${counter.count()}:\n${first.output().slice(-2000)}`);
      first.child.kill('SIGKILL');
      const killed = await first.exited;
      const atKill = counter.count();
      expect(killed.signal).toBe('SIGKILL');
      expect(atKill).toBeLessThan(total); // really mid-stream
      await rest;

      const second = await spawnProcessor(setup.env);
      children.push(second);
      await waitFor(() => counter.count() >= total, 150_000, () => `only ${counter.count()}/${total} committed after restart:\n${second.output().slice(-2000)}`);
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(0);
    } finally {
      await counter.stop();
    }

    const all = await collect(setup.topics.assessments, { readCommitted: true, idleMs: 3000, timeoutMs: 60_000 });
    const counts = countByKey(all);
    const missing = apps.filter((a) => !counts.has(a.applicationId)).map((a) => a.applicationId);
    const duplicated = [...counts].filter(([, n]) => n > 1).map(([k]) => k);
    expect({ missing: missing.slice(0, 5), duplicated: duplicated.slice(0, 5) }).toEqual({ missing: [], duplicated: [] });
    expect(all).toHaveLength(total);
  });
});
