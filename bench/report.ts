/** The Markdown of a bench/run-all.ts result (bench/results/latest.md and the table in docs/benchmarks.md). */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { ProfileSummary } from './profile.js';
import type { LatencyResult, MemoryResult, ThroughputResult } from './scenarios.js';

export interface SuiteResult {
  when: string;
  mode: 'full' | 'quick';
  machine: Record<string, string | number>;
  versions: Record<string, string>;
  settings: Record<string, string | number | boolean>;
  durationSeconds: number;
  preload?: { records: number; avgBytes: number; seconds: number; ratePerSec: number };
  throughput: {
    pipe?: ThroughputResult;
    processor?: ThroughputResult;
    /** processor / pipe, steady rates. */
    ratio?: number;
    processorNoShedding?: ThroughputResult;
    concurrentPartitions?: { partitions: number; pipe?: ThroughputResult; processor?: ThroughputResult }[];
  };
  scaling: ThroughputResult[];
  batchSizes: { maxBatchSize: number; throughput?: ThroughputResult; latency?: LatencyResult }[];
  latency: { rate: number; why: string; pipe?: LatencyResult; processor?: LatencyResult; skipped?: string }[];
  memory?: MemoryResult;
  profile?: { run: ThroughputResult; summary: ProfileSummary };
  notes: string[];
  errors: string[];
  previous?: { when: string; file: string };
  previousHeadline?: Record<string, number>;
}

const n0 = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '–' : Math.round(x).toLocaleString('en-US'));
const n1 = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(1));
const ms = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '–' : `${Math.round(x)}`);

/** The headline figures compared run to run. */
export function headline(r: SuiteResult): Record<string, number> {
  const h: Record<string, number> = {};
  const put = (k: string, v: number | undefined): void => {
    if (v !== undefined && Number.isFinite(v)) h[k] = v;
  };
  put('pipe steady /s', r.throughput.pipe?.steadyRatePerSec);
  put('processor steady /s', r.throughput.processor?.steadyRatePerSec);
  put('ratio processor/pipe', r.throughput.ratio);
  for (const c of r.throughput.processor?.cpu ?? []) put(`processor run: ${c.name} CPU µs/app`, c.usPerApp);
  for (const s of r.scaling) put(`processor x${s.instances} steady /s`, s.steadyRatePerSec);
  for (const l of r.latency) if (l.processor) put(`processor e2e p99 ms @ ${l.rate}/s`, l.processor.e2eMs.p99);
  put('memory RSS MiB', r.memory?.rssMiB);
  put('memory heap used MiB', r.memory?.heapUsedMiB);
  return h;
}

function throughputRow(label: string, t: ThroughputResult | undefined, pipe?: ThroughputResult): string {
  if (!t) return `| ${label} | – | – | – | – | – | – |`;
  const ratio = pipe && pipe.steadyRatePerSec > 0 ? (t.steadyRatePerSec / pipe.steadyRatePerSec).toFixed(2) : '';
  const extra = t.processor ? `degraded ${n0(t.processor.degraded)}, DLQ ${n0(t.processor.deadLettered)}, txn ${n0(t.processor.transactionsCommitted)}` : '';
  return `| ${label} | **${n0(t.steadyRatePerSec)}** | ${n0(t.ratePerSec)} | ${n1(t.startupSeconds)} / ${n1(t.wallSeconds)} | ${ratio} | ${cpuCell(t)} | ${extra} |`;
}

/** `processor 420 · broker 180 · redis 150` (µs of CPU per application, steady window). */
function cpuCell(t: ThroughputResult): string {
  return (t.cpu ?? []).map((c) => `${c.name} ${n0(c.usPerApp)}`).join(' · ') || '–';
}

