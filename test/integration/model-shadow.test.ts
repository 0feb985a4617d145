import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Assessment } from '../../src/domain/assessment.js';
import type { Processor } from '../../src/main.js';
import type { ModelFileInput } from '../../src/model/file.js';
import { loadConfig } from '../../src/platform/config.js';
import { httpGet, startInProcess, testSetup, waitFor } from '../helpers/processor.js';
import { collect, createTopics, produceRaw } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * The model stage in a running processor on the real Kafka and Redis: assessments carry the model's version and
 * contributions; the model file is swapped on disk while the processor runs (picked up without a restart; an
 * invalid file is refused and the last good model keeps running); then a second processor runs shadow mode on the
 * same stream, with the swapped-in model active and the first one as the candidate: its active decisions are the
 * first processor's, unchanged, the shadow results are present, and every assessment names both versions.
 */
const model = (version: string, coefficient: number): ModelFileInput => ({
  format: 'lendguard.model.v1',
  kind: 'scorecard',
  version,
  createdAt: '2026-12-02T00:00:00Z',
  intercept: -3,
  thresholds: { medium: 0.2, high: 0.5, critical: 0.9 },
  features: [
    {
      name: 'device.identities.24h',
      kind: 'numeric',
      coefficient,
      missing: { label: 'missing', woe: 0, points: 0, share: 0.01 },
      bins: [
        { label: '≤ 1', upper: 1, woe: -0.5, points: -14.4, share: 0.7 },
        { label: '(1, 3]', upper: 3, woe: 1.5, points: 43.3, share: 0.2 },
        { label: '> 3', upper: null, woe: 3, points: 86.6, share: 0.09 },
      ],
    },
    {
      name: 'flag.DEVICE_MANY_IDENTITIES',
      kind: 'numeric',
      coefficient,
      missing: { label: 'missing', woe: 0, points: 0, share: 0 },
      bins: [
        { label: '≤ 0', upper: 0, woe: 0, points: 0, share: 0.9 },
        { label: '> 0', upper: null, woe: 1, points: 28.9, share: 0.1 },
      ],
    },
  ],
});

/** m-2 is boosted: one tree adds 0.5 to the logit where DEVICE_MANY_IDENTITIES fired, and −0.5 elsewhere. */
const boosted = (m: ModelFileInput): ModelFileInput => ({
  ...m,
  boost: {
    learningRate: 0.1,
    trees: [{ nodes: [{ value: 0, split: { feature: 'flag.DEVICE_MANY_IDENTITIES', left: [1], yes: 1, no: 2 } }, { value: 0.5 }, { value: -0.5 }] }],
  },
});

/** Applications 0–39; every fifth shares a device with the next four (five identities on one device). */
const app = (prefix: string, i: number) =>
  application(prefix, i, (a) => (a.device.deviceId = i % 10 < 5 ? `farm-${prefix}-${Math.floor(i / 10)}` : a.device.deviceId));

async function assessmentsOf(topic: string, count: number): Promise<Map<string, Assessment>> {
  const records = await collect(topic, { count, readCommitted: true, timeoutMs: 60_000 });
  return new Map(records.map((r) => JSON.parse(String(r.value)) as Assessment).map((a) => [a.applicationId, a]));
}

