/** The report bench's result file (bench/results/reports.md) and the summary it prints. */
import type { Settings } from '../reports.bench.js';
import type { FillResult } from './fill.js';
import type { ConsumeResult, ProduceResult } from './rollups.js';
import { median, queryMedians, type Explained, type PeriodTiming } from './timing.js';
import type { WhatIf } from './whatif.js';

export interface ReportsBenchResult {
  startedAt: string;
  machine: Record<string, string | number>;
  postgres: Record<string, string>;
  load: { start: number[]; end: number[] };
  settings: Settings;
  command: string;
  rollups: { produced: ProduceResult; consumed: ConsumeResult[] } | null;
  report: { filled: FillResult; periods: PeriodTiming[]; explained: Explained[]; whatIf?: WhatIf[] } | null;
}

/** Other results shown beside the run: part 1 again with the batch sizes in the other order (`--results`). */
export interface Companions {
  orderCheck?: { name: string; result: ReportsBenchResult };
  /** an earlier run, on older code */
  previous?: { name: string; result: ReportsBenchResult; code: string };
}

const f0 = (n: number | null | undefined): string => (n === null || n === undefined || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en'));
const f1 = (n: number | null | undefined): string => (n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(1));
const f2 = (n: number | null | undefined): string => (n === null || n === undefined || Number.isNaN(n) ? '–' : n.toFixed(2));
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;
const size = (b: number): string => (b >= 2 ** 30 ? `${(b / 2 ** 30).toFixed(2)} GiB` : mib(b));
const sec = (ms: number): string => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

export function markdown(r: ReportsBenchResult, companions: Companions = {}): string {
  const m = r.machine;
  const pgs = r.postgres;
  return [
    '# Fraud-trend report: rollups and report builder',
    '',
    `\`${r.command}\`, ${r.startedAt}. Machine: ${String(m.cpu)}, ${String(m.cores)} cores, ${String(m.memGiB)} GiB, Node ${String(m.node)}, ${String(m.platform)}, commit ${String(m.commit)}. ` +
      `PostgreSQL ${pgs.version} (shared_buffers ${pgs.shared_buffers}, work_mem ${pgs.work_mem}, max_parallel_workers_per_gather ${pgs.max_parallel_workers_per_gather}, jit ${pgs.jit}); ` +
      'Kafka single-node on 127.0.0.1:9092 (scripts/kafka.sh). The machine is shared: the broker, PostgreSQL, the bench (which runs the rollup consumer and the report ' +
      `builder in-process) and any other work use the same cores, so every time is noisy; load average (1, 5, 15 min) at the start ${r.load.start.map(f2).join(', ')}, ` +
      `at the end ${r.load.end.map(f2).join(', ')}.`,
    '',
    `Settings: --count ${f0(r.settings.count)}, --days ${r.settings.days}, --per-day ${f0(r.settings.perDay)}, --batch-sizes ${r.settings.batchSizes.join(',')}, ` +
      `--alerts-per-day ${f0(r.settings.alertsPerDay)}, --runs ${r.settings.runs}${r.settings.only ? `, --only ${r.settings.only}` : ''}; ` +
      (r.settings.modelFeatures > 0
        ? `every assessment carries a model stage of ${r.settings.modelFeatures} features (--model-features), so each also counts ${r.settings.modelFeatures + 1} modelBin cells.`
        : 'no model stage (the default config: the rules decide), so no shadow or modelBin cells.'),
    '',
    ...(r.rollups ? rollupsSection(r.rollups.produced, r.rollups.consumed) : ['## 1. Rollup consumer', '', 'Not run (--only report).', '']),
    ...(r.report ? reportSection(r.report, r.settings) : ['## 2. Report', '', 'Not run (--only rollups).', '']),
    ...findings(r, companions),
  ].join('\n');
}

function rollupsSection(p: ProduceResult, cs: ConsumeResult[]): string[] {
  const col = (f: (c: ConsumeResult) => string): string => `| ${cs.map(f).join(' | ')} |`;
  const first = cs[0];
  const hours = 24; // event time spans exactly 24 whole hours
  return [
    `## 1. Rollup consumer at ${f0(p.count)} assessments`,
    '',
    `A fresh assessments topic and alerts topic (${3} partitions each), the synthetic stream of bench/reports/stream.ts: 200 partners (Zipf share), 30 provinces of CN and ` +
      '6 other countries, 10 ASNs (5 data-centre), ≈ 5 % alerted with 1–3 of 40 rule codes, device types and OSes, bots / headless / emulators; event time spread evenly over ' +
      `${p.eventTime.from} – ${p.eventTime.to}, in order. Contract-checked before producing: the first ${f0(p.validated)} assessments, their application alerts, every ring alert. ` +
      'Produced in requests under 1 MB, acks=-1, 2 in flight, partitions round robin; then the rollup consumer (`createRollups`, in this process, its own pool from `createPool`) ' +
      'runs on a fresh schema and consumer group per maxBatchSize, one after the other, from the start of the topics.',
    '',
    '| produce | value |',
    '|---|---:|',
    `| assessments | ${f0(p.count)} (${mib(p.bytes)}, ${f0(p.avgRecordBytes)} B each, ${f0(p.expected.alerts)} alerted = ${((100 * p.expected.alerts) / p.count).toFixed(2)} %) |`,
    `| requests / largest request | ${f0(p.requests)} / ${f0(p.maxRequestBytes)} B |`,
    `| assessments produce time (wall, first generated → last ack) | ${f1(p.produceSeconds)} s = ${f0(p.count / p.produceSeconds)} records/s, ${f1(p.bytes / 2 ** 20 / p.produceSeconds)} MiB/s |`,
    `| of which generating and serialising (this process) | ${f1(p.generateSeconds)} s |`,
    `| alerts topic: application alerts + ring alerts | ${f0(p.applicationAlerts)} + ${f0(p.rings)} (${mib(p.alertBytes)}) in ${f1(p.alertsSeconds)} s |`,
    '',
    `| rollups | ${cs.map((c) => `maxBatchSize ${c.maxBatchSize}`).join(' | ')} |`,
    `|---|${cs.map(() => '---:').join('|')}|`,
    col((c) => `${f0(c.counted)} of ${f0(c.count)} ${c.exact ? '(exact, every dimension)' : '**(NOT EXACT)**'}${c.fatal ? ` fatal: ${c.fatal}` : ''}`).replace(
      /^\|/,
      '| counted |',
    ),
    col((c) => `${f1(c.seconds)} s`).replace(/^\|/, '| wall time, start() → exact count |'),
    col((c) => f0(c.recordsPerSecond)).replace(/^\|/, '| records/s, overall |'),
    col((c) => f0(c.steadyPerSecond)).replace(/^\|/, '| records/s, steady (10 % → 90 % of the count) |'),
    col((c) => `${f0(c.cpuUsPerRecord.bench)} (user ${f0(c.cpuUsPerRecord.benchUser)}, system ${f0(c.cpuUsPerRecord.benchSystem)})`).replace(
      /^\|/,
      '| CPU µs/record: this process (process.cpuUsage) |',
    ),
    col((c) => `${f0(c.cpuUsPerRecord.postgres)} (${c.postgresBackends} backends)`).replace(/^\|/, "| CPU µs/record: the consumer's PostgreSQL backends |"),
    col((c) => f0(c.cpuUsPerRecord.broker)).replace(/^\|/, '| CPU µs/record: the broker (shared) |'),
    col((c) => `${f0(c.chunks.count)}; ${f0(c.chunks.sizeP50)} / ${f0(c.chunks.sizeMax)}`).replace(
      /^\|/,
      '| assessment chunks (transactions); records per chunk p50 / max |',
    ),
    col((c) => `${sec(c.chunks.secondsMean * 1000)}; ${c.chunks.secondsP50} s / ${c.chunks.secondsP99} s`).replace(
      /^\|/,
      '| chunk time (decode + store) mean; p50 / p99 (bucket bounds) |',
    ),
    col(
      (c) => `${f0(c.ringEvents.stored)} of ${f0(c.ringEvents.expected)}${c.ringEvents.seconds === null ? '' : ` after ${f1(c.ringEvents.seconds)} s`}`,
    ).replace(/^\|/, '| ring events stored |'),
    col((c) => f0(c.dead)).replace(/^\|/, '| dead records |'),
    col((c) => f0(c.table.rows)).replace(/^\|/, '| rollup_hourly rows |'),
    col(
      (c) =>
        `${size(c.table.totalBytes)} (heap ${size(c.table.heapBytes)}, indexes ${size(c.table.indexBytes)}); ${f0(c.table.totalBytes / c.table.rows)} B/row`,
    ).replace(/^\|/, '| rollup_hourly size (pg_total_relation_size) |'),
    '',
    ...(first
      ? [
          `Rows and sums per dimension (maxBatchSize ${first.maxBatchSize}; every run gave the same rows: ${cs.every((c) => JSON.stringify(c.rowsByDimension) === JSON.stringify(first.rowsByDimension)) ? 'yes' : '**no**'}); expected sums are counted by the generator, not by src/reports/dimensions.ts:`,
          '',
          '| dimension | rows | rows per hour | sum(applications) | expected | sum(alerts) | expected | |',
          '|---|---:|---:|---:|---:|---:|---:|---|',
          ...first.checks.map(
            (c) =>
              `| ${c.dimension} | ${f0(first.rowsByDimension[c.dimension])} | ${f0((first.rowsByDimension[c.dimension] ?? 0) / hours)} | ${f0(c.applications)} | ${f0(c.expected)} | ${f0(c.alerts)} | ${f0(c.expectedAlerts)} | ${c.ok ? 'ok' : '**differs**'} |`,
          ),
          '',
        ]
      : []),
  ];
}

function reportSection(r: NonNullable<ReportsBenchResult['report']>, s: Settings): string[] {
  const f = r.filled;
  const dims = Object.keys(f.rowsByDimension).sort((a, b) => (f.rowsByDimension[b] ?? 0) - (f.rowsByDimension[a] ?? 0));
  const hours = f.daysFilled * 24;
  const periods = r.periods;
  const best = (p: PeriodTiming) => (p.untimedRuns.length > 0 ? p.untimedRuns : p.runs).filter((x) => x.ok);
  const stepNames = [...new Set(periods.flatMap((p) => best(p).flatMap((x) => x.steps.map((st) => st.step))))];
  const stepMedian = (p: PeriodTiming, step: string): number => median(best(p).map((x) => x.steps.find((st) => st.step === step)?.ms ?? Number.NaN));
  const queryNames = [...new Set(periods.flatMap((p) => queryMedians(p).map((q) => q.name)))];
  return [
    `## 2. Report over ${s.days} days at ${f0(s.perDay)} applications a day`,
    '',
    `Fill (${f.fromIso} – ${f.toIso}, ${f.daysFilled} days: the reported ${s.days} and the ${s.days} before them, which "what changed" reads): ${f.method}. ` +
      `Templates: ${f.templates.map((t) => `${t.name} ${f0(t.applications)} assessments (${f0(t.alerts)} alerted) → ${f0(t.cells)} cells in ${f1(t.seconds)} s`).join('; ')}. ` +
      `Filling took ${f0(f.fillSeconds)} s, VACUUM (ANALYZE) ${f0(f.vacuumSeconds)} s. Also: ${f0(f.ringEvents)} ring events (the real decoder and insert), ` +
      `${f0(f.alerts)} console alerts (lightly: ${f0(s.alertsPerDay)} a day with an empty payload, where real traffic would give ≈ 5 % of ${f0(s.perDay)}), ` +
      `${f0(f.labels)} labels, ${f0(f.dead)} dead records.`,
    '',
    `rollup_hourly: ${f0(f.table.rows)} rows, ${size(f.table.totalBytes)} (heap ${size(f.table.heapBytes)}, indexes ${size(f.table.indexBytes)}).`,
    '',
    '| dimension | rows per hour (one template hour) | rows in the table | rows per hour (table) |',
    '|---|---:|---:|---:|',
    ...dims.map((d) => `| ${d} | ${f0(f.perHourByDimension[d])} | ${f0(f.rowsByDimension[d])} | ${f0((f.rowsByDimension[d] ?? 0) / hours)} |`),
    `| **all dimensions** | ${f0(Object.values(f.perHourByDimension).reduce((a, b) => a + b, 0))} | ${f0(f.table.rows)} | ${f0(f.table.rows / hours)} |`,
    '',
    `buildReport (the console's pool from createPool, statement timeout 30 s as in production; ${s.runs} runs each; \`nowMs\` the fill's, so the periods end at the end of the filled data):`,
    '',
    '| --since | builds | min | median | applications (baseline) | identifier values | top "what changed" |',
    '|---|---|---:|---:|---:|---:|---|',
    ...periods.map((p) => {
      const ok = best(p).map((x) => x.ms);
      const failed = p.runs.filter((x) => !x.ok);
      const note =
        failed.length > 0
          ? `${failed.length} of ${p.runs.length} **failed** (${failed[0]?.error ?? ''}); ${p.untimedRuns.length > 0 ? `times below without the timeout (${p.untimedRuns.filter((x) => x.ok).length} ok)` : ''}`
          : `${p.runs.length} ok`;
      return `| ${p.since} | ${note} | ${sec(Math.min(...ok))} | ${sec(median(ok))} | ${f0(p.report?.applications)} (${f0(p.report?.baselineApplications)}) | ${f0(p.report?.identifierDistinct)} | ${p.report?.topChange ?? '–'} |`;
    }),
    '',
    'Steps of the build: when each was done (from `onProgress`), median ms since the build started. buildReport runs the 12 dimension queries 3 at a time, so ' +
      'those steps overlap and finish in the order their queries do; the other steps run one after the other:',
    '',
    `| step | ${periods.map((p) => p.since).join(' | ')} |`,
    `|---|${periods.map(() => '---:').join('|')}|`,
    ...stepNames.map((st) => `| ${st} | ${periods.map((p) => f0(stepMedian(p, st))).join(' | ')} |`),
    '',
    'Every query (median ms; rows returned):',
    '',
    `| query | ${periods.map((p) => p.since).join(' | ')} |`,
    `|---|${periods.map(() => '---:').join('|')}|`,
    ...queryNames.map(
      (q) =>
        `| ${q} | ${periods
          .map((p) => {
            const x = queryMedians(p).find((y) => y.name === q);
            return x ? `${f0(x.medianMs)} (${f0(x.rows)})` : '–';
          })
          .join(' | ')} |`,
    ),
    '',
    'Render (`render(report, format)`; median of the runs; bytes):',
    '',
    `| format | ${periods.map((p) => p.since).join(' | ')} |`,
    `|---|${periods.map(() => '---:').join('|')}|`,
    ...['html', 'csv', 'json'].map(
      (fmt) =>
        `| ${fmt} | ${periods
          .map((p) => {
            const x = p.rendered.find((y) => y.format === fmt);
            return x ? `${f1(median(x.ms))} ms, ${f0(x.bytes)} B` : '–';
          })
          .join(' | ')} |`,
    ),
    '',
    ...r.explained.flatMap((e) => [
      `### EXPLAIN (ANALYZE, BUFFERS): ${e.name}, --since ${e.since} (median ${sec(e.medianMs)} in the builds)`,
      '',
      `Parameters: \`${e.params}\``,
      '',
      '```',
      e.sql,
      '',
      e.plan,
      '```',
      '',
    ]),
    ...whatIfSection(r),
  ];
}

function whatIfSection(r: NonNullable<ReportsBenchResult['report']>): string[] {
  const wi = r.whatIf ?? [];
  if (wi.length === 0) return [];
  return [
    `### What if (--since ${wi[0]?.since ?? ''}; bench/reports/whatif.ts, on the same data, no statement timeout)`,
    '',
    'Each change against the query as the code runs it today, alone on a pool of the same kind (so "before" is lower than the build\'s median above, ' +
      'where 3 queries share the 2 cores), alternately, twice each, the min of each:',
    '',
    '| change | query | before | after | rows | note |',
    '|---|---|---:|---:|---:|---|',
    ...wi.map((w) => `| ${w.change} | ${w.query} | ${w.beforeMs === null ? '–' : sec(w.beforeMs)} | ${sec(w.afterMs)} | ${f0(w.rows)} | ${w.note} |`),
    '',
  ];
}

const planNumber = (plan: string, re: RegExp): number | null => {
  const m = re.exec(plan);
  return m ? Number(m[1]) : null;
};

/** The findings, from the figures: part 1's batch sizes, part 2's slowest query and what would fix it. */
function findings(r: ReportsBenchResult, companions: Companions): string[] {
  const out: string[] = ['## Findings', ''];
  if (r.rollups) {
    const cs = r.rollups.consumed;
    const biggest = Math.max(...cs.map((c) => c.chunks.sizeMax));
    const unreached = cs.filter((c) => c.maxBatchSize > c.chunks.sizeMax).map((c) => c.maxBatchSize);
    const avg = r.rollups.produced.avgRecordBytes;
    out.push(
      `- **Rollups: every count exact** (${cs.every((c) => c.exact) ? 'all runs, every dimension, applications and alerts' : '**not all runs**'}), no dead records, every ring event stored.`,
    );
    if (unreached.length > 0)
      out.push(
        `- **maxBatchSize ${unreached.join(' and ')} ${unreached.length > 1 ? 'were' : 'was'} never reached**: the largest chunk held ${f0(biggest)} records. The source (src/kafka/alert-ingest-source.ts) cuts chunks ` +
          `only inside one kafkajs batch, and a batch is at most one fetch's worth of a partition: kafkajs' \`maxBytesPerPartition\` default of 1 MiB, which ` +
          `createKafkaRecordSource does not set, ÷ ${f0(avg)} B per assessment ≈ ${f0(2 ** 20 / avg)} records. So \`reports.maxBatchSize\` (default 2000) has no effect ` +
          'for real-size assessments; to get bigger transactions the consumer would need `maxBytesPerPartition` ≈ maxBatchSize × 2 KB (and `maxBytes` to match), ' +
          `or to gather chunks across batches.${unreached.length > 1 ? ' The wall-time difference between those runs is not the setting: their chunks were the same.' : ''}`,
      );
    const oc = companions.orderCheck?.result.rollups;
    if (oc)
      out.push(
        `- Run order, not the setting: part 1 again with the sizes in the other order (\`${companions.orderCheck?.result.command ?? ''}\`, ` +
          `bench/results/${companions.orderCheck?.name ?? ''}.md): ${oc.consumed.map((c) => `maxBatchSize ${c.maxBatchSize} ${f1(c.seconds)} s (${f0(c.cpuUsPerRecord.bench)} µs CPU/record)`).join(', then ')}. ` +
          `Here: ${cs.map((c) => `${c.maxBatchSize} ${f1(c.seconds)} s (broker ${f0(c.cpuUsPerRecord.broker)} µs/record)`).join(', ')}. ` +
          'The first consumer after producing is the slowest in both runs, whatever its batch size (the freshly written topic: the broker works more per record then); CPU per record is steady at ' +
          `${f0(Math.min(...cs.map((c) => c.cpuUsPerRecord.bench)))}–${f0(Math.max(...cs.map((c) => c.cpuUsPerRecord.bench)))} µs here and ` +
          `${f0(Math.min(...cs.map((c) => c.cpuUsPerRecord.postgres)))}–${f0(Math.max(...cs.map((c) => c.cpuUsPerRecord.postgres)))} µs in PostgreSQL.`,
      );
    const best = cs.reduce((a, b) => (a.recordsPerSecond > b.recordsPerSecond ? a : b));
    const cores = ((best.cpuUsPerRecord.bench + best.cpuUsPerRecord.postgres + (best.cpuUsPerRecord.broker ?? 0)) * best.recordsPerSecond) / 1e6;
    out.push(
      `- The consumer does ≈ ${f0(best.recordsPerSecond)} records/s with ≈ ${cores.toFixed(2)} of the 2 cores busy for it (this process + its backends + the broker): it handles one ` +
        'chunk at a time per source (decode, then one transaction with a commit), so it is partly latency-bound. That is ' +
        `${f0(best.recordsPerSecond / (1_000_000 / 86_400))}× a 1 M/day stream's average rate: a day's backlog (1 M) is counted in ≈ ${f0(1_000_000 / best.recordsPerSecond)} s.`,
      '',
    );
  }
  const rep = r.report;
  const last = rep?.periods[rep.periods.length - 1];
  if (!rep || !last) return out;
  const qs = queryMedians(last).sort((x, y) => y.medianMs - x.medianMs);
  const top = qs[0];
  if (!top) return out;
  const okRuns = (p: PeriodTiming) => (p.untimedRuns.length > 0 ? p.untimedRuns : p.runs).filter((x) => x.ok);
  const buildMedian = median(okRuns(last).map((x) => x.ms));
  const failed = last.runs.filter((x) => !x.ok).length;
  const slow = qs.filter((q) => q.medianMs >= 1000);
  out.push(
    `- **Report over ${last.since}: ${sec(buildMedian)}** (median of ${okRuns(last).length}; ` +
      `${rep.periods.map((p) => `${p.since} ${sec(median(okRuns(p).map((x) => x.ms)))}`).join(', ')})` +
      (failed > 0
        ? `; with the console's 30 s statement timeout **it fails** (${failed} of ${last.runs.length} builds: \`${last.runs.find((x) => !x.ok)?.error ?? ''}\`), ` +
          'in `lendguard report` (where 57014 is classified POSTGRES_UNAVAILABLE, a retriable "unavailable", though retrying cannot help) and in the console route alike.'
        : ', inside the 30 s statement timeout.') +
      ` Rendering is not a concern: at most ${f1(Math.max(...rep.periods.flatMap((p) => p.rendered.map((x) => median(x.ms)))))} ms and ${f0(Math.max(...rep.periods.flatMap((p) => p.rendered.map((x) => x.bytes))))} B.`,
  );
  out.push(
    `- **Slowest step: \`${top.name}\`**, ${sec(top.medianMs)} (median, while sharing the cores with 2 other dimension queries)` +
      (slow.length > 1
        ? `; then ${slow
            .slice(1)
            .map((q) => `\`${q.name}\` ${sec(q.medianMs)}`)
            .join(', ')}`
        : '') +
      `. Every other query is under ${sec(Math.max(0, ...qs.filter((q) => q.medianMs < 1000).map((q) => q.medianMs)))}.`,
  );
  for (const e of rep.explained.filter((x) => x.since === last.since)) {
    const dim = /valueRows\((\w+)\)/.exec(e.name)?.[1];
    if (!dim) continue;
    const groups = planNumber(e.plan, /WindowAgg .*?actual time=[\d.]+\.\.[\d.]+ rows=(\d+)/);
    const read = planNumber(e.plan, /Buffers: shared hit=\d+ read=(\d+)/);
    const hit = planNumber(e.plan, /Buffers: shared hit=(\d+)/);
    const written = planNumber(e.plan, /temp read=\d+ written=(\d+)/);
    const jit = planNumber(e.plan, /Timing: .*Total ([\d.]+) ms/);
    const seq = /Parallel Seq Scan on rollup_hourly/.test(e.plan);
    out.push(
      `  - \`${e.name}\` (EXPLAIN above, ${sec(planNumber(e.plan, /Execution Time: ([\d.]+) ms/) ?? Number.NaN)} alone): ${f0(rep.filled.rowsByDimension[dim])} rows of the dimension grouped into ${f0(groups)} values ` +
        `to keep ${f0(Math.min(5000, groups ?? 0))}` +
        (seq
          ? `, by a parallel sequential scan of the whole heap (${size(((read ?? 0) + (hit ?? 0)) * 8192)} read for one dimension: over 30 days plus the baseline the ` +
            "period is the whole table, and one dimension's rows are spread over every page)"
          : ', by an index range scan') +
        (written ? `; the aggregate spills ${size(written * 8192)} to temporary files at work_mem ${r.postgres.work_mem ?? '?'}` : '') +
        (jit ? `; JIT compilation ${sec(jit)}` : '') +
        '.',
    );
  }
  const day = rep.periods.find((p) => p.since === '24h');
  if (day?.report?.topChange && r.settings.days >= 4)
    out.push(
      `- Noise in "what changed": the last 24 h and the 24 h before them are two days of the same distribution (templates A and B: other seeds, no campaign), yet the ` +
        `24h report's top change is \`${day.report.topChange}\`. With thousands of values a dimension, \`risers\` (src/reports/trends.ts: z > 2 and a positive 2-SE bound, per value) ` +
        'lets some through by chance; a threshold that grows with the number of values compared (z > √(2 ln n), ≈ 4 for 5,000) or a minimum count would keep steady traffic quiet.',
    );
  const prev = companions.previous;
  const prevLast = prev?.result.report?.periods.find((p) => p.since === last.since);
  if (prev && prevLast) {
    const pr = prev.result.report;
    const prevOk = okRuns(prevLast).map((x) => x.ms);
    const prevTop = queryMedians(prevLast).sort((x, y) => y.medianMs - x.medianMs)[0];
    out.push(
      `- Before ${prev.code} (bench/results/${prev.name}.md, the same bench on the code then): ${f0(pr?.filled.perHourByDimension.identifier)} identifier rows an hour ` +
        `(${f0(pr?.filled.table.rows)} rows, ${size(pr?.filled.table.totalBytes ?? 0)}), and the ${last.since} report took ${sec(median(prevOk))}` +
        `${prevLast.runs.some((x) => !x.ok) ? ' without the timeout: every build with it failed' : ''}, ${prevTop ? `\`${prevTop.name}\` ${sec(prevTop.medianMs)}` : ''}. Now: ` +
        `${f0(rep.filled.perHourByDimension.identifier)} rows an hour, ${f0(rep.filled.table.rows)} rows, ${size(rep.filled.table.totalBytes)}, ${sec(buildMedian)}.`,
    );
  }
  const idRows = rep.filled.perHourByDimension.identifier;
  if (idRows !== undefined)
    out.push(
      `- The identifier dimension now holds only identifiers shared by more than one identity (src/reports/dimensions.ts, \`<kind>.identities.*\`): ${f0(idRows)} rows an hour ` +
        `here, ${f0(rep.periods.find((p) => p.since === last.since)?.report?.identifierDistinct)} values over ${last.since}. Of those, the pseudonyms of a household or ` +
        "carrier-NAT IP, a couple's card or a family phone are unique to one application in this synthetic stream (real ones would repeat a little), so they are rows " +
        'the report reads and never ranks.',
    );
  const wi = rep.whatIf ?? [];
  const find = (change: string, query: string): WhatIf | undefined => wi.find((w) => w.change === change && w.query === query);
  const pair = (w: WhatIf | undefined): string => (w && w.beforeMs !== null ? `${sec(w.beforeMs)} → ${sec(w.afterMs)}` : '–');
  out.push('', 'Suggestions (not implemented; the "what if" table above measures each on this data):', '');
  const daily = ['partner', 'partnerNetwork', 'partnerRegion'].map((d) => ({ d, w: find('daily rollup', `valueRows(${d})`) })).filter((x) => x.w);
  const created = find('daily rollup', 'CREATE TABLE rollup_daily (every dimension but identifier) + primary key');
  out.push(
    "1. **A daily rollup for periods beyond 2 days** (the report buckets by day there anyway): the same table keyed by UTC day, kept by the consumer in the chunk's " +
      'transaction (or rolled up from the hourly rows once a day is closed), the report reading whole days from it and only the edge hours from rollup_hourly' +
      (daily.length > 0 ? `: ${daily.map((x) => `valueRows(${x.d}) ${pair(x.w)}`).join(', ')} (alone)` : '') +
      (created
        ? `, from ${f0(created.rows)} daily rows instead of ${f0(rep.filled.table.rows - (rep.filled.rowsByDimension.identifier ?? 0))} hourly ones`
        : '') +
      '. The crosses are where the rows are (partner × region is ' +
      `${f0((100 * (rep.filled.rowsByDimension.partnerRegion ?? 0)) / rep.filled.table.rows)} % of the table), and an hourly row of a cross holds a handful of applications. ` +
      'It does nothing for identifiers (a one-off value is one row a day as an hour).',
  );
  const parts = ['partner', 'partnerNetwork', 'identifier'].map((d) => ({ d, w: find('partition by dimension', `valueRows(${d})`) })).filter((x) => x.w);
  if (parts.length > 0)
    out.push(
      '2. **Partition rollup_hourly by dimension** (LIST; the primary key and the queries stay as they are): a query of one dimension then reads only its own ' +
        `pages instead of the whole heap: ${parts.map((x) => `valueRows(${x.d}) ${pair(x.w)}`).join(', ')} (alone). It does little for partner × region, which is most of the table; ` +
        'the daily rollup is what helps there. Retention (pruning by hour) works per partition just as well.',
    );
  const rp = find('identifier repeats only (in a table of its own)', 'valueRows(identifier)');
  if (rp)
    out.push(
      `${parts.length > 0 ? '3' : '2'}. **Identifiers: count a value from its second application.** The \`<kind>.identities.*\` test also keeps one-off pseudonyms (a household or ` +
        "carrier-NAT IP, a couple's card); an `identifier_seen (value PRIMARY KEY, first_hour, label)` table, upserted in the chunk's transaction and read only by key, would let " +
        `the rollups add a value when it comes back (with its first sighting): on top of a partition of its own, valueRows(identifier) ${pair(rp)} (${rp.note}). ` +
        'The rows fall little here (the synthetic pools repeat a lot), the groups the aggregate builds and spills much more; both grow with the one-off share of real traffic.',
    );
  const session = wi.filter((w) => w.change === 'jit = off' || w.change === 'work_mem = 64MB');
  const helps = session.some((w) => w.beforeMs !== null && w.afterMs < 0.8 * w.beforeMs);
  if (session.length > 0)
    out.push(
      helps
        ? `- Session settings help a little: ${session.map((w) => `${w.change} ${w.query} ${pair(w)}`).join('; ')}; they do not change how the cost grows with the days read.`
        : `- Session settings are no fix at this size: ${session.map((w) => `${w.change} ${w.query} ${pair(w)}`).join('; ')} (JIT compiles in under 0.1 s here, ` +
            'and a bigger work_mem only moves where the identifier aggregate spills).',
    );
  out.push('');
  return out;
}

