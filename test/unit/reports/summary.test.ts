import { describe as group, expect, it } from 'vitest';
import { summarise } from '../../../src/reports/summary.js';
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
    expect(lines[1]).toBe('Alerts with rule IP_DATACENTER rose from 0.40% (200) to 6.10% (3,050) of applications in the last 7 days (×15, z = 54.8).');
    expect(lines).toHaveLength(2); // DEVICE_BOT's +30 % on 230 alerts is within chance (z < 2)
  });

  it('says plainly when nothing rose', () => {
    expect(summarise([{ label: 'rule', changes: [] }])).toEqual(['Nothing rose beyond chance against the previous period of the same length.']);
  });
});
