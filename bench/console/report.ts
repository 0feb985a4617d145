/** The console bench's result file: the human table (bench/results/console.md). */
import { relative } from 'node:path';
import { REPO_ROOT } from '../harness.js';
import type { Route, RouteStats } from './clients.js';
import type { FeedPlan, TimelinePoint } from './measure.js';
import type { PageResult } from './page.js';

export interface ConsoleBenchResult {
  startedAt: string;
  machine: Record<string, string | number>;
  settings: Record<string, string | number | boolean>;
  producer: { sent: number; seconds: number; achievedRate: number; ticks: number; lateTicks: number; sendMs: Record<string, number> };
  ingest: {
    lagMs: Record<string, number>;
    drainAfterLastSendMs: number | null;
    lastRowAfterLastSendMs: number;
    matched: number;
    unmatched: number;
    missing: number;
  };
  store: { sent: number; stored: number; dead: number };
  api: Record<Route, RouteStats>;
  stream: { alerts: number; events: number; overflows: number; sendToReceivedMs: Record<string, number>; storedToReceivedMs: Record<string, number> };
  page: PageResult;
  console: { metrics: Record<string, unknown>; cpuSecondsDuringBurst: number; coresBusy: number; rssMiB: number };
  timeline: TimelinePoint[];
  /** at rest after the burst: each feed query's median time from the bench and its plan, as left and after ANALYZE */
  plans: { analysedByAutovacuum: boolean; asLeft: Record<string, FeedPlan>; afterAnalyze: Record<string, FeedPlan> };
}

const f0 = (n: number | null | undefined): string => (n === null || n === undefined || Number.isNaN(n) ? '–' : Math.round(n).toLocaleString('en'));
const quantiles = (s: Record<string, number>): string => `${f0(s.p50)} | ${f0(s.p95)} | ${f0(s.p99)} | ${f0(s.max)}`;

export function markdown(r: ConsoleBenchResult, command: string): string {
  const s = r.settings;
  return [
    '# Console under a burst',
    '',
    `\`${command}\`, ${r.startedAt}. Machine: ${String(r.machine.cpu)}, ${String(r.machine.cores)} cores, ${String(r.machine.memGiB)} GiB, Node ${String(r.machine.node)}, commit ${String(r.machine.commit)}. ` +
      'The machine is shared: Kafka, PostgreSQL, Redis, the bench process, the console and Chromium run on the same 2 cores, and so may other ' +
      'work (another engineer\u2019s tests): every figure is noisy, the tails most. The load column of the timeline below shows how busy the machine was; ' +
      'beside other work the ingest lag and the API tails are several times those of a quiet run.',
    '',
    `Settings: ${String(s.rate)} alerts/s for ${String(s.seconds)} s (a batch of ${String(s.perTick)} every 100 ms), ${String(s.partitions)} partitions, ` +
      `\`lendguard console\` as a child process (maxBatchSize ${String(s.maxBatchSize)}), ${String(s.clients)} API clients with ${String(s.thinkMs)} ms between requests, one SSE client, page ${r.page.available ? 'open' : 'not available'}.`,
    '',
    '| what | value |',
    '|---|---:|',
    `| alerts sent / stored / dead | ${f0(r.store.sent)} / ${f0(r.store.stored)} / ${f0(r.store.dead)} ${r.store.stored === r.store.sent ? '(all stored)' : '**(MISMATCH)**'} |`,
    `| alerts received: SSE client / page | ${f0(r.stream.alerts)} / ${r.page.available ? f0(r.page.stats.received) : '–'} of ${f0(r.store.sent)} |`,
    `| achieved send rate | ${r.producer.achievedRate.toFixed(1)} /s (${r.producer.lateTicks} of ${r.producer.ticks} ticks late) |`,
    `| producer send (ack) p50 / p99 ms | ${f0(r.producer.sendMs.p50)} / ${f0(r.producer.sendMs.p99)} |`,
    `| all stored, after the last send | ${r.ingest.drainAfterLastSendMs === null ? 'never (stalled)' : `${f0(r.ingest.drainAfterLastSendMs)} ms`} (last \`ingested_at\` ${f0(r.ingest.lastRowAfterLastSendMs)} ms after it) |`,
    `| console CPU, burst start to all stored | ${r.console.cpuSecondsDuringBurst.toFixed(1)} s (${r.console.coresBusy.toFixed(2)} cores); RSS at the end ${f0(r.console.rssMiB)} MiB |`,
    `| console chunk (transaction) p50 / p99 ms | ${chunk(r.console.metrics)} |`,
    `| console retries / skipped | ${String(r.console.metrics.retries)} / ${String(r.console.metrics.skipped)} |`,
    '',
    '| ms | p50 | p95 | p99 | max |',
    '|---|---:|---:|---:|---:|',
    `| ingest lag: send → \`alerts.ingested_at\` (${f0(r.ingest.matched)} alerts) | ${quantiles(r.ingest.lagMs)} |`,
    `| live stream: send → received by the SSE client (${f0(r.stream.alerts)} alerts) | ${quantiles(r.stream.sendToReceivedMs)} |`,
    `| live stream: \`ingested_at\` → received | ${quantiles(r.stream.storedToReceivedMs)} |`,
    '',
    '| API route (during the burst) | requests | errors | p50 ms | p95 ms | p99 ms | max ms | statuses | p50 / p99 ms by third of the burst | at rest after the burst / after `ANALYZE` |',
    '|---|---:|---:|---:|---:|---:|---:|---|---|---:|',
    ...Object.entries(r.api).map(([route, st]) => apiRow(route, st, r.plans.asLeft[route], r.plans.afterAnalyze[route])),
    '',
    `Feed query plans at rest (store functions called from the bench, limit 50; table ${r.plans.analysedByAutovacuum ? 'already' : 'not yet'} analysed by autovacuum when read):`,
    '',
    '| route | plan after the burst | plan after `ANALYZE` |',
    '|---|---|---|',
    ...Object.keys(r.plans.asLeft).map((route) => `| \`${route}\` | ${planGist(r.plans.asLeft[route])} | ${planGist(r.plans.afterAnalyze[route])} |`),
    '',
    pageLine(r.page, r.store.sent),
    '',
    'Backlog (sent − stored) once a second, `/readyz`, and the machine\u2019s 1-minute load average (2 cores; it includes whatever else runs on the machine):',
    '',
    '| s | sent | stored | backlog | readyz | load |',
    '|---:|---:|---:|---:|---:|---:|',
    ...thin(r.timeline).map((p) => `| ${p.s} | ${f0(p.sent)} | ${f0(p.stored)} | ${f0(p.backlog)} | ${p.ready} | ${p.load1.toFixed(2)} |`),
    '',
    'Notes: the lag is `ingested_at` (PostgreSQL `now()`, the start of the storing transaction) minus the send time, which is also the record timestamp;',
    'the row becomes visible at the transaction\u2019s commit, a chunk time later. "All stored" polls `count(*)` every 50 ms. The API clients are closed loops',
    '(one request at a time each), so their request rate falls when the console slows down.',
    '',
  ].join('\n');
}

