import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateTraffic, RING_PATTERNS } from '../../../src/generate/index.js';
import { loadConfig } from '../../../src/platform/config.js';
import { createLogger } from '../../../src/platform/logger.js';
import type { InputLine } from '../../../src/replay/io.js';
import { replayLines } from '../../../src/replay/run.js';
import { buildReplayEnrichContext, createReplayDeps, loadReplayRules, memoryState } from '../../../src/replay/setup.js';
import type { ReplaySummary, TruthSummary } from '../../../src/replay/summary.js';

/**
 * End to end: generated traffic with fraud rings, replayed through the real pipeline (memory state, the
 * replay's own identity graph). Ring members that applied before their ring was bound are named by a
 * later ring alert; following those alerts must not change a single headline figure.
 */
const RULES = fileURLToPath(new URL('../../../config/rules.yaml', import.meta.url));
const config = loadConfig({ env: { LENDGUARD_PII_KEY: 'replay-ring-alerts-key-0123456789' } });
const START = Date.parse('2026-11-30T00:00:00Z');

const lines: InputLine[] = [
  ...generateTraffic({ seed: 'ring-alerts', count: 2500, startMs: START, spanMs: 8 * 3_600_000, attacks: ['ring'], attackShare: 0.12 }),
].map((r, i) => ({ lineNo: i + 1, bytes: Buffer.from(JSON.stringify(r)) }));

async function replay(opts: { followRingAlerts?: boolean; batchSize?: number } = {}): Promise<ReplaySummary> {
  const { ruleSet } = await loadReplayRules(RULES, config.state.windows);
  const deps = createReplayDeps(config, {
    ruleSet,
    store: memoryState().store,
    enrichContext: buildReplayEnrichContext(config, createLogger('silent')),
    piiKey: config.pii.key ?? '',
  });
  return replayLines(lines, { deps, batchSize: opts.batchSize ?? 200, alertLevel: config.scoring.alertLevel, followRingAlerts: opts.followRingAlerts });
}

/** Everything but the ring-alert figures (and the wall time). */
function headline(s: ReplaySummary): unknown {
  const strip = (t: TruthSummary | null) =>
    t && {
      ...t,
      withRingAlerts: null,
      patterns: t.patterns.map((p) => ({ ...p, caughtLater: 0 })),
      tags: t.tags.map((x) => ({ ...x, caughtLater: 0 })),
    };
  return { ...s, truth: strip(s.truth), elapsedMs: 0, recordsPerSecond: 0 };
}

describe('replay: members named by a later ring alert', () => {
  let followed: ReplaySummary;
  let plain: ReplaySummary;
  beforeAll(async () => {
    followed = await replay();
    plain = await replay({ followRingAlerts: false });
  });

  it('counts ring members caught later, separately', () => {
    const truth = followed.truth;
    const rings = truth?.patterns.filter((p) => (RING_PATTERNS as readonly string[]).includes(p.pattern)) ?? [];
    expect(rings.length).toBeGreaterThan(0);
    expect(rings.reduce((sum, p) => sum + p.caughtLater, 0)).toBeGreaterThan(0);
    for (const p of truth?.patterns ?? []) expect(p.caught + p.caughtLater).toBeLessThanOrEqual(p.records);

    const w = truth?.withRingAlerts;
    expect(w?.ringAlerts).toBeGreaterThan(0);
    expect(w?.caughtLater).toBe(truth?.patterns.reduce((sum, p) => sum + p.caughtLater, 0));
    expect((w?.tp ?? 0) + (w?.fn ?? 0)).toBe(truth?.fraud);
    expect((w?.fp ?? 0) + (w?.tn ?? 0)).toBe(truth?.legit);
    expect(w?.recall).toBeGreaterThan(truth?.recall ?? 1);
    expect(w?.delayMinutes?.median).toBeGreaterThanOrEqual(0);
    expect(w?.delayMinutes?.p90).toBeGreaterThanOrEqual(w?.delayMinutes?.median ?? 0);
    expect(w?.notFollowed).toBe(0);
  });

  it('leaves the headline figures exactly as they are without it', () => {
    expect(plain.truth?.withRingAlerts).toBeNull();
    expect(headline(followed)).toEqual(headline(plain));
  });

  it('does not depend on the batch size', async () => {
    const small = await replay({ batchSize: 37 });
    expect(small.truth?.withRingAlerts).toEqual(followed.truth?.withRingAlerts);
    expect(small.truth?.patterns.map((p) => [p.pattern, p.caughtLater])).toEqual(followed.truth?.patterns.map((p) => [p.pattern, p.caughtLater]));
  });
});