describe('model stage and shadow mode in a running processor', () => {
  const running: Processor[] = [];
  afterAll(() => Promise.allSettled(running.map((p) => p.close())));

  it('swaps the model file live, refuses a bad one, then shadows on the same stream without changing decisions', { timeout: 150_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-model-'));
    const file = join(dir, 'model.json');
    const candidate = join(dir, 'candidate.json');
    writeFileSync(file, JSON.stringify(model('m-1', 1)));
    writeFileSync(candidate, JSON.stringify(model('m-1', 1)));
    const setup = await testSetup({ partitions: 1, extraEnv: { LENDGUARD_MODEL_FILE: file } });
    const a = await startInProcess(loadConfig({ env: setup.env }));
    running.push(a);
    const modelVersion = (): unknown => (a.health.snapshot().details.model as { model?: string } | undefined)?.model;
    expect(modelVersion()).toBe('m-1');

    await produceRaw(
      setup.topics.applications,
      Array.from({ length: 20 }, (_, i) => asMessage(app(setup.id, i))),
    );
    const first = await assessmentsOf(setup.topics.assessments, 20);
    for (const x of first.values()) {
      expect(x.model?.version).toBe('m-1');
      expect(x.score).toBe(Math.round(100 * (x.model?.probability ?? -1)));
    }
    const farm = first.get(app(setup.id, 4).applicationId);
    expect(farm?.model?.contributions[0]).toMatchObject({ feature: 'device.identities.24h', bin: '> 3', value: 5 });
    // logit −3 + 1 × 3 (five identities on the device) + 1 × 1 (DEVICE_MANY_IDENTITIES fired) = 1: p = 0.73, high
    expect([farm?.level, farm?.model?.probability]).toEqual(['high', 1 / (1 + Math.exp(-1))]);
    expect(farm?.model?.rulesLevel).toBeDefined();

    // Swapped by rename while running: m-2 is stricter.
    writeFileSync(join(dir, 'next.json'), JSON.stringify(boosted(model('m-2', 2))));
    renameSync(join(dir, 'next.json'), file);
    await waitFor(
      () => modelVersion() === 'm-2',
      20_000,
      () => `still ${String(modelVersion())}`,
    );
    // An invalid file is refused; m-2 keeps running.
    writeFileSync(file, JSON.stringify({ ...model('m-3', 1), thresholds: { medium: 0.9, high: 0.1, critical: 0.5 } }));
    await waitFor(
      async () => /lendguard_model_reloads_total\{what="model",result="refused"\} [1-9]/.test((await httpGet(a.httpPort() as number, '/metrics')).body),
      20_000,
      () => 'no refusal counted',
    );
    expect(modelVersion()).toBe('m-2');
    await produceRaw(
      setup.topics.applications,
      Array.from({ length: 20 }, (_, i) => asMessage(app(setup.id, 20 + i))),
    );
    const all = await assessmentsOf(setup.topics.assessments, 40);
    const second = [...all.values()].filter((x) => !first.has(x.applicationId));
    expect(second).toHaveLength(20);
    for (const x of second) expect(x.model?.version).toBe('m-2');
    // −3 + 2 × 3 + 2 × 1 = 5, and the tree's 0.5 for the fired flag
    expect(all.get(app(setup.id, 24).applicationId)?.model?.probability).toBeCloseTo(1 / (1 + Math.exp(-5.5)), 12);
    const metrics = (await httpGet(a.httpPort() as number, '/metrics')).body;
    expect(metrics).toMatch(/lendguard_model_reloads_total\{what="model",result="applied"\} 1/);

    // Shadow: a second processor on the same stream (own group, own state, own output), m-2 active, m-1 candidate.
    writeFileSync(file, JSON.stringify(boosted(model('m-2', 2))));
    const shadowOut = `${setup.id}.shadow-assessments`;
    await createTopics([{ topic: shadowOut, partitions: 1 }]);
    const b = await startInProcess(
      loadConfig({
        env: {
          ...setup.env,
          LENDGUARD_KAFKA_GROUP_ID: `${setup.env.LENDGUARD_KAFKA_GROUP_ID}-shadow`,
          LENDGUARD_REDIS_KEY_PREFIX: `${setup.id}-shadow:`,
          LENDGUARD_TOPIC_ASSESSMENTS: shadowOut,
          LENDGUARD_SHADOW_MODEL_FILE: candidate,
        },
      }),
    );
    running.push(b);
    const shadowed = await assessmentsOf(shadowOut, 40);
    expect(shadowed.size).toBe(40);
    let differ = 0;
    for (const x of shadowed.values()) {
      expect(x.model?.version).toBe('m-2');
      expect(x.shadow).toMatchObject({ modelVersion: 'm-1', rulesVersion: x.rulesVersion });
      const m2 = all.get(x.applicationId) as Assessment;
      if (m2.model?.version === 'm-2') expect([x.level, x.score, x.alert]).toEqual([m2.level, m2.score, m2.alert]); // unchanged by shadow
      const m1 = first.get(x.applicationId);
      if (m1) expect([x.shadow?.level, x.shadow?.score]).toEqual([m1.level, m1.score]); // the candidate is m-1's decision
      if (x.shadow?.level !== x.level) differ++;
    }
    expect(differ).toBeGreaterThan(0); // the candidate really decides differently somewhere
  });
});
