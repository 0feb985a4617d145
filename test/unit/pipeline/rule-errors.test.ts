import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { ruleErrorReporter } from '../../../src/pipeline/build-pipeline.js';
import { processBatch } from '../../../src/pipeline/process-batch.js';
import { fixedClock } from '../../../src/platform/clock.js';
import { createLogger } from '../../../src/platform/logger.js';
import { KNOWN_FEATURES } from '../../../src/rules/features.js';
import { loadRuleSet } from '../../../src/rules/loader.js';
import { bytes, exampleApp } from '../fixtures.js';
import { unitPipelineDeps } from '../fixtures.js';

const T0 = Date.parse('2026-11-28T03:15:42.123Z');

/** A rule that type-checks at load but fails at run time (string > int): it must be counted and logged, not lost. */
const ruleSet = loadRuleSet(
  [
    'version: t',
    'rules:',
    `  - ${JSON.stringify({ id: 'TYPE_BUG', description: 'd', severity: 'medium', weight: 20, reason: 'r', when: 'f["ip.class"] > 3' })}`,
    `  - ${JSON.stringify({ id: 'EMULATOR', description: 'd', severity: 'high', weight: 40, reason: 'r', when: 'f["device.emulator"] == true' })}`,
  ].join('\n'),
  { file: 't.yaml', knownFeatures: KNOWN_FEATURES },
);

describe('rule run-time errors', () => {
  it('reach a counter and the log, and the application is still scored by the other rules', async () => {
    const counted: string[] = [];
    const lines: string[] = [];
    const logger = createLogger('error', new Writable({ write: (chunk: Buffer, _enc, done) => (lines.push(chunk.toString()), done()) }));
    const deps = unitPipelineDeps({
      assess: { ruleSet: () => ruleSet, alertLevel: 'high', budgetMs: 100, onRuleErrors: ruleErrorReporter(logger, (rule) => counted.push(rule)) },
      clock: fixedClock(T0 + 40),
    });
    const records = Array.from({ length: 8 }, (_, i) => ({
      key: `k${i}`,
      value: bytes(
        exampleApp((a) => {
          a.applicationId = `rule-err-${i}`;
          a.device.emulator = true;
        }),
      ),
      source: { topic: 'in', partition: 0, offset: String(i), timestampMs: T0 },
    }));
    const batch = await processBatch(records, deps);
    expect(batch.assessments).toHaveLength(8);
    expect(batch.assessments.every((a) => a.flags.some((f) => f.code === 'EMULATOR'))).toBe(true);
    expect(counted).toEqual(Array(8).fill('TYPE_BUG'));
    expect(lines).toHaveLength(5); // the first five of a rule, then every 1000th
    expect(JSON.parse(lines[0] as string)).toMatchObject({ rule: 'TYPE_BUG', msg: expect.stringContaining('rule failed at run time') });
  });
});
