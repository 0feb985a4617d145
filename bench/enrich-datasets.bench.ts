/**
 * What the shipped IP data costs: enrichment start-up (loading the datasets) and enrichment per application,
 * for the configuration before issue 12 (geo database only) and with the shipped lists and the ASN data (cold:
 * the CSV and the lists parsed; warm: the ASN, list and hosting-AS caches read), side by side in one run. Each variant runs in a
 * fresh process (so nothing is already loaded or compiled), five rounds interleaved; the medians are reported. Enrichment is
 * timed over three passes of the applications in each process (the median pass): one pass alone moves by ±30 % on a shared box.
 *
 *   npx tsx bench/enrich-datasets.bench.ts [applications=20000]
 *
 * No services needed. Writes bench/results/enrich-datasets.{json,md}.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, record } from './lib.js';

const IS_CHILD = process.argv[2] === '--child';
const N = Number((IS_CHILD ? process.argv[5] : process.argv[2]) ?? 20_000);
const ROUNDS = 5;
const PASSES = 3;
const VARIANTS = ['geo only (before)', 'geo + lists', 'geo + lists + ASN, cold', 'geo + lists + ASN, warm'] as const;
type Variant = (typeof VARIANTS)[number];
interface Sample {
  loadMs: number;
  enrichUs: number;
  hosting: number;
  datacenter: number;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** The child: load the variant's datasets, then enrich N generated applications. */
async function child(variant: Variant, cacheFile: string): Promise<void> {
  const { loadConfig } = await import('../src/platform/config.js');
  const { loadEnrichment } = await import('../src/enrich/load.js');
  const { enrich } = await import('../src/enrich/index.js');
  const { generateTraffic } = await import('../src/generate/index.js');
  const { decodeApplication } = await import('../src/boundary/validate.js');
  const { createPseudonymiser, pseudonymiseApplication } = await import('../src/boundary/pseudonymise.js');
  const env: Record<string, string> = variant === 'geo only (before)' ? { LENDGUARD_IP_LIST_DATACENTER: '', LENDGUARD_ASN_ENABLED: 'false' } : {};
  if (variant === 'geo + lists') env.LENDGUARD_ASN_ENABLED = 'false';
  const base = loadConfig({ env: Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')) }).enrichment;
  const settings = {
    ...base,
    ipLists: variant === 'geo only (before)' ? { datacenter: [], vpn: [], tor: [], block: [], allow: [] } : base.ipLists,
    asn: { ...base.asn, cacheFile },
  };
  const t0 = performance.now();
  const loaded = loadEnrichment(settings);
  const loadMs = performance.now() - t0;
  const pseudo = createPseudonymiser('bench-key-0123456789abcdef');
  const apps = [];
  for (const g of generateTraffic({ seed: 'enrich-datasets', startMs: Date.now() - 86_400_000, count: N })) {
    apps.push(pseudonymiseApplication(decodeApplication(Buffer.from(JSON.stringify(g)), { maxRecordBytes: 65536 }), pseudo));
  }
  for (const a of apps.slice(0, 2000)) enrich(a, loaded.context); // warm-up
  let hosting = 0;
  let datacenter = 0;
  for (const a of apps) {
    const e = enrich(a, loaded.context);
    if (e['ip.hosting'] === true) hosting++;
    if (e['ip.datacenter'] === true) datacenter++;
  }
  const passes: number[] = [];
  for (let p = 0; p < PASSES; p++) {
    const t1 = performance.now();
    for (const a of apps) enrich(a, loaded.context);
    passes.push(((performance.now() - t1) * 1000) / apps.length);
  }
  const enrichUs = median(passes);
  process.stdout.write(`${JSON.stringify({ loadMs, enrichUs, hosting, datacenter } satisfies Sample)}\n`);
}

async function main(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const dir = mkdtempSync(join(tmpdir(), 'lg-enrich-bench-'));
  const samples = new Map<Variant, Sample[]>(VARIANTS.map((v) => [v, []]));
  try {
    for (let round = 0; round < ROUNDS; round++) {
      for (const variant of VARIANTS) {
        // Each round has its own cache directory (the ASN, list and hosting-AS caches): the cold variant empties it.
        const cacheFile = join(dir, `round-${round}`, 'asn.bin');
        if (variant === 'geo + lists + ASN, cold') rmSync(join(dir, `round-${round}`), { recursive: true, force: true });
        const out = execFileSync(process.execPath, ['--import', 'tsx', self, '--child', variant, cacheFile, String(N)], {
          encoding: 'utf8',
          maxBuffer: 1 << 20,
        });
        const s = JSON.parse(out.trim().split('\n').pop() as string) as Sample;
        samples.get(variant)?.push(s);
        console.log(
          `round ${round + 1} ${variant.padEnd(26)} load ${s.loadMs.toFixed(0).padStart(5)} ms   enrich ${s.enrichUs.toFixed(2).padStart(6)} µs/app   hosting ${s.hosting}  data-centre ${s.datacenter}`,
        );
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const before = samples.get('geo only (before)') as Sample[];
  const rows = VARIANTS.map((v) => {
    const s = samples.get(v) as Sample[];
    return {
      variant: v,
      loadMs: median(s.map((x) => x.loadMs)),
      enrichUs: median(s.map((x) => x.enrichUs)),
      hostingShare: (s[0]?.hosting ?? 0) / N,
      datacenterShare: (s[0]?.datacenter ?? 0) / N,
    };
  });
  const b = { loadMs: median(before.map((x) => x.loadMs)), enrichUs: median(before.map((x) => x.enrichUs)) };
  const result = { when: new Date().toISOString(), machine: machine(), settings: { applications: N, rounds: ROUNDS, enrichPasses: PASSES }, rows };
  const m = result.machine;
  const md = [
    `# Enrichment datasets: start-up and cost per application (${result.when.slice(0, 10)})`,
    '',
    `\`npx tsx bench/enrich-datasets.bench.ts ${N}\` on ${m.cpu}, ${m.cores} cores, Node ${m.node}: each variant in a fresh process, ${ROUNDS} rounds interleaved, medians (enrichment: the median of ${PASSES} passes in each process). ${N.toLocaleString('en')} realistic generated applications (pseudonymised) per run.`,
    '',
    '| variant | load datasets ms | × before | enrich µs/app | × before | hosting AS | data-centre |',
    '|---|---|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.variant} | ${r.loadMs.toFixed(0)} | ${(r.loadMs / b.loadMs).toFixed(2)} | ${r.enrichUs.toFixed(2)} | ${(r.enrichUs / b.enrichUs).toFixed(2)} | ${(r.hostingShare * 100).toFixed(1)} % | ${(r.datacenterShare * 100).toFixed(1)} % |`,
    ),
    '',
  ].join('\n');
  record('enrich-datasets', result, md);
  console.log(`\n${md}`);
}

if (IS_CHILD) await child(process.argv[3] as Variant, process.argv[4] as string);
else await main();
