/**
 * Identity graph cost: per-application applyLinks + analyseApplication (p50/p99), memory per application,
 * full and incremental ring detection, eviction, and a restart replay, at 100k and 1M applications with
 * synthetic but realistic sharing (most identifiers unique; households share IPs; carrier-NAT IPs, subnets and
 * employers are shared widely; 1 application in 125 is in an 8-member ring sharing devices, a bank account and
 * a contact).
 *
 *   node --expose-gc --import tsx bench/graph.bench.ts [sizes=100000,1000000]
 *
 * Writes bench/results/graph.{json,md}.
 */
import { IdentityGraph } from '../src/graph/identity-graph.js';
import { flatString, LINK_KINDS, type LinkKind } from '../src/graph/kinds.js';
import { identifierNode, linkId, type GraphLink } from '../src/graph/links.js';
import { analyseApplication } from '../src/graph/neighbourhood.js';
import { detectRings, type Ring } from '../src/graph/rings.js';
import { machine, record, summarise } from './lib.js';

const SIZES = (process.argv[2] ?? '100000,1000000').split(',').map(Number);
const T0 = Date.UTC(2026, 5, 1);
const SPAN_MS = 30 * 86_400_000;
const BATCH = 200;
const gc = (globalThis as { gc?: () => void }).gc ?? ((): void => { throw new Error('run with node --expose-gc'); });

/** Deterministic hash → [0, 1). */
const h = (i: number, salt: number): number => (((Math.imul(i ^ (salt * 0x9e3779b1), 0x85ebca6b) ^ (i >>> 13)) * 0xc2b2ae35) >>> 0) / 4294967296;
const pid = (p: string, n: number | string): string => `${p}_${String(n).padStart(22, '0')}`; // as long as a real pseudonym

function linksOfApp(i: number, n: number): GraphLink[] {
  const app = flatString(`app:${pid('bench', i)}`); // as linksFor builds them
  const atMs = T0 + Math.floor((i * SPAN_MS) / n);
  const ring = i % 1000 < 8 ? Math.floor(i / 1000) : -1;
  const out: GraphLink[] = [];
  const add = (kind: LinkKind, id: string, masked: string): void => {
    const node = identifierNode(kind, id);
    out.push({ id: linkId(app, kind, node), app, node, kind, atMs, masked });
  };
  const ipDraw = h(i, 2);
  add('device', ring >= 0 ? pid('dev_ring', `${ring}_${i % 2}`) : h(i, 1) < 0.02 ? pid('dev_used', Math.floor(h(i, 11) * (n / 200))) : pid('dev', i), 'de******');
  add('ip', ipDraw < 0.6 ? pid('ip', i) : ipDraw < 0.9 ? pid('ip_home', Math.floor(h(i, 12) * (n / 3))) : pid('ip_nat', Math.floor(h(i, 13) * 200)), '10.1.2.*');
  add('subnet', pid('net', Math.floor(h(i, 3) * (n / 50))), '10.1.2.*');
  add('phone', pid('ph', i), '138****5678');
  if (h(i, 4) < 0.8) add('email', pid('em', i), 'a***@qq.com');
  add('nationalId', h(i, 5) < 0.03 && i > 1000 ? pid('nid', i - 1000) : pid('nid', i), '110***********1234');
  if (h(i, 6) < 0.9) add('bankAccount', ring >= 0 ? pid('ba_ring', ring) : h(i, 16) < 0.01 ? pid('ba_shared', Math.floor(h(i, 17) * (n / 100))) : pid('ba', i), '************1234');
  if (h(i, 7) < 0.8) add('address', h(i, 18) < 0.05 ? pid('adr_shared', Math.floor(h(i, 19) * (n / 20))) : pid('adr', i), '浙江******');
  if (h(i, 8) < 0.7) add('employer', pid('emp', Math.floor(h(i, 20) * (n / 100))), '杭州******');
  for (let k = 0; k < 3; k++) {
    const draw = h(i * 3 + k, 9);
    add('contact', ring >= 0 && k === 0 ? pid('ph_broker', ring) : draw < 0.95 ? pid('ph_c', i * 3 + k) : pid('ph', Math.floor(h(i * 3 + k, 21) * n)), '139****0000');
  }
  return out;
}

