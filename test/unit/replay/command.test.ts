import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runReplayCommand, type ReplayCliOptions, type ReplayReport } from '../../../src/cli/replay.js';
import type { Assessment } from '../../../src/domain/assessment.js';
import { loadConfig } from '../../../src/platform/config.js';
import { createLogger } from '../../../src/platform/logger.js';
import { processBatch, type InputRecord } from '../../../src/pipeline/process-batch.js';
import type { DeadLetterLine } from '../../../src/replay/run.js';
import { buildReplayEnrichContext, createReplayDeps, loadReplayRules, memoryState } from '../../../src/replay/setup.js';
import { T0, writeReplayFixture } from './fixture.js';

const RULES = fileURLToPath(new URL('../../../config/rules.yaml', import.meta.url));
const config = loadConfig({ env: { LENDGUARD_PII_KEY: 'replay-unit-test-key-0123456789' } });
const fx = writeReplayFixture('rpl');
afterAll(() => rmSync(fx.dir, { recursive: true, force: true }));

async function run(opts: ReplayCliOptions, input = fx.input) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const result = await runReplayCommand(input, { rules: RULES, ...opts }, config, {
    stdout: (t) => stdout.push(t),
    stderr: (l) => stderr.push(l),
    logger: createLogger('silent'),
    progressEveryMs: 0, // report after every batch
  });
  return { result, stdout: stdout.join('\n'), stderr: stderr.join('\n') };
}

const readJsonl = <T>(path: string): T[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as T);

/** What the processor itself would emit for these lines: processBatch with the same stages, one batch. */
async function direct(lines: { line: number; bytes: Buffer }[]): Promise<Assessment[]> {
  const { ruleSet } = await loadReplayRules(RULES, config.state.windows);
  const deps = createReplayDeps(config, {
    ruleSet,
    store: memoryState().store,
    enrichContext: buildReplayEnrichContext(config, createLogger('silent')),
    piiKey: config.pii.key ?? '',
  });
  const records: InputRecord[] = lines.map(({ line, bytes }) => {
    const eventTimeMs = Date.parse((JSON.parse(bytes.toString('utf8')) as { eventTime: string }).eventTime);
    return { key: null, value: bytes, source: { topic: 'replay:apps.jsonl', partition: 0, offset: String(line), timestampMs: eventTimeMs } };
  });
  return (await processBatch(records, deps)).assessments;
}

/** Everything but wall-clock fields. */
const timeless = (a: Assessment) => ({ ...a, assessedAt: '', latency: { ...a.latency, sinceRecordMs: 0, processingMs: 0, withinBudget: false } });

