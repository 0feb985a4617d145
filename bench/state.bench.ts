/**
 * The state store alone, on one Redis and on the 3-master cluster, side by side in one run: the same state
 * requests (captured from the real pipeline on generated traffic, realistic profile) applied to each, with
 *   - the client's CPU and wall time per application (ioredis, building and reading the script calls);
 *   - each Redis server's CPU per application (/proc/<pid>/stat; the cluster's summed over its masters);
 *   - INFO commandstats: script calls and the Redis commands they ran, per application.
 * No Kafka here: this isolates the state work from the rest of the processor.
 *
 *   bash scripts/services.sh up && npx tsx bench/state.bench.ts [applications=30000] [batch=200] [rounds=2]
 *
 * Writes bench/results/state.{json,md}.
 */
import { readFileSync } from 'node:fs';
import { Cluster, Redis } from 'ioredis';
import { createPseudonymiser } from '../src/boundary/pseudonymise.js';
import { generateTraffic } from '../src/generate/index.js';
import type { StateRequest, StateStore } from '../src/pipeline/ports.js';
import { processBatch, type InputRecord, type PipelineDeps } from '../src/pipeline/process-batch.js';
import { createKeyBuilder } from '../src/state/keys.js';
import { createMemoryStateStore } from '../src/state/memory-state-store.js';
import { createRedisStateStore } from '../src/state/redis-state-store.js';
import { inProcessDeps } from './in-process.js';
import { unlinkPrefix } from '../test/helpers/redis-keys.js';
import { REDIS_CLUSTER_PORTS, REDIS_URL } from './harness.js';
import { machine, record } from './lib.js';

const N = Number(process.argv[2] ?? 30_000);
const BATCH = Number(process.argv[3] ?? 200);
const ROUNDS = Number(process.argv[4] ?? 3);

/** The state requests the real pipeline makes for N generated applications, in batches of BATCH. */
async function captureRequests(): Promise<StateRequest[]> {
  const requests: StateRequest[] = [];
  const memory = createMemoryStateStore();
  const capture: StateStore = { apply: (r) => (requests.push(structuredClone(r)), memory.apply(r)) };
  const base = inProcessDeps('state-bench');
  const deps: PipelineDeps = { ...base, store: capture, pseudonymise: createPseudonymiser('bench-key-0123456789abcdef') };
  const start = Date.parse('2026-11-30T00:00:00Z');
  const records: InputRecord[] = [];
  for (const g of generateTraffic({ seed: 'state-bench', count: N, startMs: start, spanMs: 86_400_000, profile: 'realistic', attackShare: 0.05 })) {
    const { _truth: _t, ...raw } = g;
    records.push({
      key: null,
      value: Buffer.from(JSON.stringify(raw)),
      source: { topic: 't', partition: 0, offset: String(records.length), timestampMs: Date.now() },
    });
  }
  for (let i = 0; i < records.length; i += BATCH) await processBatch(records.slice(i, i + BATCH), deps);
  return requests;
}

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

interface Server {
  name: string;
  client: Redis;
  pid: number;
}

async function server(name: string, url: string): Promise<Server> {
  const client = new Redis(url, { lazyConnect: true });
  await client.connect();
  const pid = Number(/^process_id:(\d+)/m.exec(await client.info('server'))?.[1]);
  return { name, client, pid };
}

/** calls per command name, from INFO commandstats. */
async function commandCalls(s: Server): Promise<Map<string, { calls: number; usec: number }>> {
  const out = new Map<string, { calls: number; usec: number }>();
  for (const m of (await s.client.info('commandstats')).matchAll(/^cmdstat_([^:]+):calls=(\d+),usec=(\d+)/gm))
    out.set(m[1] as string, { calls: Number(m[2]), usec: Number(m[3]) });
  return out;
}

interface Result {
  variant: string;
  round: number;
  applications: number;
  clientCpuUsPerApp: number;
  wallUsPerApp: number;
  redisCpuUsPerApp: number;
  perServer: number[];
  /** Redis commands per application (script calls and the commands scripts ran), from commandstats. */
  commandsPerApp: Record<string, number>;
  /** Redis's time in each command per application (µs, commandstats; a script's includes its commands') */
  usecPerApp: Record<string, number>;
  scriptUsecPerApp: number;
}

