import { describe, expect, it } from 'vitest';
import type { Assessment, Level } from '../../../src/domain/assessment.js';
import { pct, renderSummary } from '../../../src/replay/render.js';
import { SummaryAccumulator } from '../../../src/replay/summary.js';

const a = (level: Level, ...codes: string[]): Pick<Assessment, 'level' | 'flags' | 'rulesVersion'> => ({
  level,
  flags: codes.map((code) => ({ code, severity: 'high', weight: 10, reason: code, evidence: {} })),
  rulesVersion: '2026-11-28.1+3f9a2c1b',
});

describe('renderSummary', () => {
  it('renders counts, levels, rules and the rate without truth', () => {
    const acc = new SummaryAccumulator({ alertLevel: 'high', ruleIds: ['DEVICE_EMULATOR', 'IP_TOR'] });
    for (let i = 0; i < 1500; i++) acc.assessment(a('low'));
    acc.assessment(a('high', 'DEVICE_EMULATOR'));
    acc.deadLetter('INVALID_JSON');
    acc.blankLine();
    const text = renderSummary(acc.summary(1502), { input: 'apps.jsonl', rulesFile: 'config/rules.yaml', state: 'memory (started empty)' });
    expect(text).toContain('replay apps.jsonl');
    expect(text).toContain('rules 2026-11-28.1+3f9a2c1b (config/rules.yaml) · alert level high · state memory (started empty)');
    expect(text).toContain('records        1,502 read · 1,501 assessed · 1 dead-lettered · 1 blank line skipped');
    expect(text).toContain('dead-lettered  INVALID_JSON 1');
    expect(text).toContain('low 1,500 (99.9%)');
    expect(text).toContain('alerts         1 (0.1%) at level ≥ high');
    const lines = text.split('\n');
    expect(lines).toContain('  rule             fires  share');
    expect(lines).toContain('  DEVICE_EMULATOR      1   0.1%');
    expect(text).toContain('never fired (1): IP_TOR');
    expect(text).toContain('ground truth   none');
    expect(text).toContain('elapsed        1.5 s · 1,000 records/s');
    expect(text).not.toMatch(/NaN|undefined|null/);
  });

  it('renders the truth section: confusion matrix, per-level and per-pattern figures, dashes for unknown ratios', () => {
    const acc = new SummaryAccumulator({ alertLevel: 'high', ruleIds: ['FARM'] });
    acc.assessment(a('critical', 'FARM'), { kind: 'valid', truth: { fraud: true, pattern: 'device-farm', ringId: 'r1' } });
    acc.assessment(a('low'), { kind: 'valid', truth: { fraud: true, pattern: 'device-farm', ringId: 'r2' } });
    acc.assessment(a('low'), { kind: 'valid', truth: { fraud: false, pattern: 'clean' } });
    acc.assessment(a('low'));
    const text = renderSummary(acc.summary(40));
    expect(text).toContain('ground truth   3 labelled (2 fraud, 1 legitimate); 1 unlabelled excluded');
    expect(text).toContain('precision 100.0% · recall 50.0% · F1 66.7% · false-positive rate 0.00%');
    const lines = text.split('\n');
    for (const line of [
      '  rule  fires  share  TP  FP  precision  recall',
      '  FARM      1  25.0%   1   0     100.0%   50.0%',
      '              alerted  not alerted',
      '  fraud             1            1',
      '  legitimate        0            1',
      '  level     fraud  legitimate',
      '  critical      1           0',
      'by pattern (caught = level ≥ high)',
      '  pattern      records  fraud  caught   rate  rings  caught by',
      '  device-farm        2      2       1  50.0%    1/2  FARM 1',
      '  clean              1      0       0   0.0%      –  –',
    ]) {
      expect(lines).toContain(line);
    }
  });

  it('renders a by-tag table after the patterns when any record had tags, and notes malformed tags', () => {
    const acc = new SummaryAccumulator({ alertLevel: 'high', ruleIds: ['IP_MANY_IDENTITIES'] });
    const legit = (...tags: string[]) => ({ kind: 'valid' as const, truth: { fraud: false, pattern: 'legit', tags } });
    acc.assessment(a('high', 'IP_MANY_IDENTITIES'), legit('cgnat', 'family'));
    for (let i = 0; i < 199; i++) acc.assessment(a('low'), legit('cgnat'));
    acc.assessment(a('low'), { kind: 'valid', truth: { fraud: false, pattern: 'legit' }, malformedTags: true });
    const text = renderSummary(acc.summary(10));
    expect(text).toContain('201 labelled (0 fraud, 201 legitimate); 0 unlabelled excluded; 1 labelled with malformed tags (tags ignored)');
    const lines = text.split('\n');
    const at = lines.indexOf('by tag (caught = level ≥ high; a record can have several tags)');
    expect(at).toBeGreaterThan(lines.indexOf('by pattern (caught = level ≥ high)'));
    expect(lines.slice(at + 1, at + 4)).toEqual([
      '  tag     records  fraud  caught    rate  caught by',
      '  cgnat       200      0       1    0.5%  IP_MANY_IDENTITIES 1',
      '  family        1      0       1  100.0%  IP_MANY_IDENTITIES 1',
    ]);
  });

  it('has no by-tag table when no record had tags', () => {
    const acc = new SummaryAccumulator({ alertLevel: 'high' });
    acc.assessment(a('low'), { kind: 'valid', truth: { fraud: false, pattern: 'legit' } });
    expect(renderSummary(acc.summary(1))).not.toContain('by tag');
  });

  describe('ring alerts', () => {
    const at = (min: number) => new Date(Date.parse('2026-11-30T08:00:00Z') + min * 60_000).toISOString();
    const rec = (id: string, level: Level, min: number) => ({
      ...a(level, ...(level === 'critical' ? ['RING_MEMBER'] : [])),
      applicationId: id,
      eventTime: at(min),
    });
    const ring = () => ({ kind: 'valid' as const, truth: { fraud: true, pattern: 'ring-chain', ringId: 'r1', tags: ['spree'] } });
    function followed(): SummaryAccumulator {
      const acc = new SummaryAccumulator({ alertLevel: 'high', ruleIds: ['RING_MEMBER'], followRingAlerts: true });
      acc.assessment(rec('m1', 'low', 0), ring());
      acc.assessment(rec('m2', 'low', 30), ring());
      acc.assessment(rec('m3', 'critical', 90), ring());
      acc.assessment(rec('x', 'low', 100), { kind: 'valid', truth: { fraud: false, pattern: 'legit' } });
      return acc;
    }

    it('adds a "+ring alert" column and a line under the confusion matrix when a ring alert named a record not alerted', () => {
      const acc = followed();
      acc.ringAlert(['m1', 'm2', 'm3'], Date.parse(at(90)));
      const lines = renderSummary(acc.summary(1)).split('\n');
      const matrix = lines.indexOf('  legitimate        0            1');
      expect(lines[matrix + 1]).toBe('  with ring alerts: precision 100.0% · recall 100.0% · named a median of 60 min after the application (p90 90)');
      for (const line of [
        'by pattern (caught = level ≥ high; +ring alert = not caught, named by a later ring alert)',
        '  pattern     records  fraud  caught   rate  +ring alert  rings  caught by',
        '  ring-chain        3      3       1  33.3%            2    1/1  RING_MEMBER 1',
        '  legit             1      0       0   0.0%            0      –  –',
        '  tag    records  fraud  caught   rate  +ring alert  caught by',
        '  spree        3      3       1  33.3%            2  RING_MEMBER 1',
      ]) {
        expect(lines).toContain(line);
      }
    });

    it('says that nothing changed when no ring alert named a record not alerted, and has no column', () => {
      const acc = followed();
      acc.ringAlert(['m3'], Date.parse(at(90)));
      const text = renderSummary(acc.summary(1));
      expect(text).toContain('  with ring alerts: no change (1 ring alert named no labelled record left unalerted)');
      expect(text).not.toContain('+ring alert');
    });

    it('has neither the line nor the column when ring alerts were not followed', () => {
      const acc = new SummaryAccumulator({ alertLevel: 'high' });
      acc.assessment(rec('m1', 'low', 0), ring());
      acc.ringAlert(['m1'], Date.parse(at(90)));
      const text = renderSummary(acc.summary(1));
      expect(text).not.toContain('with ring alerts');
      expect(text).not.toContain('+ring alert');
    });
  });

  it('says so when nothing was assessed', () => {
    const text = renderSummary(new SummaryAccumulator({ alertLevel: 'high' }).summary(0));
    expect(text).toContain('rules (no assessment)');
    expect(text).toContain('no rule fired');
    expect(text).toContain('low 0 (–)');
    expect(text).toContain('elapsed        0 ms · – records/s');
  });

  it('formats ratios as percentages and unknown ones as a dash', () => {
    expect(pct(null)).toBe('–');
    expect(pct(0.12345)).toBe('12.3%');
    expect(pct(0.00123, 2)).toBe('0.12%');
  });
});
