import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../../src/reports/report.js';
import { hbarChart, lineChart, niceScale, stackedBarChart } from '../../../src/reports/render/charts.js';
import { CSV_HEADER, renderCsv } from '../../../src/reports/render/csv.js';
import { count, esc, pct, ratio } from '../../../src/reports/render/format.js';
import { renderHtml } from '../../../src/reports/render/html.js';
import { CONTENT_TYPES, REPORT_FORMATS, render, type ReportFormat } from '../../../src/reports/render/index.js';
import { renderJson } from '../../../src/reports/render/json.js';
import { ringHref } from '../../../src/reports/render/sections.js';
import { change } from '../../../src/reports/trends.js';
import { emptyReport, HOSTILE_ASN, HOSTILE_PARTNER, QUOTED, sampleReport } from '../../helpers/report-fixture.js';

/** RFC 4180, independently of the renderer: quoted fields may hold commas, doubled quotes, CR and LF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') [field, i] = [field + '"', i + 1];
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') [row, field] = [[...row, field], ''];
    else if (c === '\n') [rows[rows.length], row, field] = [[...row, field], [], ''];
    else if (c === '\r') throw new Error('a bare CR outside quotes');
    else field += c;
  }
  if (quoted) throw new Error('an unterminated quoted field');
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}

type CsvRecord = Record<(typeof CSV_HEADER)[number], string>;
function csvRecords(text: string): CsvRecord[] {
  const [header, ...rows] = parseCsv(text);
  expect(header).toEqual([...CSV_HEADER]);
  return rows.map((r) => {
    expect(r).toHaveLength(CSV_HEADER.length);
    return Object.fromEntries(CSV_HEADER.map((h, i) => [h, r[i] ?? ''])) as CsvRecord;
  });
}

const svgs = (html: string): string[] => html.match(/<svg class="chart"[\s\S]*?<\/svg>/g) ?? [];
const chartNames = (html: string): string[] => svgs(html).map((s) => /data-chart="([^"]*)"/.exec(s)?.[1] ?? '');
const embedded = (html: string): unknown => JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? 'null');
/** The page without its two scripts (the embedded data and the static sort script). */
const page = (html: string): string => html.replace(/<script[\s\S]*?<\/script>/g, '');
const hrefs = (html: string): string[] => [...html.matchAll(/\shref="([^"]*)"/g)].map((m) => m[1] ?? '');

