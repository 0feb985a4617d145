import { describe as group, expect, it } from 'vitest';
import { summarise, volumeSentence } from '../../../src/reports/summary.js';
import { risers } from '../../../src/reports/trends.js';

group('report summary sentences', () => {
  const totals = { current: 50_000, baseline: 50_000 };

  it('names the biggest rises across dimensions first, with numbers and baselines', () => {
    const rules = risers(
      [
        { key: 'IP_DATACENTER', current: 3_050, baseline: 200 },
        { key: 'DEVICE_BOT', current: 130, baseline: 100 },
      ],
      totals,
    );
    const regions = risers([{ key: 'Guangdong', current: 400, baseline: 0 }], totals);
    const lines = summarise(
      [
        { label: 'rule', changes: rules },
        { label: 'IP region', changes: regions },
      ],
      { period: 'the last 7 days' },
    );
    expect(lines[0]).toBe('Alerts with IP region Guangdong rose from none before to 0.80% (400) of applications in the last 7 days (×801, z = 23.5).');
    expect(lines[1]).toBe('Alerts with rule IP_DATACENTER rose from 0.40% (200) to 6.1% (3,050) of applications in the last 7 days (×15, z = 54.8).');
    expect(lines).toHaveLength(2); // DEVICE_BOT's +30 % on 230 alerts is within chance (z < 2)
  });

  it('says plainly when nothing rose', () => {
    expect(summarise([{ label: 'rule', changes: [] }])).toEqual(['Nothing rose beyond chance against the previous period of the same length.']);
  });

  it('says one attack once: a rise that shares a value (a partner, a region in its country) with one said is left out', () => {
    const t = { current: 10_000, baseline: 10_000 };
    const lines = summarise(
      [
        { label: 'partner × IP region', changes: risers([{ key: 'p-cash × CN/Zhejiang', current: 300, baseline: 0 }], t) },
        { label: 'partner', changes: risers([{ key: 'p-cash', current: 310, baseline: 4 }], t) },
        { label: 'IP country', changes: risers([{ key: 'CN', current: 900, baseline: 500 }], t) },
        { label: 'IP region', changes: risers([{ key: 'CN/Zhejiang', current: 305, baseline: 2 }], t) },
        { label: 'rule', changes: risers([{ key: 'IP_DATACENTER', current: 290, baseline: 10 }], t) },
        { label: 'partner', changes: risers([{ key: 'p-cash-2', current: 200, baseline: 3 }], t) },
      ],
      { period: 'the last day' },
    );
    expect(lines.map((l) => l.split(' rose')[0])).toEqual([
      'Alerts with partner × IP region p-cash × CN/Zhejiang',
      'Alerts with partner p-cash-2',
      'Alerts with rule IP_DATACENTER',
    ]);
  });

  it('opens with the volume against its baseline', () => {
    const t = { applications: 1_204_000, alerts: 73_444, alertRate: 0.061, baseline: { applications: 1_198_000, alertRate: 0.004 } };
    expect(volumeSentence(t, 'the last 7 days')).toBe(
      '1,204,000 applications were assessed in the last 7 days and 6.1% (73,444) alerted, against 0.40% of 1,198,000 the period before.',
    );
    expect(volumeSentence({ ...t, applications: 0 }, 'the last day')).toBe('No applications were assessed in the last day.');
  });
});
