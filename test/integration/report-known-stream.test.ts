import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleApp } from '../../src/console/app.js';
import { applicationAlertJson } from '../../src/domain/alert.js';
import type { Assessment } from '../../src/domain/assessment.js';
import { buildReport } from '../../src/reports/build.js';
import type { Report } from '../../src/reports/report.js';
import { apiSetup, startApi, type ApiSetup } from '../helpers/console-api.js';
import { dropTestSchemas, testPool } from '../helpers/postgres.js';
import { waitFor } from '../helpers/processor.js';
import { produceRaw } from '../helpers/services.js';
import { expected, trendStream, type TrendStream } from '../helpers/trend-stream.js';

/**
 * The trend report from a known stream on the real Kafka and PostgreSQL: 14 days of assessments (and their alerts,
 * and ring alerts) are produced; the console's rollup consumer counts them; the report over the last 7 days must
 * match the stream exactly, rank the injected burst (one partner, one region, data-centre IPs, on day 3) first in
 * "what changed", and not rank the big steady partner above it. The same report comes from `lendguard report`
 * (JSON, CSV, the daily folder) and from the console's authenticated URL.
 */
const run = promisify(execFile);
const repoRoot = new URL('../../', import.meta.url);
let setup: ApiSetup;
let app: ConsoleApp;
let base: string;
let pool: pg.Pool;
let stream: TrendStream;
let report: Report;

const inBurst = (a: Assessment): boolean => a.partnerId === 'partner-cash-app';
const BURST_KEYS = ['partner-cash-app', 'CN/Zhejiang', 'datacenter', 'AS37963 Alibaba', 'IP_DATACENTER', 'PROXY_BURST'];
const isBurstKey = (key: string): boolean => BURST_KEYS.some((k) => key.includes(k));

async function count(sql: string): Promise<number> {
  const r = await pool.query<{ n: string }>(sql);
  return Number(r.rows[0]?.n ?? 0);
}

async function rolledUp(): Promise<number> {
  const r = await pool.query<{ n: string | null }>("SELECT sum(applications) AS n FROM rollup_hourly WHERE dimension = 'all'");
  return Number(r.rows[0]?.n ?? 0);
}

beforeAll(async () => {
  setup = await apiSetup();
  ({ app, base } = await startApi(setup));
  pool = testPool(setup.schema);
  stream = trendStream();
  await produceRaw(setup.assessmentsTopic, [
    ...stream.assessments.map((a) => ({ key: a.applicationId, value: JSON.stringify(a) })),
    { key: 'poison', value: '{"schemaVersion":1,"broken":true}' },
  ]);
  const alerts = stream.assessments.filter((a) => a.alert).map((a) => ({ key: a.applicationId, value: applicationAlertJson(JSON.stringify(a)) }));
  await produceRaw(setup.topic, [...alerts, ...stream.rings.map((r) => ({ key: r.ringId, value: JSON.stringify(r) }))]);
  await waitFor(
    async () => (await rolledUp()) >= stream.assessments.length,
    120_000,
    () => 'the rollups did not count every assessment',
  );
  await waitFor(
    async () => (await count('SELECT count(*) AS n FROM ring_events')) >= stream.rings.length && (await count('SELECT count(*) AS n FROM dead_alerts')) >= 1,
    60_000,
    () => 'ring events missing',
  );
  await waitFor(
    async () => (await count("SELECT count(*) AS n FROM alerts WHERE kind = 'application'")) >= alerts.length,
    60_000,
    () => 'alerts missing',
  );
  // Labels: 25 burst alerts (20 fraud), and one fraud on an application that was not alerted.
  const burstAlerts = stream.assessments.filter((a) => inBurst(a) && a.alert).slice(0, 25);
  for (const [k, a] of burstAlerts.entries())
    await pool.query("INSERT INTO labels (application_id, label, author, created_at) VALUES ($1, $2, 'ana', $3::timestamptz + interval '30 minutes')", [
      a.applicationId,
      k < 20 ? 'fraud' : 'legit',
      a.assessedAt,
    ]);
  const quiet = stream.assessments.find((a) => !a.alert && Date.parse(a.eventTime) >= stream.fromMs) as Assessment;
  await pool.query("INSERT INTO labels (application_id, label, author, created_at) VALUES ($1, 'fraud', 'ana', now() - interval '1 hour')", [
    quiet.applicationId,
  ]);
  report = await buildReport(pool, {
    from: new Date(stream.fromMs).toISOString(),
    to: new Date(stream.toMs).toISOString(),
    topics: [setup.assessmentsTopic, setup.topic],
  });
}, 240_000);

afterAll(async () => {
  await app?.close();
  await pool?.end();
  await dropTestSchemas();
});