const fmt = (x: number, d = 1): string => x.toFixed(d);

/** Of the injected 8-member rings, how many are inside one detected ring, and how many exactly. */
function injected(rings: readonly Ring[], n: number): { injectedRings: number; injectedFound: number; injectedExact: number } {
  const ringOf = new Map<string, Ring>();
  for (const r of rings) for (const m of r.members) ringOf.set(m, r);
  let found = 0;
  let exact = 0;
  for (let start = 0; start < n; start += 1000) {
    const members = Array.from({ length: 8 }, (_, j) => pid('bench', start + j));
    const r = ringOf.get(members[0] as string);
    if (!r || !members.every((m) => ringOf.get(m) === r)) continue;
    found++;
    if (r.size === 8) exact++;
  }
  return { injectedRings: Math.ceil(n / 1000), injectedFound: found, injectedExact: exact };
}

// eslint-disable-next-line @typescript-eslint/explicit-function-return-type
function runSize(n: number) {
  console.log(`\n== ${n.toLocaleString('en')} applications ==`);
  gc();
  const heap0 = process.memoryUsage().heapUsed;
  const g = new IdentityGraph();
  const apply = new Float64Array(n);
  const analyse = new Float64Array(n);
  const nowMs = (i: number): number => T0 + Math.floor((i * SPAN_MS) / n);
  const started = performance.now();
  let linkCount = 0;
  for (let i = 0; i < n; i++) {
    const links = linksOfApp(i, n);
    linkCount += links.length;
    const t0 = performance.now();
    g.applyLinks(links);
    const t1 = performance.now();
    analyseApplication(g.graph, pid('bench', i), { nowMs: nowMs(i) });
    analyse[i] = performance.now() - t1;
    apply[i] = t1 - t0;
    if (i % 200_000 === 199_999) console.log(`  ${i + 1} applied, ${fmt((performance.now() - started) / 1000)} s`);
  }
  const buildS = (performance.now() - started) / 1000;
  gc();
  const mem = process.memoryUsage();
  const bytesPerApp = (mem.heapUsed - heap0) / n;
  const stats = g.stats();

  let t = performance.now();
  const rings = detectRings(g.graph, { nowMs: nowMs(n) });
  const fullRingsMs = performance.now() - t;

  const incremental: number[] = [];
  for (let b = 0; b < 10; b++) {
    const links: GraphLink[] = [];
    for (let j = 0; j < BATCH; j++) links.push(...linksOfApp(n + b * BATCH + j, n));
    const change = g.applyLinks(links);
    t = performance.now();
    detectRings(g.graph, { nowMs: nowMs(n), changedApps: change.changedApps });
    incremental.push(performance.now() - t);
  }
  t = performance.now();
  const evicted = g.evictOlderThan(T0 + SPAN_MS / 10);
  const evictMs = performance.now() - t;

  const a = summarise(Array.from(apply, (x) => x * 1000));
  const q = summarise(Array.from(analyse, (x) => x * 1000));
  const both = summarise(Array.from(apply, (x, i) => (x + (analyse[i] as number)) * 1000));
  const result = {
    applications: n,
    links: linkCount,
    graph: { nodes: stats.graphNodes, edges: stats.graphEdges, solos: stats.solos, logicalNodes: Object.values(stats.nodes).reduce((x, y) => x + y, 0) },
    applyUs: a,
    analyseUs: q,
    perAppUs: both,
    buildSeconds: buildS,
    heapUsedMiB: mem.heapUsed / 2 ** 20,
    rssMiB: mem.rss / 2 ** 20,
    bytesPerApp,
    rings: rings.length,
    ringsScore60: rings.filter((r) => r.score >= 60).length,
    ringsScore50: rings.filter((r) => r.score >= 50).length,
    ...injected(rings, n),
    fullDetectRingsMs: fullRingsMs,
    incrementalDetectRingsMs: summarise(incremental),
    evictOldestTenthMs: evictMs,
    evictedLinks: evicted,
  };
  console.log(`  apply p50 ${fmt(a.p50)} µs p99 ${fmt(a.p99)} µs | analyse p50 ${fmt(q.p50)} µs p99 ${fmt(q.p99)} µs`);
  console.log(`  heap ${fmt(result.heapUsedMiB, 0)} MiB, rss ${fmt(result.rssMiB, 0)} MiB, ${fmt(bytesPerApp, 0)} B/app; graph ${stats.graphNodes} nodes / ${stats.graphEdges} edges + ${stats.solos} solos`);
  console.log(`  rings ${rings.length} (score ≥ 50: ${result.ringsScore50}, ≥ 60: ${result.ringsScore60}; injected rings found whole ${result.injectedFound}/${result.injectedRings}, exactly ${result.injectedExact}); full detectRings ${fmt(fullRingsMs, 0)} ms; incremental (batch of ${BATCH}) p50 ${fmt(result.incrementalDetectRingsMs.p50, 2)} ms; evict 10% ${fmt(evictMs, 0)} ms`);
  return result;
}

