import { afterAll, describe, expect, it } from 'vitest';
import type { Assessment } from '../../src/domain/assessment.js';
import type { Processor } from '../../src/main.js';
import type { StateStore } from '../../src/pipeline/ports.js';
import { startInProcess, testSetup, waitFor } from '../helpers/processor.js';
import { collect, countByKey, produceRaw } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * The latency budget on the real broker and Redis: a deliberately slowed state stage pushes the
 * window's p99 over budget, the processor sheds optional work (marking assessments degraded, with
 * the reason), and it returns to full work by itself once the slowdown is gone and the window has
 * rolled over. Every application is still assessed, exactly once.
 */
describe('latency budget', () => {
  let processor: Processor | undefined;
  afterAll(() => processor?.close());

  it('sheds optional work while over budget and recovers by itself', { timeout: 120_000 }, async () => {
    const setup = await testSetup({
      partitions: 1,
      extraEnv: { LENDGUARD_LATENCY_BUDGET_MS: '250' },
    });
    const config = { ...setup.config, latency: { ...setup.config.latency, windowSeconds: 3, minSamples: 5 } };
    let slowMs = 0;
    const slow = (store: StateStore): StateStore => ({
      async apply(request) {
        if (slowMs > 0) await new Promise((r) => setTimeout(r, slowMs));
        return store.apply(request);
      },
    });
    processor = await startInProcess(config, { decorateStateStore: slow });
    const p = processor;

    const apps = Array.from({ length: 800 }, (_, i) => application(setup.id, i));
    let sent = 0;
    const send = async (n: number) => {
      await produceRaw(setup.topics.applications, apps.slice(sent, sent + n).map(asMessage));
      sent += n;
    };
    const phase = async (ms: number) => {
      const until = Date.now() + ms;
      while (Date.now() < until && sent < apps.length) {
        await send(5);
        await new Promise((r) => setTimeout(r, 100));
      }
    };

    await phase(3000); // normal
    const normalUpTo = sent;
    slowMs = 700; // a slow stage: every batch now takes 700 ms more than the 250 ms budget allows
    await phase(4000);
    const shedding = (): boolean => (p.health.snapshot().details.latency as { shedding?: boolean } | undefined)?.shedding === true;
    await waitFor(shedding, 10_000, () => 'never started shedding');
    slowMs = 0; // the slowdown is gone
    // Recovery is judged by progress, not by a clock: keep the traffic going until the processor says it stopped
    // shedding (a loaded machine may take longer for the window to fall below the budget), then send the rest.
    const until = Date.now() + 60_000;
    while (shedding() && Date.now() < until && sent < apps.length - 20) {
      await send(5);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(shedding()).toBe(false);
    const recoveredAt = sent;
    while (sent < apps.length) {
      await send(Math.min(5, apps.length - sent));
      await new Promise((r) => setTimeout(r, 50));
    }

    const records = await collect(setup.topics.assessments, { count: apps.length, readCommitted: true, timeoutMs: 60_000 });
    expect([...countByKey(records).values()].every((n) => n === 1)).toBe(true);
    const byOrder = new Map(apps.map((a, i) => [a.applicationId, i]));
    const assessments = records
      .map((r) => JSON.parse(String(r.value)) as Assessment)
      .sort((a, b) => (byOrder.get(a.applicationId) ?? 0) - (byOrder.get(b.applicationId) ?? 0));

    // Well before the slowdown (the last few sent before it may be processed during it): full work.
    expect(assessments.slice(0, normalUpTo - 20).some((a) => a.degraded)).toBe(false);
    // During it: degraded, with the reason, and the shed counters really skipped.
    const degraded = assessments.filter((a) => a.degraded);
    expect(degraded.length).toBeGreaterThan(0);
    for (const a of degraded) {
      expect(a.degradedReason).toMatch(/p99 \d+ ms over the 250 ms budget in the last 3 s: skipping counters \[contact\.shared\]/);
      expect(Object.keys(a.features).filter((k) => k.startsWith('contact.shared.'))).toEqual([]);
      expect(a.latency.windowP99Ms).toBeGreaterThan(250);
    }
    // After it: back to full work by itself (sent once it had stopped shedding: full work, the shed counters back).
    const after = assessments.slice(recoveredAt);
    const full = after.filter((a) => !a.degraded);
    expect(full.length).toBeGreaterThan(after.length / 2);
    expect(full.every((a) => Object.keys(a.features).some((k) => k.startsWith('contact.shared.')))).toBe(true);
    await waitFor(
      () => !shedding(),
      30_000,
      () => 'shedding again at the end',
    );
  });

  it('stops shedding when shedding does not lower latency, and says why', { timeout: 120_000 }, async () => {
    await processor?.close();
    const setup = await testSetup({ partitions: 1, extraEnv: { LENDGUARD_LATENCY_BUDGET_MS: '250' } });
    const latency = { ...setup.config.latency, windowSeconds: 3, minSamples: 5, trialSeconds: 2, holdSeconds: 600 };
    // A slow stage that shedding cannot shorten: every batch waits 400 ms more, shedding or not.
    const slow = (store: StateStore): StateStore => ({
      async apply(request) {
        await new Promise((r) => setTimeout(r, 400));
        return store.apply(request);
      },
    });
    processor = await startInProcess({ ...setup.config, latency }, { decorateStateStore: slow });
    const p = processor;
    const details = () => p.health.snapshot().details.latency as { shedding?: boolean; futile?: string; p99?: number } | undefined;
    const apps = Array.from({ length: 600 }, (_, i) => application(setup.id, i));
    let sent = 0;
    const sendUntil = async (done: () => boolean, ms: number) => {
      const until = Date.now() + ms;
      while (!done() && Date.now() < until && sent < apps.length) {
        await produceRaw(setup.topics.applications, apps.slice(sent, sent + 5).map(asMessage));
        sent += 5;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    await sendUntil(() => details()?.shedding === true, 30_000);
    expect(details()?.shedding).toBe(true);
    // A trial of shedding, a probe at full work: no better, so full work holds, over budget, with the reason.
    await sendUntil(() => details()?.futile !== undefined, 40_000);
    expect(details()).toMatchObject({ shedding: false });
    expect(details()?.futile).toMatch(/shedding did not lower p99 \(\d+ ms shedding, \d+ ms at full work\): full work for 600 s/);
    expect(details()?.p99).toBeGreaterThan(250);
    const heldFrom = sent;
    await sendUntil(() => false, 2_000);
    const total = sent;

    const records = await collect(setup.topics.assessments, { count: total, readCommitted: true, timeoutMs: 60_000 });
    expect([...countByKey(records).values()].every((n) => n === 1)).toBe(true);
    const assessments = records.map((r) => JSON.parse(String(r.value)) as Assessment);
    expect(assessments.some((a) => a.degraded)).toBe(true);
    const held = new Set(apps.slice(heldFrom + 10, total).map((a) => a.applicationId));
    const late = assessments.filter((a) => held.has(a.applicationId));
    expect(late.length).toBeGreaterThan(0);
    expect(late.every((a) => !a.degraded)).toBe(true); // full work while held, though over budget
    expect((await p.metrics.registry.getSingleMetricAsString('lendguard_shedding_futile')).match(/^lendguard_shedding_futile 1$/m)).not.toBeNull();
  });
});