describe('HTML report', () => {
  const report = sampleReport();
  const html = renderHtml(report);

  it('has every section, in order, and the header and footer facts', () => {
    const headings = [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]);
    expect(headings).toEqual(['Summary', 'Volumes', 'What changed', 'Breakdowns', 'Rings', 'Quality', 'Model and shadow']);
    expect(html).toContain('<h1>Lendguard fraud trends</h1>');
    expect(html).toContain('the last 7 days');
    expect(html).toContain('2026-11-24 00:00 UTC');
    expect(html).toContain('2026-12-01 00:00 UTC');
    expect(html).toContain('daily');
    expect(html).toContain('2026-12-01 06:00 UTC'); // generated at
    expect(html).toMatch(/Dead records[^<]*: 3\./);
    expect(html).toContain('Numbers from the rollups; see docs/reports.md');
    for (const s of report.summary) expect(html).toContain(`<li>${esc(s)}</li>`);
  });

  it('draws one chart per volume series, per dimension that rose, per breakdown, and the ring sizes', () => {
    expect(chartNames(html)).toEqual([
      'volume',
      'alerts',
      'alert-rate',
      'levels',
      'change-rule',
      'change-asn',
      'breakdown-rule',
      'breakdown-partner',
      'breakdown-region',
      'breakdown-asn',
      'ring-sizes',
    ]);
    expect(html).toContain('Nothing rose beyond chance by partner.'); // a dimension with no rises says so
  });

  it('gives every chart a title, both axes labelled, and units', () => {
    for (const svg of svgs(html)) {
      expect(svg).toMatch(/^<svg class="chart" data-chart="[^"]+"[^>]* role="img" aria-label="[^"]+"/);
      expect(svg).toMatch(/<title>[^<]+<\/title>/);
      expect(svg).toContain('class="chart-title"');
      expect(svg.match(/class="axis-label"/g)).toHaveLength(2);
    }
    expect(html).toContain('applications, alerts per day');
    expect(html).toContain('alert rate (%)');
    expect(html).toContain('rate ratio, current ÷ baseline period (×, log scale)');
  });

  it('refers to nothing outside the file: no URL, no src, ring links relative', () => {
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\ssrc=/i);
    expect(html).not.toMatch(/url\(/i);
    expect(html).not.toMatch(/@import/i);
    expect(hrefs(html).length).toBeGreaterThan(0);
    for (const h of hrefs(html)) expect(h).toMatch(/^#\/rings\//);
  });

  it('makes ring links absolute with the console URL, and never a javascript: link', () => {
    const r = sampleReport({ consoleUrl: 'https://console.example.com/' });
    expect(hrefs(renderHtml(r))).toContain('https://console.example.com/#/rings/ring-7f3a');
    expect(ringHref(null, 'javascript:alert(1)')).toBeNull();
    expect(ringHref('javascript:', '#/rings/x')).toBeNull();
    const evil = sampleReport();
    evil.rings = { ...evil.rings, largest: evil.rings.largest.map((g) => ({ ...g, link: 'javascript:alert(1)' })) };
    expect(page(renderHtml(evil))).not.toContain('javascript:');
  });

  it('escapes hostile labels everywhere (partner ids, AS names, rule codes)', () => {
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('AS4134 &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.match(/<script/g)).toHaveLength(2); // the data and the sort script
    expect(html).toContain(esc(HOSTILE_PARTNER));
    const hostile = sampleReport({ title: '</script><img src=x onerror=alert(1)>', period: { ...report.period, label: '"><svg onload=alert(1)>' } });
    const out = renderHtml(hostile);
    expect(out).not.toMatch(/<img|<svg onload|onerror=alert\(1\)>/);
    expect(out.match(/<script/g)).toHaveLength(2);
    expect(embedded(out)).toEqual(hostile);
  });

  it('embeds the report as JSON that parses back to the report and cannot close its script', () => {
    expect(embedded(html)).toEqual(report);
    const data = /id="report-data">([\s\S]*?)<\/script>/.exec(html)?.[1] ?? '';
    expect(data).not.toMatch(/[<>&]/);
    expect(data).toContain('\\u003cscript\\u003e');
  });

  it('formats numbers: separators, sensible percentages, ratios', () => {
    expect(count(80_575)).toBe('80,575');
    expect(pct(0.061)).toBe('6.1%');
    expect(pct(0.004)).toBe('0.40%');
    expect(pct(0)).toBe('0%');
    expect(pct(0.00001)).toBe('<0.01%');
    expect(pct(null)).toBe('–');
    expect(ratio(608.4)).toBe('×608');
    expect(ratio(2.28)).toBe('×2.3');
    expect(html).toContain('80,575');
    expect(html).toContain('5.8%'); // the alert rate
    expect(html).toContain('0.32%'); // a small share
  });

  it('shows the region breakdown as a region table with a heat bar per row', () => {
    const table = /<table class="data sortable region-table">[\s\S]*?<\/table>/.exec(html)?.[0] ?? '';
    expect(table.match(/<tr>/g)).toHaveLength(1 + 6);
    expect(table.match(/class="heat-bar"/g)).toHaveLength(6);
  });

  it('renders the empty report without NaN, Infinity or undefined, and says there is no data', () => {
    const out = renderHtml(emptyReport());
    expect(page(out)).not.toMatch(/NaN|Infinity|undefined/);
    expect(out.match(/no data in the period/g)?.length).toBe(svgs(out).length);
    expect(out).toContain('Nothing rose beyond chance against the previous period of the same length.');
    expect(out).toContain('No rings in the period.');
    expect(embedded(out)).toEqual(emptyReport());
    const csv = renderCsv(emptyReport());
    expect(csv).not.toMatch(/NaN|Infinity|undefined/);
  });

  it('escapes any label: the page has the same markup as with a plain one, and embeds the report exactly (property)', () => {
    const withLabel = (key: string, label: string): Report => {
      const r = sampleReport();
      r.breakdowns = [{ dimension: 'partner', label, distinct: 1, rows: [{ key, label: key, applications: 10, alerts: 3, alertRate: 0.3, share: 1 }] }];
      r.changes = [{ dimension: 'partner', label, changes: [change({ key, current: 40, baseline: 1 }, { current: 1000, baseline: 1000 })] }];
      return r;
    };
    const tags = (html: string): number => page(html).split('<').length;
    const plain = tags(renderHtml(withLabel('k', 'b')));
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }), (a, b) => {
        const key = `${a}<${b}`;
        const r = withLabel(key, b);
        const out = renderHtml(r);
        expect(tags(out)).toBe(plain); // no text made a tag
        expect(out.match(/<script/g)).toHaveLength(2);
        expect(embedded(out)).toEqual(JSON.parse(JSON.stringify(r)));
        const rows = csvRecords(renderCsv(r)).filter((x) => x.section === 'breakdown' && x.metric === 'alerts');
        // the formula guard prefixes a quote only to a key that starts with = + - @ tab or CR (a key may start with ' itself)
        expect(rows.map((x) => x.key)).toEqual([/^[=+\-@\t\r]/.test(key) ? `'${key}` : key]);
      }),
      { numRuns: 200 },
    );
  });
});

