import { mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Flag } from '../../../src/domain/assessment.js';
import { DriftMonitor, psi } from '../../../src/model/drift.js';
import { parseModelFile, type ModelFileInput } from '../../../src/model/file.js';
import { createLiveModel, loadModelFile } from '../../../src/model/live-model.js';
import { compileModel, modelInput } from '../../../src/model/scorecard.js';
import { decide, modelReads } from '../../../src/pipeline/model-stage.js';
import { loadRuleSet } from '../../../src/rules/loader.js';
import { createLogger } from '../../../src/platform/logger.js';

const file = (version: string, coefficient = 1): ModelFileInput => ({
  format: 'lendguard.model.v1',
  kind: 'scorecard',
  version,
  createdAt: '2026-12-02T00:00:00Z',
  intercept: -2,
  thresholds: { medium: 0.2, high: 0.5, critical: 0.9 },
  features: [
    {
      name: 'device.identities.24h',
      kind: 'numeric',
      coefficient,
      missing: { label: 'missing', woe: 0, points: 0, share: 0 },
      bins: [
        { label: '≤ 1', upper: 1, woe: -1, points: -28.9, share: 0.8 },
        { label: '> 1', upper: null, woe: 3, points: 86.6, share: 0.2 },
      ],
    },
  ],
});

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 25));
};

describe('model file hot reload', () => {
  it('loads at start-up with a CONFIG_INVALID that lists the problems, reloads a good change, refuses a bad one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-model-'));
    const path = join(dir, 'model.json');
    writeFileSync(path, '{"format":"nope"}');
    expect(() => loadModelFile(path)).toThrow(/model file .*model.json is invalid: format: /);
    writeFileSync(path, JSON.stringify(file('v1')));
    const refused: string[] = [];
    const live = createLiveModel({ file: path, hotReload: true, logger: createLogger('silent'), onRefused: (e) => refused.push(e.message) });
    live.start();
    expect(live.current().version).toBe('v1');
    // replaced by rename, as editors and config mounts do
    writeFileSync(join(dir, 'next.json'), JSON.stringify(file('v2', 2)));
    renameSync(join(dir, 'next.json'), path);
    await until(() => live.current().version === 'v2');
    expect(live.current().version).toBe('v2');
    writeFileSync(path, JSON.stringify({ ...file('v3'), thresholds: { medium: 0.9, high: 0.5, critical: 0.1 } }));
    await until(() => refused.length > 0);
    expect(refused[0]).toMatch(/thresholds go medium ≤ high ≤ critical/);
    expect(live.current().version).toBe('v2'); // the last good model keeps running
    live.stop();
  });
});

describe('model stage and shadow mode', () => {
  const rulesYaml = [
    'version: "test.1"',
    'scoring:',
    '  thresholds: { medium: 30, high: 60, critical: 80 }',
    'rules:',
    '  - id: DEVICE_MANY',
    '    description: many identities',
    '    severity: high',
    '    weight: 60',
    '    when: f["device.identities.24h"] > 3',
    '    reason: "many"',
    '',
  ].join('\n');
  const rules = loadRuleSet(rulesYaml, {
    file: 'rules.yaml',
    knownFeatures: ['device.identities.24h'],
  });
  const flags: Flag[] = [];
  const features = { 'device.identities.24h': 2 };
  const ruleDecision = { flags, score: 0, level: 'low' as const };

  it('lets the model set score and level, keeping the rules decision and the contributions', () => {
    const model = compileModel(parseModelFile(JSON.stringify(file('v1')), 'm'));
    const d = decide({ model: () => model }, rules, features, ruleDecision, { alertLevel: 'high', skipTags: [] });
    expect(d.level).toBe('high');
    expect(d.model).toMatchObject({
      version: 'v1',
      rulesScore: 0,
      rulesLevel: 'low',
      contributions: [{ feature: 'device.identities.24h', bin: '> 1', points: 86.6, value: 2 }],
    });
    expect(d.shadow).toBeUndefined();
  });

  it('writes a candidate decision under shadow and leaves the active one alone', () => {
    const active = compileModel(parseModelFile(JSON.stringify(file('v1')), 'm'));
    const candidate = compileModel(parseModelFile(JSON.stringify(file('v2', 0.1)), 'm'));
    const d = decide({ model: () => active, shadow: () => ({ model: candidate }) }, rules, features, ruleDecision, { alertLevel: 'high', skipTags: [] });
    expect([d.level, d.model?.version]).toEqual(['high', 'v1']);
    expect(d.shadow).toMatchObject({ rulesVersion: rules.version, modelVersion: 'v2', level: 'low', alert: false });
    const rulesOnly = decide({ shadow: () => ({ model: candidate }) }, rules, features, ruleDecision, { alertLevel: 'high', skipTags: [] });
    expect([rulesOnly.level, rulesOnly.model, rulesOnly.shadow?.modelVersion]).toEqual(['low', undefined, 'v2']);
    expect(modelReads({ model: () => active, shadow: () => ({ ruleSet: rules }) })).toEqual(['device.identities.24h', 'device.identities.24h']);
  });
});

describe('drift', () => {
  it('is zero for the training shares, grows as they move, and says which features drifted', () => {
    expect(psi([80, 20, 0], [0.8, 0.2, 0])).toBeCloseTo(0, 10);
    expect(psi([20, 80, 0], [0.8, 0.2, 0])).toBeGreaterThan(1);
    const model = compileModel(parseModelFile(JSON.stringify(file('v1')), 'm'));
    const drift = new DriftMonitor(100);
    const day = Date.parse('2026-12-02T10:00:00Z');
    for (let i = 0; i < 200; i++) drift.count(model, model.score(modelInput({ 'device.identities.24h': i % 2 === 0 ? 5 : 1 }, new Set())).bins, day);
    const [f] = drift.report().features;
    expect(f?.feature).toBe('device.identities.24h');
    expect(f?.drifted).toBe(true); // 50/50 against 80/20
    expect(drift.report().rows).toBe(200);
  });
});