function replay(n: number): { links: number; seconds: number } {
  gc();
  const g = new IdentityGraph();
  const t = performance.now();
  let links = 0;
  for (let i = 0; i < n; i += 1000) {
    const batch: GraphLink[] = [];
    for (let j = i; j < Math.min(n, i + 1000); j++) batch.push(...linksOfApp(j, n));
    links += batch.length;
    g.applyLinks(batch);
  }
  const seconds = (performance.now() - t) / 1000;
  console.log(`  replay of ${links.toLocaleString('en')} links (${n.toLocaleString('en')} applications): ${fmt(seconds)} s`);
  return { links, seconds };
}

const results = SIZES.map((n) => ({ ...runSize(n), replay: replay(n) }));
const m = machine();
const rows = results.map(
  (r) =>
    `| ${r.applications.toLocaleString('en')} | ${fmt(r.applyUs.p50)} / ${fmt(r.applyUs.p99)} | ${fmt(r.analyseUs.p50)} / ${fmt(r.analyseUs.p99)} | ${fmt(r.bytesPerApp, 0)} | ${fmt(r.heapUsedMiB, 0)} / ${fmt(r.rssMiB, 0)} | ${fmt(r.fullDetectRingsMs, 0)} | ${fmt(r.incrementalDetectRingsMs.p50, 2)} / ${fmt(r.incrementalDetectRingsMs.p99, 2)} | ${fmt(r.evictOldestTenthMs, 0)} | ${fmt(r.replay.seconds, 1)} | ${r.rings} (${r.ringsScore50}; ${r.injectedFound}/${r.injectedRings}) |`,
);
const md = `# Identity graph cost (${new Date().toISOString().slice(0, 10)})

Machine: ${m.cpu}, ${m.cores} cores, ${m.memGiB} GiB, Node ${m.node}. \`node --expose-gc --import tsx bench/graph.bench.ts\`.
Synthetic links (${LINK_KINDS.length} link kinds, ~11.2 links per application), one applyLinks + analyseApplication per application
(maxHops 2, maxNodes 500), rings every 1000 applications; incremental ring detection after batches of ${BATCH}.

| applications | applyLinks µs p50 / p99 | analyse µs p50 / p99 | bytes / app (heap) | heap / RSS MiB | full detectRings ms | incremental ms p50 / p99 | evict oldest 10 % ms | replay s | rings (score ≥ 50; injected found) |
|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}
`;
console.log(`\n${md}`);
record('graph', { machine: m, settings: { sizes: SIZES, batch: BATCH, maxHops: 2, maxNodes: 500 }, results }, md);