describe('charts', () => {
  it('picks nice axes', () => {
    expect(niceScale(7, 5, true)).toEqual({ max: 8, step: 2 });
    expect(niceScale(12_870)).toEqual({ max: 15_000, step: 5000 });
    expect(niceScale(0.071)).toEqual({ max: 0.08, step: 0.02 });
    expect(niceScale(2, 5, true)).toEqual({ max: 2, step: 1 });
    expect(niceScale(0)).toEqual({ max: 1, step: 0.2 });
  });

  it('draws a single point as one labelled dot, and no points as "no data in the period"', () => {
    const one = lineChart({
      name: 'one',
      title: 'Alert rate per day',
      xLabel: 'day',
      yLabel: 'alert rate (%)',
      x: ['Nov 24'],
      series: [{ name: 'rate', values: [0.061] }],
      format: pct,
    });
    expect(one.match(/<circle/g)).toHaveLength(1);
    expect(one).toContain('>6.1%</text>');
    expect(one).not.toMatch(/NaN|Infinity/);
    for (const svg of [
      lineChart({ name: 'e', title: 't', xLabel: 'x', yLabel: 'y', x: [], series: [] }),
      stackedBarChart({ name: 'e', title: 't', xLabel: 'x', yLabel: 'y', x: ['a'], stacks: [{ name: 's', color: '#000', values: [0] }] }),
      hbarChart({ name: 'e', title: 't', xLabel: 'x', yLabel: 'y', rows: [] }),
      hbarChart({ name: 'e', title: 't', xLabel: 'x', yLabel: 'y', rows: [{ label: 'a', value: 0 }], scale: 'log' }),
    ]) {
      expect(svg).toContain('no data in the period');
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
  });

  it('stacks bars to the bucket total and shortens long labels, keeping them whole in the tooltip', () => {
    const svg = stackedBarChart({
      name: 's',
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      x: ['a', 'b'],
      stacks: [
        { name: 'low', color: '#111', values: [3, 0] },
        { name: 'high', color: '#222', values: [4, 5] },
      ],
    });
    expect(svg.match(/<rect[^>]*><title>/g)).toHaveLength(3); // not the legend's swatches
    expect(svg).toContain('>7</text>');
    const long = 'x'.repeat(80);
    const bars = hbarChart({ name: 'h', title: 't', xLabel: 'x', yLabel: 'y', rows: [{ label: long, value: 3 }] });
    expect(bars).toContain(`<title>${long}: 3</title>`);
    expect(bars).toContain(`>${'x'.repeat(24)}…</text>`);
  });

  it('draws ratios on a log scale from ×1', () => {
    const svg = hbarChart({
      name: 'r',
      title: 't',
      xLabel: 'ratio',
      yLabel: 'rule',
      rows: [
        { label: 'a', value: 608 },
        { label: 'b', value: 1.1 },
      ],
      scale: 'log',
    });
    const ticks = [...svg.matchAll(/text-anchor="middle" fill="#555">([\d.,]+)<\/text>/g)].map((m) => m[1]);
    expect(ticks).toEqual(['1', '10', '100', '1,000']);
  });
});

describe('CSV report', () => {
  const report = sampleReport();
  const csv = renderCsv(report);
  const records = csvRecords(csv);
  const value = (f: Partial<CsvRecord>): number => {
    const hits = records.filter((r) => Object.entries(f).every(([k, v]) => r[k as keyof CsvRecord] === v));
    expect(hits, JSON.stringify(f)).toHaveLength(1);
    return Number(hits[0]?.value);
  };

  it('is one tidy table with LF line ends', () => {
    expect(csv.startsWith('section,dimension,key,bucket,metric,value\n')).toBe(true);
    expect(csv.endsWith('\n')).toBe(true);
    expect(new Set(records.map((r) => r.section))).toEqual(new Set(['totals', 'series', 'breakdown', 'change', 'rings', 'quality', 'model']));
  });

  it('carries the totals and the series numbers of the report, unformatted', () => {
    const t = report.totals;
    expect(value({ section: 'totals', key: 'period', metric: 'applications' })).toBe(t.applications);
    expect(value({ section: 'totals', key: 'period', metric: 'alerts' })).toBe(t.alerts);
    expect(value({ section: 'totals', key: 'period', metric: 'alert_rate' })).toBe(t.alertRate); // full precision
    expect(value({ section: 'totals', key: 'period', metric: 'critical' })).toBe(t.levels.critical);
    expect(value({ section: 'totals', key: 'period', metric: 'degraded' })).toBe(t.degraded);
    expect(value({ section: 'totals', key: 'period', metric: 'dead_records' })).toBe(report.deadRecords);
    expect(value({ section: 'totals', key: 'baseline', metric: 'alert_rate' })).toBe(t.baseline.alertRate);
    for (const p of report.series) {
      expect(value({ section: 'series', bucket: p.at, metric: 'applications' })).toBe(p.applications);
      expect(value({ section: 'series', bucket: p.at, metric: 'alerts' })).toBe(p.alerts);
      expect(value({ section: 'series', bucket: p.at, metric: 'alert_rate' })).toBe(p.alertRate);
      expect(value({ section: 'series', bucket: p.at, metric: 'low' })).toBe(p.levels.low);
      expect(value({ section: 'series', bucket: p.at, metric: 'degraded' })).toBe(p.degraded);
    }
    expect(records.filter((r) => r.section === 'series')).toHaveLength(report.series.length * 8);
  });

  it('carries breakdowns, changes, rings and quality', () => {
    expect(value({ section: 'breakdown', dimension: 'region', key: 'CN/Beijing', metric: 'alerts' })).toBe(410);
    expect(value({ section: 'breakdown', dimension: 'asn', metric: 'distinct' })).toBe(212);
    const c = report.changes[0]?.changes[0];
    expect(value({ section: 'change', dimension: 'rule', key: 'IP_DATACENTER', metric: 'z' })).toBe(c?.z);
    expect(value({ section: 'change', dimension: 'rule', key: 'IP_DATACENTER', metric: 'log_ratio_low' })).toBe(c?.logRatioLow);
    expect(value({ section: 'rings', dimension: 'largest', key: 'ring-7f3a', metric: 'size' })).toBe(31);
    expect(value({ section: 'rings', metric: 'formed' })).toBe(4);
    expect(value({ section: 'quality', metric: 'time_to_label_p50_minutes' })).toBe(42.5);
    expect(value({ section: 'model', metric: 'psi', key: 'sc-20261201-9e33384acf ip.identities.1h' })).toBe(0.41);
    expect(records.find((r) => r.dimension === 'rule' && r.key === 'PHONE_VOIP' && r.metric === 'precision')?.value).toBe(''); // nothing labelled
  });

  it('quotes per RFC 4180: a key with quotes, a comma and a newline comes back whole', () => {
    expect(csv).toContain('"AS64500 ""Quoted"", Inc.\nsecond line"');
    expect(records.some((r) => r.key === QUOTED)).toBe(true);
    expect(records.some((r) => r.key === HOSTILE_ASN)).toBe(true);
  });

  it('defuses formula injection: a text field starting with = + - @ tab or CR gets a leading quote', () => {
    const keys = new Set(records.filter((r) => r.dimension === 'partner').map((r) => r.key));
    expect(keys).toContain(`'${HOSTILE_PARTNER}`);
    expect(keys).toContain("'+44 broker");
    expect(keys).toContain("'@mention-partner");
    expect(keys).not.toContain(HOSTILE_PARTNER);
    const r = sampleReport();
    r.breakdowns = [
      {
        dimension: 'partner',
        label: 'partner',
        distinct: 3,
        rows: ['-2+3', '\tx', '\ry'].map((key) => ({ key, label: key, applications: 1, alerts: 0, alertRate: 0, share: 0 })),
      },
    ];
    const ks = csvRecords(renderCsv(r))
      .filter((x) => x.section === 'breakdown' && x.metric === 'alerts')
      .map((x) => x.key);
    expect(ks).toEqual(["'-2+3", "'\tx", "'\ry"]);
    // a locale that splits on ; would cut "a;=HYPERLINK(…)" into a formula cell: quoted, it stays one field
    r.breakdowns[0]!.rows = [{ key: 'a;=HYPERLINK("x")', label: 'a', applications: 1, alerts: 0, alertRate: 0, share: 0 }];
    expect(renderCsv(r)).toContain('"a;=HYPERLINK(""x"")"');
    // numbers stay numbers: a negative value is not prefixed
    r.changes = [{ dimension: 'rule', label: 'rule', changes: [change({ key: 'k', current: 1, baseline: 50 }, { current: 1000, baseline: 1000 })] }];
    expect(csvRecords(renderCsv(r)).find((x) => x.section === 'change' && x.metric === 'z')?.value).toMatch(/^-\d/);
  });
});

describe('JSON report and the format switch', () => {
  it('round-trips, with the format first and a trailing newline', () => {
    const report = sampleReport();
    const json = renderJson(report);
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.startsWith('{\n  "format": "lendguard.report.v1",\n')).toBe(true);
    const { format, ...rest } = JSON.parse(json) as Report & { format: string };
    expect(format).toBe('lendguard.report.v1');
    expect(rest).toEqual(report);
  });

  it('renders each format with its content type', () => {
    const report = sampleReport();
    expect(REPORT_FORMATS).toEqual(['html', 'csv', 'json']);
    expect(render(report, 'html')).toBe(renderHtml(report));
    expect(render(report, 'csv')).toBe(renderCsv(report));
    expect(render(report, 'json')).toBe(renderJson(report));
    expect(CONTENT_TYPES).toEqual({ html: 'text/html; charset=utf-8', csv: 'text/csv; charset=utf-8', json: 'application/json; charset=utf-8' });
    expect(() => render(report, 'pdf' as ReportFormat)).toThrow(RangeError);
  });
});
