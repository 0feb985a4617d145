import { describe, expect, it } from 'vitest';
import { httpGet, spawnProcessor, testSetup, waitFor, killedAfterAll } from '../helpers/processor.js';
import { keysByKcat } from '../helpers/independent-reader.js';
import { collect, liveCounter, missingAndDuplicated, produceRaw } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * The exactly-once proof: processors are killed with SIGKILL, three times in a row, in the middle of a
 * stream of thousands of applications (an open transaction left behind each time, no clean shutdown), a
 * new one takes over each time, and every application ends up with exactly one committed assessment.
 */
describe('exactly once across SIGKILL', () => {
  const children = killedAfterAll();

  it('leaves no application unassessed and none assessed twice, across three SIGKILLs under load', { timeout: 420_000 }, async () => {
    const setup = await testSetup({ partitions: 3, extraEnv: { LENDGUARD_MAX_BATCH_SIZE: '100' } });
    const total = 8000;
    const apps = Array.from({ length: total }, (_, i) => application(setup.id, i));
    await produceRaw(setup.topics.applications, apps.slice(0, 3000).map(asMessage));

    const counter = await liveCounter(setup.topics.assessments);
    let feeding = true;
    try {
      // Keep the stream flowing while processors work and die; each kill waits for progress, not for time.
      const rest = (async () => {
        for (let i = 3000; i < total && feeding; i += 100) {
          await produceRaw(setup.topics.applications, apps.slice(i, i + 100).map(asMessage));
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      for (const killAt of [1000, 2500, 4000]) {
        const victim = await spawnProcessor(setup.env);
        children.push(victim);
        await waitFor(
          () => counter.count() >= killAt,
          120_000,
          () => `committed only ${counter.count()} of ${killAt} before kill:\n${victim.output().slice(-2000)}`,
        );
        victim.child.kill('SIGKILL');
        expect((await victim.exited).signal).toBe('SIGKILL');
        expect(counter.count()).toBeLessThan(total); // really mid-stream
      }
      await rest;

      const last = await spawnProcessor(setup.env);
      children.push(last);
      await waitFor(
        () => counter.count() >= total,
        180_000,
        () => `only ${counter.count()}/${total} committed after the kills:\n${last.output().slice(-2000)}`,
      );
      last.child.kill('SIGTERM');
      expect((await last.exited).code).toBe(0);
    } finally {
      feeding = false;
      await counter.stop();
    }

    const all = await collect(setup.topics.assessments, { readCommitted: true, idleMs: 3000, timeoutMs: 60_000 });
    const { missing, duplicated } = missingAndDuplicated(
      apps.map((x) => x.applicationId),
      all,
    );
    expect({ missing: missing.slice(0, 5), duplicated: duplicated.slice(0, 5) }).toEqual({ missing: [], duplicated: [] });
    expect(all).toHaveLength(total);
    // Counted again by a client that is not ours (kcat, read_committed).
    const independent = missingAndDuplicated(
      apps.map((x) => x.applicationId),
      (await keysByKcat(setup.topics.assessments)).map((key) => ({ key })),
    );
    expect({ missing: independent.missing.length, duplicated: independent.duplicated.length }).toEqual({ missing: 0, duplicated: 0 });
  });

  it('stays exactly once while instances join and leave the group (rebalances)', { timeout: 300_000 }, async () => {
    const setup = await testSetup({ partitions: 4, extraEnv: { LENDGUARD_MAX_BATCH_SIZE: '50' } });
    // Traffic keeps coming until both rebalances have happened with work in flight: the waits follow the
    // processors' progress, not the clock (a fast A used to drain a fixed feed before B was up).
    const apps: ReturnType<typeof application>[] = [];
    let feeding = true;
    const counter = await liveCounter(setup.topics.assessments);
    try {
      const feed = (async () => {
        while (feeding && apps.length < 30_000) {
          const batch = Array.from({ length: 50 }, (_, k) => application(setup.id, apps.length + k));
          apps.push(...batch);
          await produceRaw(setup.topics.applications, batch.map(asMessage));
          await new Promise((r) => setTimeout(r, 100));
        }
      })();
      const a = await spawnProcessor(setup.env);
      children.push(a);
      await waitFor(
        () => counter.count() >= 800,
        90_000,
        () => `A committed only ${counter.count()}`,
      );
      const b = await spawnProcessor(setup.env); // rebalance: partitions move from A to B
      children.push(b);
      await waitFor(
        async () => (await assessedBy(b.port)) > 0,
        90_000,
        () => `B assessed nothing within 90 s of joining while traffic kept coming (A at ${counter.count()}):\n${b.output().slice(-2000)}`,
      );
      expect(await assessedBy(a.port)).toBeGreaterThan(0);
      a.child.kill('SIGTERM'); // rebalance again: A's partitions move to B
      expect((await a.exited).code).toBe(0);
      const afterA = await assessedBy(b.port);
      await waitFor(
        async () => (await assessedBy(b.port)) >= afterA + 200,
        90_000,
        () => 'B did not take over after A left',
      );
      feeding = false;
      await feed;
      await waitFor(
        () => counter.count() >= apps.length,
        120_000,
        () => `only ${counter.count()}/${apps.length}:\n${b.output().slice(-2000)}`,
      );
      b.child.kill('SIGTERM');
      expect((await b.exited).code).toBe(0);
    } finally {
      feeding = false;
      await counter.stop();
    }
    const all = await collect(setup.topics.assessments, { readCommitted: true, idleMs: 3000, timeoutMs: 60_000 });
    const { missing, duplicated } = missingAndDuplicated(
      apps.map((x) => x.applicationId),
      all,
    );
    expect({ missing: missing.slice(0, 5), duplicated: duplicated.slice(0, 5) }).toEqual({ missing: [], duplicated: [] });
    expect(all).toHaveLength(apps.length);
    const independent = missingAndDuplicated(
      apps.map((x) => x.applicationId),
      (await keysByKcat(setup.topics.assessments)).map((key) => ({ key })),
    );
    expect({ missing: independent.missing.length, duplicated: independent.duplicated.length }).toEqual({ missing: 0, duplicated: 0 });
  });
});

/** Sum of lendguard_assessed_total over levels, from a processor's /metrics. */
async function assessedBy(port: number): Promise<number> {
  const text = (await httpGet(port, '/metrics')).body;
  return [...text.matchAll(/^lendguard_assessed_total\{[^}]*\} (\d+)/gm)].reduce((sum, m) => sum + Number(m[1]), 0);
}