async function measure(variant: string, round: number, store: StateStore, servers: Server[], requests: StateRequest[]): Promise<Result> {
  const before = await Promise.all(servers.map(commandCalls));
  const ticks0 = servers.map((s) => cpuTicks(s.pid));
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let applications = 0;
  for (const r of requests) {
    await store.apply(r);
    applications += r.applications.length;
  }
  const wall = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const perServer = servers.map((s, i) => ((cpuTicks(s.pid) - (ticks0[i] as number)) * 1e4) / applications);
  const after = await Promise.all(servers.map(commandCalls));
  const commandsPerApp: Record<string, number> = {};
  const usecPerApp: Record<string, number> = {};
  let scriptUsec = 0;
  after.forEach((stats, i) => {
    for (const [name, v] of stats) {
      const was = before[i]?.get(name) ?? { calls: 0, usec: 0 };
      if (v.calls === was.calls || name === 'info' || name === 'cluster') continue;
      commandsPerApp[name] = (commandsPerApp[name] ?? 0) + (v.calls - was.calls) / applications;
      usecPerApp[name] = (usecPerApp[name] ?? 0) + (v.usec - was.usec) / applications;
      if (name === 'evalsha' || name === 'eval') scriptUsec += v.usec - was.usec;
    }
  });
  const result: Result = {
    variant,
    round,
    applications,
    clientCpuUsPerApp: ((cpu.user + cpu.system) / applications) | 0,
    wallUsPerApp: ((wall * 1000) / applications) | 0,
    redisCpuUsPerApp: Math.round(perServer.reduce((a, b) => a + b, 0)),
    perServer: perServer.map(Math.round),
    commandsPerApp: Object.fromEntries(Object.entries(commandsPerApp).map(([k, v]) => [k, Math.round(v * 100) / 100])),
    usecPerApp: Object.fromEntries(Object.entries(usecPerApp).map(([k, v]) => [k, Math.round(v * 10) / 10])),
    scriptUsecPerApp: Math.round(scriptUsec / applications),
  };
  console.log(JSON.stringify(result));
  return result;
}

async function main(): Promise<void> {
  console.log(`capturing the state requests of ${N} generated applications (realistic profile, batches of ${BATCH}) …`);
  const requests = await captureRequests();
  const single = await server('redis', REDIS_URL);
  const masters = await Promise.all(REDIS_CLUSTER_PORTS.map((p) => server(`cluster:${p}`, `redis://127.0.0.1:${p}`)));
  const cluster = new Cluster(
    REDIS_CLUSTER_PORTS.map((port) => ({ host: '127.0.0.1', port })),
    { lazyConnect: true },
  );
  await cluster.connect();
  const rows: Result[] = [];
  let runs = 0;
  // Each run writes under a fresh prefix, dropped right after it, so every run starts from the same key count.
  const run = async (variant: string, round: number, make: (prefix: string) => StateStore, servers: Server[]) => {
    const prefix = `bench-state-${process.pid}-${runs++}:`;
    try {
      rows.push(await measure(variant, round, make(prefix), servers, requests));
    } finally {
      for (const s of servers) await unlinkPrefix(s.client, prefix);
    }
  };
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      await run('one Redis', round, (p) => createRedisStateStore(single.client, createKeyBuilder(p), { sightingTtlMs: 86_400_000 }), [single]);
      await run(
        '3-master cluster',
        round,
        (p) => createRedisStateStore(cluster, createKeyBuilder(p, { hashTags: true }), { sightingTtlMs: 86_400_000 }),
        masters,
      );
    }
  } finally {
    for (const s of [single, ...masters]) s.client.disconnect();
    cluster.disconnect();
  }
  const m = machine();
  const lines = [
    `# State store: one Redis and a 3-master cluster (${new Date().toISOString().slice(0, 16)}Z)`,
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, Node ${m.node}; Redis 7.0 (one server, and three cluster masters on loopback, no replicas, no persistence), all on this box.`,
    `\`npx tsx bench/state.bench.ts ${N} ${BATCH} ${ROUNDS}\`: the state requests of ${N.toLocaleString('en-US')} generated applications (realistic profile, 5 % attacks, batches of ${BATCH}), captured from the real pipeline, applied to each store in turn, ${ROUNDS} rounds.`,
    '',
    '| store | round | client CPU µs/app | wall µs/app | Redis CPU µs/app (per server) | script calls /app | Redis commands /app (in scripts; their µs/app) | script time µs/app (commandstats) |',
    '|---|---|---|---|---|---|---|---|',
    ...rows.map((r) => {
      const calls = (r.commandsPerApp.evalsha ?? 0) + (r.commandsPerApp.eval ?? 0);
      const inner = Object.entries(r.commandsPerApp)
        .filter(([k]) => k !== 'evalsha' && k !== 'eval' && k !== 'exists')
        .map(([k, v]) => `${k} ${v} (${r.usecPerApp[k] ?? '?'} µs)`)
        .join(', ');
      return `| ${r.variant} | ${r.round} | ${r.clientCpuUsPerApp} | ${r.wallUsPerApp} | **${r.redisCpuUsPerApp}** (${r.perServer.join(' + ')}) | ${Math.round(calls * 1000) / 1000} | ${inner} | ${r.scriptUsecPerApp} |`;
    }),
  ];
  record('state', { machine: m, n: N, batch: BATCH, rows }, lines.join('\n'));
  console.log(`\n${lines.join('\n')}`);
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
