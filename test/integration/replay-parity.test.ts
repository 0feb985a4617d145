import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runReplayCommand } from '../../src/cli/replay.js';
import type { Assessment } from '../../src/domain/assessment.js';
import type { Processor } from '../../src/main.js';
import { loadConfig } from '../../src/platform/config.js';
import { createLogger } from '../../src/platform/logger.js';
import { startInProcess, testSetup } from '../helpers/processor.js';
import { collect, produceRaw } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * One wiring (src/pipeline/build-pipeline.ts): the processor on the real broker and Redis, and `lendguard replay`
 * on a file of the same records, give the same assessments: score, level, flags with their evidence, every
 * feature (velocity, travel, graph) and the enrichment. Only what is about the run differs (times, latency,
 * source offsets), and is left out of the comparison.
 */
describe('replay and processor', () => {
  let processor: Processor | undefined;
  afterAll(() => processor?.close());

  it('give identical assessments for the same input', { timeout: 120_000 }, async () => {
    const setup = await testSetup({ partitions: 1, extraEnv: { LENDGUARD_LATENCY_BUDGET_MS: '600000' } });
    const t0 = Date.now() - 600_000;
    const at = (i: number): string => new Date(t0 + i * 5_000).toISOString();
    const plain = Array.from({ length: 20 }, (_, i) => application(setup.id, i, (a) => (a.eventTime = at(i))));
    // A device farm and a ring sharing a bank card and a device: velocity, rules and the graph all have work.
    const farm = Array.from({ length: 8 }, (_, i) =>
      application(setup.id, 100 + i, (a) => {
        a.device.deviceId = `dev-${setup.id}-farm`;
        a.eventTime = at(20 + i);
      }),
    );
    const ring = Array.from({ length: 6 }, (_, i) =>
      application(setup.id, 200 + i, (a) => {
        a.applicant.bankAccount = '6222020200999999999';
        a.device.deviceId = `dev-${setup.id}-ring-${i % 2}`;
        a.eventTime = at(30 + i);
      }),
    );
    const apps = [...plain, ...farm, ...ring];

    processor = await startInProcess(setup.config);
    await produceRaw(setup.topics.applications, apps.map(asMessage));
    const live = (await collect(setup.topics.assessments, { readCommitted: true, count: apps.length, timeoutMs: 60_000 })).map(
      (r) => JSON.parse(r.value?.toString() ?? '{}') as Assessment,
    );

    const dir = mkdtempSync(join(tmpdir(), 'lg-parity-'));
    const input = join(dir, 'in.jsonl');
    const out = join(dir, 'out.jsonl');
    writeFileSync(input, `${apps.map((a) => JSON.stringify(a)).join('\n')}\n`);
    const config = loadConfig({ env: { ...setup.env, LENDGUARD_REDIS_KEY_PREFIX: `${setup.env.LENDGUARD_REDIS_KEY_PREFIX}replay:` } });
    const r = await runReplayCommand(input, { out, state: 'memory', batch: 200 }, config, {
      stdout: () => undefined,
      stderr: () => undefined,
      logger: createLogger('silent'),
      progressEveryMs: 60_000,
    });
    expect(r.exitCode).toBe(0);
    const replayed = readFileSync(out, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as Assessment);

    const comparable = (a: Assessment) => ({
      applicationId: a.applicationId,
      score: a.score,
      level: a.level,
      alert: a.alert,
      flags: a.flags,
      features: a.features,
      enrichment: a.enrichment,
      subject: a.subject,
      ring: a.ring ? { size: a.ring.size, pattern: a.ring.pattern } : null,
      rulesVersion: a.rulesVersion,
    });
    const byId = (xs: Assessment[]) => new Map(xs.map((a) => [a.applicationId, comparable(a)]));
    const want = byId(live);
    const got = byId(replayed);
    expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
    for (const [id, a] of want) expect(got.get(id), id).toEqual(a);
    // The comparison had something to compare: the farm and the ring were flagged.
    expect(live.some((a) => a.flags.some((f) => f.code === 'DEVICE_MANY_IDENTITIES'))).toBe(true);
  });
});
