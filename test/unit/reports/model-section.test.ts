import { describe, expect, it } from 'vitest';
import { modelSection } from '../../../src/reports/model-section.js';
import type { ValueRow } from '../../../src/reports/queries.js';

const row = (value: string, applications: number, baselineApplications: number, label: string | null = null): ValueRow => ({
  value,
  label,
  applications,
  alerts: Math.round(applications / 10),
  baselineApplications,
  baselineAlerts: 0,
});

describe('report model section', () => {
  it('lists versions, shadow levels, and the PSI of each feature against the previous period, named when known', () => {
    const bins = [
      row('sc-1#*', 1000, 1000),
      row('sc-1#0#A', 500, 800),
      row('sc-1#0#B', 500, 200),
      row('sc-1#1#A', 900, 900),
      row('sc-1#1#B', 100, 100),
      row('sc-0#*', 0, 500),
      row('sc-0#0#A', 0, 500),
    ];
    const shadow = [row('high→low sc-0', 12, 0), row('low→low sc-0', 900, 0)];
    const m = modelSection(shadow, bins, [{ version: 'sc-1', features: ['ip.identities.1h', 'flag.IP_DATACENTER'], psiThreshold: 0.2 }]);
    expect(m.versions).toEqual([{ version: 'sc-1', applications: 1000, alerts: 100 }]);
    expect(m.shadow.map((s) => [s.from, s.to, s.candidate, s.applications])).toEqual([
      ['low', 'low', 'sc-0', 900],
      ['high', 'low', 'sc-0', 12],
    ]);
    expect(m.shadowChanged).toBe(12);
    expect(m.drift.map((d) => [d.feature, d.drifted])).toEqual([
      ['ip.identities.1h', true],
      ['flag.IP_DATACENTER', false],
    ]);
    expect(m.drift[0]?.psi).toBeCloseTo((0.5 - 0.8) * Math.log(0.5 / 0.8) + (0.5 - 0.2) * Math.log(0.5 / 0.2), 10);
    expect(m.drift[1]?.psi).toBeCloseTo(0, 10);
    expect(modelSection([], [row('sc-9#0#A', 5, 5)]).drift[0]?.feature).toBe('feature #0');
  });
});
