/**
 * Side-by-side throughput of processor variants on the same pre-loaded input, in one run (these
 * machines are too noisy to compare runs made minutes apart):
 *
 *   npx tsx bench/ab.ts --records 30000 --rounds 2 base cc2:LENDGUARD_PARTITIONS_CONCURRENTLY=2
 *
 * Each variant is `name[:ENV=value,ENV=value]`; `pipe` is the bare kafkajs pipe. Variants run in
 * turn, `--rounds` times (interleaved), and the table shows every round's steady rate and CPU time
 * per application of the processor, the broker and Redis. Prints Markdown; writes nothing.
 */
import { execFileSync } from 'node:child_process';
import { preload, REPO_ROOT, Run } from './harness.js';
import { throughput, type ThroughputResult } from './scenarios.js';

interface Variant {
  name: string;
  env: Record<string, string>;
}

function parseVariant(text: string): Variant {
  const [name, envText] = text.split(':', 2) as [string, string | undefined];
  const env: Record<string, string> = {};
  for (const pair of envText ? envText.split(',') : []) {
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
  const variants = argv.map(parseVariant);
  if (variants.length === 0) throw new Error('name at least one variant, e.g. `base` or `cc2:LENDGUARD_PARTITIONS_CONCURRENTLY=2`');
  execFileSync('bash', ['scripts/services.sh', 'up'], { cwd: REPO_ROOT, stdio: 'inherit', timeout: 180_000 });
  const run = new Run();
  const started = Date.now();
  const log = (line: string): void => void process.stdout.write(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}\n`);
  const rows: { variant: Variant; round: number; r: ThroughputResult }[] = [];
  try {
    const topic = run.name('input');
    await run.createTopics([topic]);
    const input = await preload(run.kafka, topic, records, { seed: `${run.id}-ab` });
    log(`pre-loaded ${records.toLocaleString('en-US')} applications`);
    for (let round = 1; round <= rounds; round++) {
      for (const variant of variants) {
        const kind = variant.name === 'pipe' ? 'pipe' : 'processor';
        const r = await throughput({ run, log }, { label: `ab-${variant.name}`, kind, instances: 1, input, maxBatchSize: 200, extraEnv: variant.env });
        rows.push({ variant, round, r });
      }
    }
  } finally {
    await run.cleanup(log);
  }
  const cpu = (r: ThroughputResult, name: string): string => String(r.cpu.find((c) => c.name === name)?.usPerApp ?? '–');
  const lines = ['| variant | round | steady /s | CPU µs/app: process | broker | Redis |', '|---|---|---|---|---|---|'];
  for (const { variant, round, r } of rows) {
    const env = Object.entries(variant.env).map(([k, v]) => `${k}=${v}`).join(' ');
    lines.push(`| ${variant.name}${env ? ` (${env})` : ''} | ${round} | ${r.steadyRatePerSec.toLocaleString('en-US')} | ${cpu(r, r.kind)} | ${cpu(r, 'broker')} | ${cpu(r, 'redis')} |`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n`);
}

main().catch((err: Error) => {
  process.stderr.write(`${err.stack ?? err.message}\n`);
  process.exit(1);
});