export function summary(r: ReportsBenchResult): string {
  const lines = ['', `Report bench (${r.command}):`];
  if (r.rollups) {
    const p = r.rollups.produced;
    lines.push(`  produce: ${f0(p.count)} assessments (${mib(p.bytes)}) in ${f1(p.produceSeconds)} s = ${f0(p.count / p.produceSeconds)}/s`);
    for (const c of r.rollups.consumed)
      lines.push(
        `  rollups maxBatchSize ${c.maxBatchSize}: ${c.exact ? 'exact' : 'NOT EXACT'}, ${f1(c.seconds)} s = ${f0(c.recordsPerSecond)}/s (steady ${f0(c.steadyPerSecond)}/s), ` +
          `CPU ${f0(c.cpuUsPerRecord.bench)} µs/record here + ${f0(c.cpuUsPerRecord.postgres)} in PostgreSQL; ${f0(c.table.rows)} rows, ${size(c.table.totalBytes)}`,
      );
  }
  if (r.report) {
    const f = r.report.filled;
    lines.push(`  fill: ${f0(f.table.rows)} rows (${size(f.table.totalBytes)}) in ${f0(f.fillSeconds)} s`);
    for (const p of r.report.periods) {
      const runs = (p.untimedRuns.length > 0 ? p.untimedRuns : p.runs).filter((x) => x.ok).map((x) => x.ms);
      const slow = queryMedians(p).sort((a, b) => b.medianMs - a.medianMs)[0];
      const failed = p.runs.filter((x) => !x.ok).length;
      lines.push(
        `  report --since ${p.since}: min ${sec(Math.min(...runs))}, median ${sec(median(runs))}${failed > 0 ? ` (${failed} of ${p.runs.length} failed with the 30 s timeout)` : ''}; ` +
          `slowest query ${slow ? `${slow.name} ${sec(slow.medianMs)}` : '–'}; html ${f0(p.rendered.find((x) => x.format === 'html')?.bytes)} B`,
      );
    }
  }
  return lines.join('\n');
}