export function renderMarkdown(r: SuiteResult): string {
  const L: string[] = [];
  const s = r.settings;
  L.push(`# lendguard benchmarks: ${r.mode} run of ${r.when.slice(0, 16).replace('T', ' ')} UTC`);
  L.push('');
  L.push(
    `Machine: ${r.machine.cpu}, ${r.machine.cores} cores, ${r.machine.memGiB} GiB, ${r.machine.platform}, shared by the broker, Redis, the bench and the processes. ` +
      `Versions: Node ${r.versions.node}, kafkajs ${r.versions.kafkajs}, Kafka broker ${r.versions.broker}, Redis ${r.versions.redis}; lendguard ${r.versions.git ?? '?'}. Suite took ${Math.round(r.durationSeconds / 60)} min.`,
  );
  L.push('');
  L.push(
    `Settings: ${s.partitions} partitions; maxBatchSize ${s.maxBatchSize} (one transaction per chunk: sendBatch + sendOffsets + commit, one transactional producer per input partition); ` +
      `fetch wait (maxWaitTimeMs) ${s.maxWaitTimeMs} ms; partitionsConsumedConcurrently ${s.partitionsConsumedConcurrently}; read_committed; ` +
      `input record ${s.inputRecordBytes} B avg (generator, ${s.attackShare} attacks), assessment ${s.outputRecordBytes} B avg; ` +
      `throughput input ${n0(Number(s.throughputRecords))} applications pre-loaded; latency ${s.latencyWarmupSeconds} s warm-up + ${s.latencyMeasureSeconds} s measured per rate.`,
  );
  if (r.previous) L.push('', `Previous run for comparison: ${r.previous.when} (\`${r.previous.file}\`).`);
  L.push('');

  L.push('## Throughput: bare kafkajs pipe vs processor (same input, same settings)');
  L.push('');
  L.push('| | steady rate /s (10–90 %) | first→last /s | start-up / wall s | ratio to pipe | CPU µs per application | notes |');
  L.push('|---|---|---|---|---|---|---|');
  const pipe = r.throughput.pipe;
  L.push(throughputRow('bare pipe', pipe));
  L.push(throughputRow('processor (default config)', r.throughput.processor, pipe));
  if (r.throughput.processorNoShedding) L.push(throughputRow('processor, shedding off (budget 10 min)', r.throughput.processorNoShedding, pipe));
  for (const cc of r.throughput.concurrentPartitions ?? []) {
    if (cc.pipe) L.push(throughputRow(`bare pipe, partitionsConsumedConcurrently ${cc.partitions}`, cc.pipe));
    if (cc.processor) L.push(throughputRow(`processor, partitionsConsumedConcurrently ${cc.partitions}`, cc.processor, cc.pipe ?? pipe));
  }
  L.push('');
  if (r.throughput.ratio !== undefined) {
    L.push(`**Ratio processor / pipe: ${r.throughput.ratio.toFixed(2)}** (goal ≥ 0.5: ${r.throughput.ratio >= 0.5 ? 'met' : 'not met'}).`);
    L.push('');
    L.push(
      'CPU µs per application: user + system CPU time of each process (all threads) over the same 10–90 % window, divided by the applications committed in it. Steadier than the rate on a shared machine, and it shows where the time goes.',
    );
    L.push('');
  }

  if (r.scaling.length > 0) {
    L.push('## Scaling: processors in one consumer group (6 partitions, same input)');
    L.push('');
    L.push('| instances | steady rate /s | first→last /s | vs 1 instance | start-up / wall s | records per instance |');
    L.push('|---|---|---|---|---|---|');
    const one = r.scaling.find((x) => x.instances === 1);
    for (const x of r.scaling) {
      const vs = one && one.steadyRatePerSec > 0 ? `${(x.steadyRatePerSec / one.steadyRatePerSec).toFixed(2)}×` : '';
      L.push(
        `| ${x.instances} | **${n0(x.steadyRatePerSec)}** | ${n0(x.ratePerSec)} | ${vs} | ${n1(x.startupSeconds)} / ${n1(x.wallSeconds)} | ${(x.perInstance ?? []).map(n0).join(' / ')} |`,
      );
    }
    L.push('');
  }

  if (r.latency.length > 0) {
    L.push('## End-to-end latency at fixed offered rates (ms)');
    L.push('');
    L.push(
      'Send time (bench producer) → the output readable by a read_committed consumer. Processor view: its own `lendguard_latency_window_ms` (record timestamp → committed, last 30 s) and the growth of `lendguard_assessment_latency_seconds` over the window (bucket upper bounds).',
    );
    L.push('');
    L.push(
      '| offered /s | pipe p50 / p95 / p99 / max | processor p50 / p95 / p99 / max | processor window p50 / p99 | processor histogram p50 / p99 | degraded |',
    );
    L.push('|---|---|---|---|---|---|');
    for (const l of r.latency) {
      const e = (x: LatencyResult | undefined): string =>
        x ? `${ms(x.e2eMs.p50)} / ${ms(x.e2eMs.p95)} / **${ms(x.e2eMs.p99)}** / ${ms(x.e2eMs.max)}${x.missing ? ` (${x.missing} missing)` : ''}` : '–';
      const p = l.processor;
      L.push(
        `| ${n0(l.rate)} (${l.why}) | ${e(l.pipe)} | ${l.skipped && !p ? `skipped: ${l.skipped}` : e(p)} | ${p?.processorWindowMs ? `${ms(p.processorWindowMs.p50)} / ${ms(p.processorWindowMs.p99)}` : '–'} | ` +
          `${p?.processorHistogramMs ? `≤${ms(p.processorHistogramMs.p50)} / ≤${ms(p.processorHistogramMs.p99)}` : '–'} | ${p?.degradedShare !== undefined ? `${(p.degradedShare * 100).toFixed(0)} %` : '–'} |`,
      );
    }
    L.push('');
  }

  if (r.batchSizes.length > 0) {
    L.push('## Batch size (processing.maxBatchSize) vs throughput and latency, processor');
    L.push('');
    const rate = r.batchSizes.find((b) => b.latency)?.latency?.rate;
    L.push(`| maxBatchSize | steady rate /s | txn committed | batch ms p50 / p99 | e2e p50 / p99 ms${rate ? ` at ${n0(rate)}/s` : ''} |`);
    L.push('|---|---|---|---|---|');
    for (const b of r.batchSizes) {
      const t = b.throughput;
      L.push(
        `| ${b.maxBatchSize} | ${n0(t?.steadyRatePerSec)} | ${n0(t?.processor?.transactionsCommitted)} | ${t?.processor ? `≤${ms(t.processor.batchMs.p50)} / ≤${ms(t.processor.batchMs.p99)}` : '–'} | ` +
          `${b.latency ? `${ms(b.latency.e2eMs.p50)} / ${ms(b.latency.e2eMs.p99)}` : '–'} |`,
      );
    }
    L.push('');
  }

  if (r.memory) {
    const m = r.memory;
    L.push(`## Memory after ${n0(m.applications)} applications (one processor${m.timeCapped ? `; target ${n0(m.target)}, time-capped` : ''})`);
    L.push('');
    L.push(
      '| RSS MiB | peak RSS MiB | heap used / total MiB | external MiB | growth per 100k (RSS / heap MiB) | run s (input produced meanwhile) | Redis growth |',
    );
    L.push('|---|---|---|---|---|---|---|');
    L.push(
      `| **${n0(m.rssMiB)}** | ${n0(m.peakRssMiB)} | **${n0(m.heapUsedMiB)}** / ${n0(m.heapTotalMiB)} | ${n0(m.externalMiB)} | ${n0(m.rssMiBPer100k)} / ${n0(m.heapMiBPer100k)} | ${n0(m.seconds)} (${n0(m.ratePerSec)}/s) | ` +
        `+${n0(m.redis.usedMemoryDeltaMiB)} MiB, +${n0(m.redis.keysDelta)} keys, ${n0(m.redis.bytesPerApplication)} B/app |`,
    );
    L.push('');
    if (m.series.length > 2) {
      const pick = m.series.filter((_, i) => i % Math.max(1, Math.ceil(m.series.length / 8)) === 0 || i === m.series.length - 1);
      L.push(`Over the run (s: assessed → RSS / heap MiB): ${pick.map((x) => `${x.s}: ${n0(x.assessed)} → ${x.rssMiB} / ${x.heapUsedMiB}`).join('; ')}.`);
      L.push('');
    }
  }

  if (r.profile) {
    const p = r.profile.summary;
    L.push(`## CPU profile of the processor (throughput run, --cpu-prof, ${n0(r.profile.run.records)} applications)`);
    L.push('');
    L.push(
      `Profile ${Math.round(p.durationMs / 1000)} s, busy ${Math.round(p.busyMs / 1000)} s (idle ${p.idlePct.toFixed(0)} %). Rate under the profiler: ${n0(r.profile.run.steadyRatePerSec)}/s. Shares are of busy time.`,
    );
    L.push('');
    L.push('By area (self time):');
    L.push('');
    L.push('| area | % | s |');
    L.push('|---|---|---|');
    for (const a of p.areas.slice(0, 14)) L.push(`| ${a.area} | ${a.pct.toFixed(1)} | ${(a.ms / 1000).toFixed(1)} |`);
    L.push('');
    L.push('Top functions by self time:');
    L.push('');
    L.push('| function | where | % |');
    L.push('|---|---|---|');
    for (const f of p.topSelf.slice(0, 20)) L.push(`| \`${f.name}\` | ${f.where || f.area} | ${f.pct.toFixed(1)} |`);
    L.push('');
    L.push('Our functions by inclusive (synchronous) time:');
    L.push('');
    L.push('| function | where | % |');
    L.push('|---|---|---|');
    for (const f of p.topInclusiveOurs.slice(0, 12)) L.push(`| \`${f.name}\` | ${f.where} | ${f.pct.toFixed(1)} |`);
    L.push('');
  }

  if (r.previousHeadline) {
    const now = headline(r);
    const keys = Object.keys(now).filter((k) => r.previousHeadline?.[k] !== undefined);
    if (keys.length > 0) {
      L.push(`## Compared with the previous run (${r.previous?.when.slice(0, 16).replace('T', ' ') ?? '?'})`);
      L.push('');
      L.push('| figure | previous | now | change |');
      L.push('|---|---|---|---|');
      for (const k of keys) {
        const a = r.previousHeadline[k] as number;
        const b = now[k] as number;
        const pct = a !== 0 ? `${b >= a ? '+' : ''}${(((b - a) / a) * 100).toFixed(0)} %` : '';
        L.push(`| ${k} | ${k.startsWith('ratio') ? a.toFixed(2) : n0(a)} | ${k.startsWith('ratio') ? b.toFixed(2) : n0(b)} | ${pct} |`);
      }
      L.push('');
    }
  }

  if (r.notes.length > 0) {
    L.push('## Notes');
    L.push('');
    for (const n of r.notes) L.push(`- ${n}`);
    L.push('');
  }
  if (r.errors.length > 0) {
    L.push('## Errors');
    L.push('');
    for (const e of r.errors) L.push(`- ${e.split('\n')[0]}`);
    L.push('');
  }
  return L.join('\n');
}

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

/** Replaces the results section of docs/benchmarks.md (between the markers) with `md`; false if there is no such section. */
export function updateDocs(md: string, file = new URL('../docs/benchmarks.md', import.meta.url)): boolean {
  if (!existsSync(file)) return false;
  const text = readFileSync(file, 'utf8');
  const a = text.indexOf(START);
  const b = text.indexOf(END);
  if (a < 0 || b < a) return false;
  const body = md.replace(/^# .*\n/, '').replace(/^## /gm, '### ');
  writeFileSync(
    file,
    `${text.slice(0, a + START.length)}\n\n_Written by \`npm run bench\` from bench/results/latest.md._\n\n${body.trim()}\n\n${text.slice(b)}`,
  );
  return true;
}
