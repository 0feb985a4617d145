/**
 * Report fixtures for the renderers' tests (test/unit/reports/render.test.ts, test/integration/report-html.test.ts):
 * `sampleReport()` is a realistic week in daily buckets, consistent the way src/reports/build.ts makes it (totals
 * are the series' sums, levels count assessments, alerts are high + critical, rates and shares are the counts'
 * ratios, "what changed" comes from trends.ts' `change()`), with labels an attacker controls: an AS organisation
 * `<script>alert(1)</script>`, a partner id `=cmd|' /C calc'!A0` and a value with quotes, a comma and a newline.
 * `emptyReport()` is the same period with no applications at all.
 */
import type { Breakdown, BreakdownRow, DimensionName, Report, RingRow, SeriesPoint } from '../../src/reports/report.js';
import { change, type Change } from '../../src/reports/trends.js';

export const HOSTILE_ASN = 'AS4134 <script>alert(1)</script>';
export const HOSTILE_PARTNER = "=cmd|' /C calc'!A0";
export const QUOTED = 'AS64500 "Quoted", Inc.\nsecond line';

const DAY = 86_400_000;
const FROM = Date.parse('2026-11-24T00:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();

const APPLICATIONS = [11_820, 12_210, 12_455, 11_990, 12_870, 9_820, 9_410];
const RATES = [0.048, 0.05, 0.052, 0.058, 0.064, 0.069, 0.071];
const DEGRADED = [3, 0, 12, 5, 1, 0, 2];
const BASELINE = { applications: 78_940, alerts: 3_710 };

function point(i: number): SeriesPoint {
  const applications = APPLICATIONS[i] ?? 0;
  const alerts = Math.round(applications * (RATES[i] ?? 0));
  const critical = Math.round(alerts * 0.3);
  const medium = Math.round(applications * 0.11);
  const levels = { low: applications - medium - alerts, medium, high: alerts - critical, critical };
  return { at: iso(FROM + i * DAY), applications, alerts, alertRate: alerts / applications, levels, degraded: DEGRADED[i] ?? 0 };
}

const SERIES = APPLICATIONS.map((_, i) => point(i));
const sum = (f: (p: SeriesPoint) => number): number => SERIES.reduce((s, p) => s + f(p), 0);
const TOTAL = sum((p) => p.applications);
const ALERTS = sum((p) => p.alerts);

const row = (key: string, applications: number, alerts: number, label = key): BreakdownRow => ({
  key,
  label,
  applications,
  alerts,
  alertRate: applications > 0 ? alerts / applications : 0,
  share: applications / TOTAL,
});

const breakdown = (dimension: DimensionName, label: string, distinct: number, rows: BreakdownRow[]): Breakdown => ({ dimension, label, distinct, rows });

const ring = (ringId: string, pattern: RingRow['pattern'], size: number, growth: number, knownFraud: number, firstDay: number): RingRow => ({
  ringId,
  pattern,
  size,
  growth,
  knownFraud,
  firstSeen: iso(FROM - firstDay * DAY + 3_600_000 * 9),
  lastEventAt: iso(FROM + 6 * DAY + 3_600_000 * 15),
  link: `#/rings/${encodeURIComponent(ringId)}`,
});

const changes = (pairs: [string, number, number][]): Change[] =>
  pairs.map(([key, current, baseline]) => change({ key, current, baseline }, { current: TOTAL, baseline: BASELINE.applications }));

export function sampleReport(overrides: Partial<Report> = {}): Report {
  const report: Report = {
    title: 'Lendguard fraud trends',
    generatedAt: '2026-12-01T06:00:12.345Z',
    period: { from: iso(FROM), to: iso(FROM + 7 * DAY), bucket: 'day', baselineFrom: iso(FROM - 7 * DAY), label: 'the last 7 days' },
    summary: [
      `${TOTAL.toLocaleString('en')} applications were assessed in the last 7 days and ${((ALERTS / TOTAL) * 100).toFixed(1)}% (${ALERTS.toLocaleString('en')}) alerted, against 4.70% of 78,940 the period before.`,
      'Alerts with rule IP_DATACENTER rose from 0.05% (38) to 0.65% (520) of applications in the last 7 days (×13, z = 22.0).',
      `Alerts with network (AS) ${HOSTILE_ASN} rose from none before to 0.38% (310) of applications in the last 7 days (×608, z = 20.6).`,
      'Alerts with rule DEVICE_EMULATOR rose from 0.08% (60) to 0.17% (140) of applications in the last 7 days (×2.3, z = 5.6).',
    ],
    totals: {
      applications: TOTAL,
      alerts: ALERTS,
      alertRate: ALERTS / TOTAL,
      levels: { low: sum((p) => p.levels.low), medium: sum((p) => p.levels.medium), high: sum((p) => p.levels.high), critical: sum((p) => p.levels.critical) },
      degraded: sum((p) => p.degraded),
      baseline: { ...BASELINE, alertRate: BASELINE.alerts / BASELINE.applications },
    },
    series: SERIES,
    breakdowns: [
      breakdown('rule', 'rule', 14, [
        row('VELOCITY_EMAIL', 2_410, 1_620),
        row('IP_DATACENTER', 980, 520),
        row('NAME_MISMATCH', 3_120, 410),
        row('DEVICE_EMULATOR', 260, 140),
        row('PHONE_VOIP', 1_450, 95),
      ]),
      breakdown('partner', 'partner', 6, [
        row('partner-acme-loans', 31_200, 1_740),
        row('partner-bluebank', 24_870, 1_310),
        row(HOSTILE_PARTNER, 3_900, 690),
        row('+44 broker', 12_400, 520),
        row('@mention-partner', 8_205, 330),
      ]),
      breakdown('region', 'IP region', 41, [
        row('RO/Bucharest', 4_210, 560),
        row('US/Virginia', 6_020, 480),
        row('CN/Beijing', 1_930, 410),
        row('DE/Hesse', 18_400, 390),
        row('NL/North Holland', 5_120, 300),
        row('GB/England', 22_300, 280),
      ]),
      breakdown('asn', 'network (AS)', 212, [
        row('AS14061 DigitalOcean, LLC', 2_980, 590),
        row(HOSTILE_ASN, 1_020, 310),
        row('AS16509 Amazon.com, Inc.', 3_400, 270),
        row(QUOTED, 410, 60),
        row('AS3320 Deutsche Telekom AG', 19_800, 240),
      ]),
    ],
    changes: [
      {
        dimension: 'rule',
        label: 'rule',
        changes: changes([
          ['IP_DATACENTER', 520, 38],
          ['DEVICE_EMULATOR', 140, 60],
          ['VELOCITY_EMAIL', 1_620, 1_420],
        ]),
      },
      {
        dimension: 'asn',
        label: 'network (AS)',
        changes: changes([
          [HOSTILE_ASN, 310, 0],
          ['AS14061 DigitalOcean, LLC', 590, 240],
        ]),
      },
      { dimension: 'partner', label: 'partner', changes: [] },
    ],
    rings: {
      formed: 4,
      grew: 9,
      touchedKnownFraud: 2,
      sizes: [
        { range: '2–4', rings: 23 },
        { range: '5–9', rings: 8 },
        { range: '10–19', rings: 3 },
        { range: '20–49', rings: 1 },
        { range: '50+', rings: 0 },
      ],
      largest: [ring('ring-7f3a', 'ring', 31, 12, 4, 20), ring('burst-19c2', 'burst', 17, 17, 0, 0), ring('ring-0b44', 'ring', 12, 2, 1, 45)],
      fastestGrowing: [ring('burst-19c2', 'burst', 17, 17, 0, 0), ring('ring-7f3a', 'ring', 31, 12, 4, 20)],
    },
    quality: {
      alerts: ALERTS,
      labelled: 1_210,
      labelledShare: 1_210 / ALERTS,
      fraud: 830,
      legit: 380,
      byLevel: [
        { key: 'critical', alerts: Math.round(ALERTS * 0.3), labelled: 720, fraud: 610, precision: 610 / 720 },
        { key: 'high', alerts: ALERTS - Math.round(ALERTS * 0.3), labelled: 490, fraud: 220, precision: 220 / 490 },
      ],
      byRule: [
        { key: 'VELOCITY_EMAIL', alerts: 1_620, labelled: 420, fraud: 300, precision: 300 / 420 },
        { key: 'IP_DATACENTER', alerts: 520, labelled: 210, fraud: 190, precision: 190 / 210 },
        { key: 'PHONE_VOIP', alerts: 95, labelled: 0, fraud: 0, precision: null },
      ],
      missedFraud: 17,
      timeToLabel: { count: 1_210, p50Minutes: 42.5, p90Minutes: 611 },
    },
    model: {
      versions: [{ version: 'sc-20261201-9e33384acf', applications: 80_575, alerts: 4_691 }],
      shadow: [
        { from: 'low', to: 'low', candidate: 'sc-20261202-d82dd59221', applications: 74_120 },
        { from: 'high', to: 'critical', candidate: 'sc-20261202-d82dd59221', applications: 412 },
        { from: 'low', to: 'high', candidate: 'sc-20261202-d82dd59221', applications: 87 },
      ],
      shadowChanged: 499,
      drift: [
        { version: 'sc-20261201-9e33384acf', feature: 'ip.identities.1h', psi: 0.41, drifted: true },
        { version: 'sc-20261201-9e33384acf', feature: 'flag.IP_DATACENTER', psi: 0.03, drifted: false },
      ],
    },
    deadRecords: 3,
    consoleUrl: null,
  };
  return { ...report, ...overrides };
}

/** The same period with no applications at all: zero buckets (build.ts fills every bucket), no rows, no rises. */
export function emptyReport(): Report {
  const s = sampleReport();
  const zero = { low: 0, medium: 0, high: 0, critical: 0 };
  return {
    ...s,
    summary: ['No applications were assessed in the last 7 days.', 'Nothing rose beyond chance against the previous period of the same length.'],
    totals: { applications: 0, alerts: 0, alertRate: 0, levels: zero, degraded: 0, baseline: { applications: 0, alerts: 0, alertRate: 0 } },
    series: s.series.map((p) => ({ ...p, applications: 0, alerts: 0, alertRate: 0, levels: zero, degraded: 0 })),
    breakdowns: s.breakdowns.map((b) => ({ ...b, rows: [], distinct: 0 })),
    changes: s.changes.map((c) => ({ ...c, changes: [] })),
    rings: { formed: 0, grew: 0, touchedKnownFraud: 0, sizes: s.rings.sizes.map((r) => ({ ...r, rings: 0 })), largest: [], fastestGrowing: [] },
    quality: {
      alerts: 0,
      labelled: 0,
      labelledShare: 0,
      fraud: 0,
      legit: 0,
      byLevel: [],
      byRule: [],
      missedFraud: 0,
      timeToLabel: { count: 0, p50Minutes: null, p90Minutes: null },
    },
    model: { versions: [], shadow: [], shadowChanged: 0, drift: [] },
    deadRecords: 0,
  };
}