function apiRow(route: string, st: RouteStats, plan: FeedPlan | undefined, analysed: FeedPlan | undefined): string {
  const trend = st.byThird.map((t) => `${f0(t.p50)} / ${f0(t.p99)}`).join(', ');
  const rest = plan && analysed ? `${plan.restMs.toFixed(1)} / ${analysed.restMs.toFixed(1)} ms` : '–';
  return `| \`${route}\` | ${st.ok + st.errors} | ${st.errors} | ${quantiles(st.latencyMs)} | ${statuses(st.statuses)} | ${trend} | ${rest} |`;
}

/** The indexes a plan scans, whether it sorts, and the estimated rows of its first scan of `alerts`. */
function planGist(p: FeedPlan | undefined): string {
  if (!p) return '–';
  const indexes = [...new Set([...p.plan.matchAll(/(?:Index Scan using|Index Only Scan using|Bitmap Index Scan on) (\w+)/g)].map((m) => m[1]))];
  const scan = /Scan(?: using \w+)? on alerts a {2}\(cost=[\d.]+ rows=(\d+)/.exec(p.plan);
  // a sort of the matching alerts themselves (all of them, before the limit), not of one alert's labels
  const sort = /Sort Key: a\.detected_at/.test(p.plan);
  return `${indexes.map((i) => `\`${i}\``).join(', ')}${sort ? '; **sorts every match**' : ''}${scan ? `; alerts rows estimated ${f0(Number(scan[1]))}` : ''}`;
}

function chunk(m: Record<string, unknown>): string {
  const c = m.chunkMs as Record<string, number> | undefined;
  return c ? `${f0(c.p50)} / ${f0(c.p99)} (${f0(c.count)} chunks, bucket upper bounds)` : '–';
}

const statuses = (s: Record<string, number>): string =>
  Object.entries(s)
    .map(([k, v]) => `${k}: ${v}`)
    .join(', ');

function pageLine(p: PageResult, sent: number): string {
  if (!p.available) return `Page: not available (${p.reason}).`;
  const st = p.stats;
  const errors = p.errors.length > 0 ? `; page errors: ${p.errors.slice(0, 3).join(' | ')}` : '; no page errors';
  const shot = relative(REPO_ROOT, p.screenshot);
  return (
    `Page (headless Chromium, signed in through the form, feed live (\`#live-status.live-live\`) before the burst, sign-in ${f0(p.signInMs)} ms): ` +
    `received ${f0(st.received)} of ${f0(sent)} sent, rendered ${f0(st.rendered)}, flushes ${f0(st.flushes)}, longest flush ${st.maxFlushMs.toFixed(1)} ms; ` +
    `status at the end \`${p.liveStatus}\`; screenshot \`${shot}\`${errors}.`
  );
}

/** At most ~30 rows of the timeline: every k-th point and the last. */
function thin(points: TimelinePoint[]): TimelinePoint[] {
  const k = Math.max(1, Math.ceil(points.length / 30));
  return points.filter((_, i) => i % k === 0 || i === points.length - 1);
}