describe('lendguard replay (memory state)', () => {
  const out = join(fx.dir, 'assessments.jsonl');
  const dlq = join(fx.dir, 'dlq.jsonl');
  let report: ReplayReport | undefined;
  let stdout = '';
  let stderr = '';

  it('runs the file through the pipeline and exits 0', async () => {
    const r = await run({ out, dlq, batch: '4' });
    expect(r.result.exitCode).toBe(0);
    report = r.result.report;
    stdout = r.stdout;
    stderr = r.stderr;
    expect(report?.state).toEqual({ kind: 'memory' });
  });

  it('writes one assessment per valid line, in file order, exactly as the processor would emit it', async () => {
    const assessments = readJsonl<Assessment>(out);
    expect(assessments.map((a) => a.applicationId)).toEqual(fx.valid.map((v) => v.applicationId));
    const inputLines = readFileSync(fx.input).toString('latin1').split('\n');
    const validLines = fx.valid.map((v) => ({ line: v.line, bytes: Buffer.from(inputLines[v.line - 1] ?? '', 'latin1') }));
    const expected = await direct(validLines);
    expect(assessments.map(timeless)).toEqual(expected.map(timeless));
    for (const [i, a] of assessments.entries()) {
      expect(Object.keys(a)).toEqual(Object.keys(expected[i] ?? {}));
      expect(a.source).toEqual({ topic: 'replay:apps.jsonl', partition: 0, offset: String(fx.valid[i]?.line) });
      // The record "Kafka timestamp" is the event time: sinceRecordMs = assessedAt - eventTime.
      expect(a.latency.sinceRecordMs).toBe(Date.parse(a.assessedAt) - Date.parse(a.eventTime));
      // A backtest never sheds work, however old the traffic (sinceRecordMs is days here).
      expect(a.degraded).toBe(false);
      expect(a.rulesVersion).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+\+[0-9a-f]{8}$/); // the rules file's label + hash
    }
    // No raw identifier leaves the pipeline, here either; the label stays out of the output.
    const text = readFileSync(out, 'utf8');
    expect(text).not.toContain('110101199001010');
    expect(text).not.toContain('_truth');
  });

  it('counts the device farm by event time and alerts on it; clean applicants stay low', () => {
    const byId = new Map(readJsonl<Assessment>(out).map((a) => [a.applicationId, a]));
    const farm = fx.farmIds.map((id) => byId.get(id));
    expect(farm.map((a) => a?.features['device.identities.24h'])).toEqual([1, 2, 3, 4, 5, 6]);
    expect(farm.slice(3).every((a) => a?.level === 'critical' && a.flags.some((f) => f.code === 'DEVICE_MANY_IDENTITIES'))).toBe(true);
    const clean = fx.valid.filter((v) => v.fraud !== true).map((v) => byId.get(v.applicationId));
    expect(clean.every((a) => a?.level === 'low' && a.flags.length === 0)).toBe(true);
  });

  it('dead-letters each bad line with its line number, code, message and original value', () => {
    const dead = readJsonl<DeadLetterLine>(dlq);
    expect(dead.map((d) => [d.line, d.code])).toEqual(fx.bad.map((b) => [b.line, b.code]));
    for (const [i, d] of dead.entries()) {
      const original = fx.bad[i]?.bytes ?? Buffer.alloc(0);
      expect(d.message.length).toBeGreaterThan(5);
      if (d.code === 'INVALID_ENCODING') {
        expect(d.value).toBeNull();
        expect(Buffer.from(d.valueBase64 ?? '', 'base64').equals(original)).toBe(true);
      } else {
        expect(d.value).toBe(original.toString('utf8'));
      }
    }
  });

  it('summarises counts, dead letters per code, levels, rules and ground truth', () => {
    const s = report?.summary;
    expect(s?.records).toEqual({ read: fx.valid.length + fx.bad.length, assessed: fx.valid.length, deadLettered: fx.bad.length, blankLines: 1 });
    expect(s?.deadLettered.map((d) => d.code).sort()).toEqual(fx.bad.map((b) => b.code).sort());
    expect(s?.levels.critical).toBeGreaterThanOrEqual(3);
    const t = s?.truth;
    const caught = readJsonl<Assessment>(out).filter((a) => fx.farmIds.includes(a.applicationId) && a.alert).length;
    expect(t).toMatchObject({
      labelled: 26,
      unlabelled: 3,
      invalidLabels: 0,
      labelledDeadLettered: 1, // the schemaVersion 2 line carried a label
      fraud: 6,
      legit: 20,
      confusion: { tp: caught, fn: 6 - caught, fp: 0, tn: 20 },
      precision: 1,
      recall: caught / 6,
      falsePositiveRate: 0,
    });
    expect(t?.patterns.find((p) => p.pattern === 'device-farm')).toMatchObject({ records: 6, fraud: 6, caught, rings: 1, ringsCaught: 1 });
    const many = s?.rules.find((r) => r.rule === 'DEVICE_MANY_IDENTITIES');
    expect(many).toMatchObject({ fires: 3, truePositives: 3, falsePositives: 0, precision: 1, recall: 0.5 });
    expect(s?.rules.find((r) => r.rule === 'IP_TOR')).toMatchObject({ fires: 0, precision: null });
  });

  it('prints the table on stdout and progress on stderr', () => {
    expect(stdout).toContain(`replay ${fx.input}`);
    expect(stdout).toContain(
      `records        ${fx.valid.length + fx.bad.length} read · ${fx.valid.length} assessed · ${fx.bad.length} dead-lettered · 1 blank line skipped`,
    );
    expect(stdout).toContain('ground truth   26 labelled (6 fraud, 20 legitimate); 3 unlabelled excluded; 1 labelled lines dead-lettered');
    expect(stdout).toMatch(/device-farm +6 +6 +\d/);
    expect(stdout).toContain(`assessments → ${out} · dead letters → ${dlq}`);
    expect(stderr).toMatch(/replay: \d+ lines · [\d,]+ lines\/s/);
  });

  it('gives the same figures whatever the batch size (file order, event-time windows)', async () => {
    const r = await run({ batch: '200', json: true });
    expect(r.result.exitCode).toBe(0);
    const json = JSON.parse(r.stdout) as ReplayReport;
    const strip = (s: ReplayReport['summary'] | undefined) => ({ ...s, elapsedMs: 0, recordsPerSecond: 0 });
    expect(strip(json.summary)).toEqual(strip(report?.summary));
    expect(json.outputs).toEqual({ assessments: null, dlq: null });
  });

  it('does not depend on the date it runs: event time drives the windows', () => {
    const first = readJsonl<Assessment>(out)[0];
    expect(Date.parse(first?.eventTime ?? '')).toBe(T0);
  });
});

