/**
 * Side-by-side throughput of processor variants on the same pre-loaded input, in one run (these
 * machines are too noisy to compare runs made minutes apart):
 *
 *   npx tsx bench/ab.ts --records 30000 --rounds 2 base cc2:LENDGUARD_PARTITIONS_CONCURRENTLY=2
 *   npx tsx bench/ab.ts --latency 500 base r09:LENDGUARD_CONFIG=/tmp/recover-0.9.yaml
 *
 *   npx tsx bench/ab.ts before:BENCH_CHECKOUT=/tmp/lg-before base cluster:LENDGUARD_REDIS_URL=redis+cluster://127.0.0.1:17001
 *
 * Each variant is `name[:ENV=value,ENV=value]`; `pipe` is the bare kafkajs pipe. BENCH_CHECKOUT runs the
 * processor of another checkout (a `git worktree` of an earlier commit, with node_modules linked in), so two
 * commits compare in one run. The Redis column is the single Redis; "cluster Σ" sums the CPU of the three
 * masters of `scripts/redis.sh cluster start`. Variants run in
 * turn, `--rounds` times (interleaved), and the table shows every round's steady rate and CPU time
 * per application of the processor, the broker and Redis. With `--latency RATE` each variant is
 * instead fed RATE applications/s (`--warmup 35` s, longer than the budget window; `--measure 30` s)
 * and the table shows end-to-end latency, where the processor's goes (queued before its batch,
 * processing, commit until readable) and the share of assessments marked degraded. `--cpu-prof DIR` profiles
 * each processor run (node --cpu-prof into DIR) and prints the profile's summary after its row.
 * Prints Markdown; writes nothing but the profiles.
 */
import { execFileSync } from 'node:child_process';
import { preload, REPO_ROOT, Run } from './harness.js';
import { latency, throughput, type LatencyResult, type ThroughputResult } from './scenarios.js';

interface Variant {
  name: string;
  env: Record<string, string>;
}

function parseVariant(text: string): Variant {
  const colon = text.indexOf(':');
  const name = colon < 0 ? text : text.slice(0, colon);
  if (name.startsWith('-')) throw new Error(`unknown option "${text}" (options: --records, --rounds, --latency, --warmup, --measure, --cpu-prof)`);
  const envText = colon < 0 ? '' : text.slice(colon + 1);
  const env: Record<string, string> = {};
  // Pairs are split at a comma that starts another NAME=, so a value may hold commas (a cluster URL).
  for (const pair of envText ? envText.split(/,(?=[A-Z][A-Z0-9_]*=)/) : []) {
    const i = pair.indexOf('=');
    if (i <= 0) throw new Error(`variant "${text}": expected ENV=value, got "${pair}"`);
    env[pair.slice(0, i)] = pair.slice(i + 1);
  }
  return { name, env };
}