describe('trend report from a known stream', () => {
  it('counts the stream exactly: totals, each day, each partner, each rule, the baseline', () => {
    const all = expected(stream);
    expect(report.totals.applications).toBe(all.applications);
    expect(report.totals.alerts).toBe(all.alerts);
    const baseline = stream.assessments.filter((a) => Date.parse(a.eventTime) < stream.fromMs);
    expect(report.totals.baseline.applications).toBe(baseline.length);
    // Daily buckets are calendar days (UTC): 7 days from an hour that is not midnight touch 8 of them.
    expect(report.series).toHaveLength(stream.fromMs % 86_400_000 === 0 ? 7 : 8);
    for (const point of report.series) {
      const day = Date.parse(point.at);
      const e = expected(stream, (a) => Date.parse(a.eventTime) >= day && Date.parse(a.eventTime) < day + 86_400_000);
      expect([point.at, point.applications, point.alerts]).toEqual([point.at, e.applications, e.alerts]);
    }
    const partners = report.breakdowns.find((b) => b.dimension === 'partner');
    for (const p of ['partner-big', 'partner-cash-app', 'partner-3']) {
      const row = partners?.rows.find((r) => r.key === p);
      expect({ p, applications: row?.applications, alerts: row?.alerts }).toEqual({ p, ...expected(stream, (a) => a.partnerId === p) });
    }
    const rule = report.breakdowns.find((b) => b.dimension === 'rule')?.rows.find((r) => r.key === 'IP_DATACENTER');
    expect([rule?.applications, rule?.alerts]).toEqual([120, 108]);
    const degraded = expected(stream, (a) => a.degraded).applications;
    expect(report.totals.degraded).toBe(degraded);
    expect(report.deadRecords).toBe(1); // the poison record: kept in dead_alerts, never counted
  });

  it('ranks the injected burst first in what changed, and the big steady partner not above it', () => {
    const top = report.changes.flatMap((c) => c.changes.map((x) => ({ dimension: c.dimension, ...x }))).sort((a, b) => b.logRatioLow - a.logRatioLow);
    expect(isBurstKey(top[0]?.key ?? ''), JSON.stringify(top.slice(0, 3))).toBe(true);
    const partner = report.changes.find((c) => c.dimension === 'partner')?.changes ?? [];
    expect(partner[0]?.key).toBe('partner-cash-app');
    const big = partner.findIndex((c) => c.key === 'partner-big');
    expect(big === -1 || big > 0).toBe(true);
    expect(report.changes.find((c) => c.dimension === 'partnerRegion')?.changes[0]?.key).toBe('partner-cash-app × CN/Zhejiang');
    // The summary names the burst first (after the volume sentence), once, with its numbers and baseline.
    expect(report.summary[0]).toMatch(/applications were assessed in/);
    expect(isBurstKey(report.summary[1] ?? '')).toBe(true);
    expect(report.summary[1]).toMatch(/rose from none before to/);
  });

  it('reports the rings of the period, and quality from the labels', () => {
    expect([report.rings.formed, report.rings.grew, report.rings.touchedKnownFraud]).toEqual([1, 1, 0]);
    expect(report.rings.largest.map((r) => [r.ringId, r.size, r.growth])).toEqual([['ring:new', 9, 9]]);
    expect(report.rings.fastestGrowing[0]?.link).toBe('#/rings/ring%3Anew');
    const q = report.quality;
    expect([q.alerts, q.labelled, q.fraud, q.legit, q.missedFraud]).toEqual([expected(stream).alerts, 25, 20, 5, 1]);
    expect(q.byLevel.find((r) => r.key === 'high')?.precision).toBeCloseTo(0.8, 10);
    expect(q.byRule.find((r) => r.key === 'PROXY_BURST')).toMatchObject({ alerts: 108, labelled: 25, fraud: 20 });
    expect(q.timeToLabel.count).toBe(25);
    expect(q.timeToLabel.p50Minutes).toBeCloseTo(30, 5);
  });

  it('gives the same numbers through `lendguard report` (JSON, CSV, the daily folder) and the console URL', { timeout: 120_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lg-report-'));
    const period = ['--from', report.period.from, '--to', report.period.to];
    const env = { ...process.env, ...setup.env };
    const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/index.ts', 'report', ...period, ...args], { cwd: repoRoot, env });
    await cli(['--format', 'json', '--out', join(dir, 'r.json')]);
    const fromCli = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as Report & { format: string };
    expect(fromCli.format).toBe('lendguard.report.v1');
    expect(fromCli.totals).toEqual(report.totals);
    expect(fromCli.series).toEqual(report.series);
    expect(fromCli.changes).toEqual(report.changes);
    const csv = (await cli(['--format', 'csv'])).stdout;
    expect(csv.split('\n')[0]).toBe('section,dimension,key,bucket,metric,value');
    expect(csv).toContain(`totals,,period,,applications,${report.totals.applications}`);
    await cli(['--daily-dir', join(dir, 'daily')]);
    const day = join(dir, 'daily', report.period.from.slice(0, 10));
    expect(readFileSync(join(day, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
    expect((JSON.parse(readFileSync(join(day, 'report.json'), 'utf8')) as Report).totals).toEqual(report.totals);

    const url = `${base}/api/reports/trends?from=${encodeURIComponent(report.period.from)}&to=${encodeURIComponent(report.period.to)}&format=json`;
    expect((await fetch(url)).status).toBe(401);
    const res = await fetch(url, { headers: { authorization: `Bearer ${setup.tokens.vera}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Report).totals).toEqual(report.totals);
    const html = await fetch(url.replace('format=json', 'format=html'), { headers: { authorization: `Bearer ${setup.tokens.vera}` } });
    expect(html.headers.get('content-security-policy')).toContain('sandbox');
    const bad = await fetch(`${base}/api/reports/trends?since=7 days`, { headers: { authorization: `Bearer ${setup.tokens.vera}` } });
    expect(bad.status).toBe(400);
  });
});