describe('lendguard replay: errors carry meaning', () => {
  const dir = mkdtempSync(join(tmpdir(), 'lendguard-replay-err-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('missing input file: exit 66 and says so', async () => {
    const r = await run({}, join(dir, 'nope.jsonl'));
    expect(r.result.exitCode).toBe(66);
    expect(r.stderr).toContain(`cannot read input ${join(dir, 'nope.jsonl')}: no such file`);
  });

  it('invalid rules: exit 78 and every problem with its line number', async () => {
    const rules = join(dir, 'bad-rules.yaml');
    writeFileSync(
      rules,
      [
        'version: "x1"',
        'rules:',
        '  - id: TOO_MANY',
        '    description: d',
        '    severity: high',
        '    weight: 10',
        '    when: f["device.identitees.24h"] > 3',
        '    reason: "r"',
        '',
      ].join('\n'),
    );
    const r = await run({ rules });
    expect(r.result.exitCode).toBe(78);
    expect(r.stderr).toContain(`rules file ${rules} is invalid (1 problem(s))`);
    expect(r.stderr).toMatch(
      new RegExp(`${rules}:7:\\d+: rule TOO_MANY: unknown feature "device.identitees.24h" \\(did you mean "device.identities.24h"\\?\\)`),
    );
  });

  it('missing rules file: exit 78', async () => {
    const r = await run({ rules: join(dir, 'none.yaml') });
    expect(r.result.exitCode).toBe(78);
    expect(r.stderr).toContain('cannot read the rule file');
  });

  it('bad options: exit 64 before reading anything', async () => {
    expect((await run({ batch: '0' })).result.exitCode).toBe(64);
    expect((await run({ state: 'disk' })).stderr).toContain('--state must be memory or redis');
    expect((await run({ redisPrefix: 'x:' })).stderr).toContain('--redis-prefix needs --state redis');
    const same = await run({ out: fx.input });
    expect(same.result.exitCode).toBe(64);
    expect(readFileSync(fx.input).length).toBeGreaterThan(0); // not truncated
  });

  it('unwritable output: exit 73', async () => {
    const r = await run({ out: join(dir, 'missing-dir', 'out.jsonl') });
    expect(r.result.exitCode).toBe(73);
    expect(r.stderr).toContain('cannot write');
  });

  it('an empty file is a valid, empty replay', async () => {
    const empty = join(dir, 'empty.jsonl');
    writeFileSync(empty, '');
    const r = await run({ json: true }, empty);
    expect(r.result.exitCode).toBe(0);
    expect(r.result.report?.summary.records).toEqual({ read: 0, assessed: 0, deadLettered: 0, blankLines: 0 });
  });
});