function option(argv: string[], flag: string, fallback: number): number {
  const i = argv.indexOf(flag);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag} needs a positive whole number`);
  argv.splice(i, 2);
  return n;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const records = option(argv, '--records', 30_000);
  const rounds = option(argv, '--rounds', 1);
  const rate = argv.includes('--latency') ? option(argv, '--latency', 500) : undefined;
  const timing = { warmupMs: option(argv, '--warmup', 35) * 1000, measureMs: option(argv, '--measure', 30) * 1000 };
  const at = argv.indexOf('--cpu-prof');
  const cpuProfDir = at < 0 ? undefined : argv.splice(at, 2)[1];
  if (at >= 0 && !cpuProfDir) throw new Error('--cpu-prof needs a directory');
  const variants = argv.map(parseVariant);
  if (variants.length === 0) throw new Error('name at least one variant, e.g. `base` or `cc2:LENDGUARD_PARTITIONS_CONCURRENTLY=2`');
  execFileSync('bash', ['scripts/services.sh', 'up'], { cwd: REPO_ROOT, stdio: 'inherit', timeout: 180_000 });
  const run = new Run();
  const started = Date.now();
  const log = (line: string): void => void process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  const cleanup = run.cleanupOnSignals(log); // an interrupted comparison leaves no processor running
  const rows: { variant: Variant; round: number; r: ThroughputResult }[] = [];
  if (rate !== undefined) {
    try {
      await latencyRounds(run, log, variants, rounds, rate, timing);
    } finally {
      await cleanup();
    }
    return;
  }
  try {
    const topic = run.name('input');
    await run.createTopics([topic]);
    const input = await preload(run.kafka, topic, records, { seed: `${run.id}-ab` });
    log(`pre-loaded ${records.toLocaleString('en-US')} applications`);
    for (let round = 1; round <= rounds; round++) {
      for (const variant of variants) {
        const kind = variant.name === 'pipe' ? 'pipe' : 'processor';
        const prof = kind === 'processor' && cpuProfDir ? { cpuProfDir } : {};
        const r = await throughput({ run, log }, { label: `ab-${variant.name}`, kind, instances: 1, input, maxBatchSize: 200, extraEnv: variant.env, ...prof });
        rows.push({ variant, round, r });
      }
    }
  } finally {
    await cleanup();
  }
  const cpu = (r: ThroughputResult, name: string): string => String(r.cpu.find((c) => c.name === name)?.usPerApp ?? '–');
  const clusterSum = (r: ThroughputResult): string => {
    const shards = r.cpu.filter((c) => c.name.startsWith('cluster:'));
    return shards.length ? `${shards.reduce((sum, c) => sum + c.usPerApp, 0)} (${shards.map((c) => c.usPerApp).join(' + ')})` : '–';
  };
  const lines = ['| variant | round | steady /s | CPU µs/app: process | broker | Redis | cluster Σ (per master) |', '|---|---|---|---|---|---|---|'];
  for (const { variant, round, r } of rows) {
    const env = Object.entries(variant.env)
      .map(([k, v]) => `${k}=${v}`)
      .join(' ');
    lines.push(
      `| ${variant.name}${env ? ` (${env})` : ''} | ${round} | ${r.steadyRatePerSec.toLocaleString('en-US')} | ${cpu(r, r.kind)} | ${cpu(r, 'broker')} | ${cpu(r, 'redis')} | ${clusterSum(r)} |`,
    );
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
  for (const { variant, round, r } of rows.filter((x) => x.r.profile))
    process.stdout.write(`\n${variant.name}, round ${round}: ${r.profileFile}\n${profileText(r)}\n`);
}

/** The profile's areas and top functions by self time. */
function profileText(r: ThroughputResult): string {
  const p = r.profile as NonNullable<ThroughputResult['profile']>;
  const pct = (x: { pct: number }): string => `${x.pct.toFixed(1)} %`;
  return [
    `busy ${(p.busyMs / 1000).toFixed(1)} s of ${(p.durationMs / 1000).toFixed(1)} s; areas: ${p.areas
      .slice(0, 12)
      .map((a) => `${a.area} ${pct(a)}`)
      .join(', ')}`,
    'self time:',
    ...p.topSelf.slice(0, 25).map((e) => `  ${pct(e).padStart(7)}  ${e.name}  (${e.where})`),
    'inclusive, our functions:',
    ...p.topInclusiveOurs.slice(0, 15).map((e) => `  ${pct(e).padStart(7)}  ${e.name}  (${e.where})`),
  ].join('\n');
}

async function latencyRounds(
  run: Run,
  log: (line: string) => void,
  variants: Variant[],
  rounds: number,
  rate: number,
  timing: { warmupMs: number; measureMs: number },
): Promise<void> {
  const rows: { variant: Variant; round: number; r: LatencyResult }[] = [];
  for (let round = 1; round <= rounds; round++) {
    for (const variant of variants) {
      const kind = variant.name === 'pipe' ? 'pipe' : 'processor';
      const r = await latency({ run, log }, { label: `ab-${variant.name}`, kind, rate, ...timing, maxBatchSize: 200, extraEnv: variant.env });
      rows.push({ variant, round, r });
    }
  }
  const lines = [
    `| variant (${rate}/s) | round | e2e p50 / p95 / p99 / max ms | queued / processing / commit p50, p99 ms | window p99 ms | degraded |`,
    '|---|---|---|---|---|---|',
  ];
  for (const { variant, round, r } of rows) {
    const e = r.e2eMs;
    const degraded = r.degradedShare === undefined ? '–' : `${(r.degradedShare * 100).toFixed(1)} %`;
    const b = r.breakdownMs;
    const parts = b ? `${b.queued.p50} / ${b.processing.p50} / ${b.commit.p50}, ${b.queued.p99} / ${b.processing.p99} / ${b.commit.p99}` : '–';
    lines.push(`| ${variant.name} | ${round} | ${e.p50} / ${e.p95} / ${e.p99} / ${e.max} | ${parts} | ${r.processorWindowMs?.p99 ?? '–'} | ${degraded} |`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
