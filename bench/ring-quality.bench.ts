/**
 * Ring detection quality on generated traffic (realistic profile: families, offices, carrier NAT, popular
 * contacts and a giant contact component in the background; camouflaged rings of five shapes), through the real
 * in-process pipeline (memory state, identity graph, default rules). Per ring shape: rings found (a member
 * flagged), members flagged (RING_MEMBER on the member's own assessment, or named by a ring alert), detection
 * delay (ring applications assessed before the first flagged one). Then RING_MEMBER precision, and the share of
 * legitimate hub applications (families, office NAT, carrier NAT, popular-contact listers) that were alerted or
 * put in a ring, each apart.
 *
 *   npx tsx bench/ring-quality.bench.ts [applications=60000] [attackShare=0.06] [seed=7] [profile=realistic] [spanHours=24] [bomb=0]
 *
 * Writes bench/results/ring-quality.{json,md}.
 */
import type { Assessment } from '../src/domain/assessment.js';
import { generateTraffic, type GeneratedApplication } from '../src/generate/index.js';
import { processBatch, type InputRecord } from '../src/pipeline/process-batch.js';
import { benchConfig, benchRules, inProcessDeps } from './in-process.js';
import { legitHubs, type HubClass } from './hubs.js';
import { machine, record } from './lib.js';

const N = Number(process.argv[2] ?? 60_000);
const SHARE = Number(process.argv[3] ?? 0.06);
const SEED = process.argv[4] ?? '7';
const PROFILE = (process.argv[5] ?? 'realistic') as 'realistic' | 'simple';
const SPAN_H = Number(process.argv[6] ?? 24);
const BOMB = Number(process.argv[7] ?? 0);
const config = benchConfig;
const ruleSet = benchRules;
const deps = inProcessDeps('ring-quality');
const graph = deps.graph;

interface TruthRing {
  pattern: string;
  members: Set<string>;
  order: string[];
  flagged: Set<string>;
}

const RING_FLAGS = new Set(['RING_MEMBER', 'GRAPH_BURST']);
const pct = (x: number | null): string => (x === null || Number.isNaN(x) ? '–' : `${(x * 100).toFixed(1)}%`);

async function main(): Promise<void> {
  const traffic: GeneratedApplication[] = [
    ...generateTraffic({
      seed: SEED,
      count: N,
      attacks: ['ring'],
      attackShare: SHARE,
      spanMs: SPAN_H * 3600_000,
      profile: PROFILE,
      ...(BOMB > 0 ? { bomb: BOMB } : {}),
    } as Parameters<typeof generateTraffic>[0]),
  ];
  const truth = new Map<string, TruthRing>();
  const fraud = new Set<string>();
  for (const a of traffic) {
    const t = a._truth;
    if (t.fraud) fraud.add(a.applicationId);
    if (!t.ringId) continue;
    const r = truth.get(t.ringId) ?? { pattern: t.pattern, members: new Set(), order: [], flagged: new Set() };
    r.members.add(a.applicationId);
    truth.set(t.ringId, r);
  }
  const ringOf = new Map<string, TruthRing>();
  for (const r of truth.values()) for (const m of r.members) ringOf.set(m, r);
  const hubs = legitHubs(traffic);

  const assessments: Assessment[] = [];
  const alerted = new Set<string>(); // named by a ring alert
  const t0 = performance.now();
  for (let i = 0; i < traffic.length; i += 200) {
    const records: InputRecord[] = traffic.slice(i, i + 200).map((a, k) => ({
      key: a.applicationId,
      value: Buffer.from(JSON.stringify(a)),
      source: { topic: 't', partition: 0, offset: String(i + k), timestampMs: Date.parse(a.eventTime) },
    }));
    const result = await processBatch(records, deps);
    graph.acknowledge(result.reportedRings);
    assessments.push(...result.assessments);
    for (const out of result.outputs) {
      const value = String(out.value);
      if (out.topic !== 'b' || !value.startsWith('{"alertType":"ring"')) continue;
      const alert = JSON.parse(value) as { ring: { members: string[] }; newMembers: string[] };
      for (const m of [...alert.ring.members, ...alert.newMembers]) alerted.add(m);
    }
  }
  const seconds = (performance.now() - t0) / 1000;

  let ringFlags = 0;
  let ringFlagsTrue = 0;
  let ringFlagsFraud = 0;
  const hubAlerted = new Map<HubClass, { apps: number; alerted: number; ringed: number }>();
  for (const a of assessments) {
    const r = ringOf.get(a.applicationId);
    if (r) r.order.push(a.applicationId);
    const flagged = a.flags.some((f) => RING_FLAGS.has(f.code));
    if (flagged) {
      assessmentsFlagged.add(a.applicationId);
      ringFlags++;
      if (r) ringFlagsTrue++;
      if (fraud.has(a.applicationId)) ringFlagsFraud++;
      r?.flagged.add(a.applicationId);
      if (!r && process.env.RING_DEBUG) falseRings.set(a.ring?.id ?? '?', a.ring);
    }
    for (const cls of hubs.get(a.applicationId) ?? []) {
      const h = hubAlerted.get(cls) ?? { apps: 0, alerted: 0, ringed: 0 };
      h.apps++;
      if (a.alert) h.alerted++;
      if (flagged || alerted.has(a.applicationId)) h.ringed++;
      hubAlerted.set(cls, h);
    }
  }
  for (const r of truth.values()) for (const m of r.members) if (alerted.has(m)) r.flagged.add(m);
  if (process.env.RING_DEBUG) {
    const kinds = new Map<string, number>();
    for (const ring of falseRings.values()) {
      const key = `${ring?.pattern} ids=${ring?.identities} ${[...new Set(ring?.binders.filter((b) => b.members >= 2).map((b) => `${b.class}${b.members}`))].sort().join(',')}`;
      kinds.set(key, (kinds.get(key) ?? 0) + 1);
    }
    for (const [k, n] of [...kinds].sort((a, b) => b[1] - a[1]).slice(0, 40)) console.log(String(n).padStart(4), k);
  }

  const byShape = new Map<string, TruthRing[]>();
  for (const r of truth.values()) byShape.set(r.pattern, [...(byShape.get(r.pattern) ?? []), r]);
  const shapes = [...byShape]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([pattern, rings]) => {
      const delays = rings
        .map((r) => r.order.findIndex((m) => assessmentsFlagged.has(m)))
        .filter((d) => d >= 0)
        .sort((a, b) => a - b);
      const members = rings.reduce((n, r) => n + r.members.size, 0);
      const ownFlags = rings.reduce((n, r) => n + [...r.members].filter((m) => assessmentsFlagged.has(m)).length, 0);
      return {
        pattern,
        rings: rings.length,
        meanSize: Math.round((members / rings.length) * 10) / 10,
        recall: rings.filter((r) => r.flagged.size > 0).length / rings.length,
        memberRecall: rings.reduce((n, r) => n + r.flagged.size, 0) / members,
        ownFlagRecall: ownFlags / members,
        delayP50: delays[Math.floor(delays.length / 2)] ?? null,
        delayMax: delays[delays.length - 1] ?? null,
      };
    });
  const allMembers = [...truth.values()].reduce((n, r) => n + r.members.size, 0);
  const result = {
    when: new Date().toISOString(),
    machine: machine(),
    settings: {
      applications: traffic.length,
      attackShare: SHARE,
      seed: SEED,
      profile: PROFILE,
      spanHours: SPAN_H,
      bomb: BOMB,
      rulesVersion: ruleSet.version,
      graph: config.graph,
    },
    shapes,
    membersFlagged: [...truth.values()].reduce((n, r) => n + r.flagged.size, 0) / allMembers,
    ringFlags,
    ringFlagPrecision: ringFlags ? ringFlagsTrue / ringFlags : null,
    ringFlagFraudPrecision: ringFlags ? ringFlagsFraud / ringFlags : null,
    hubs: Object.fromEntries([...hubAlerted].map(([k, v]) => [k, { ...v, alertedShare: v.alerted / v.apps, ringedShare: v.ringed / v.apps }])),
    graph: graph.stats(),
    seconds,
  };
  const hubRows = [...hubAlerted]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `| ${k} | ${v.apps.toLocaleString('en')} | ${pct(v.alerted / v.apps)} | ${pct(v.ringed / v.apps)} |`);
  const md = [
    `# Ring detection quality (${result.when.slice(0, 10)})`,
    '',
    `${traffic.length.toLocaleString('en')} generated applications (profile ${PROFILE}, seed ${SEED}, ${pct(SHARE)} ring applications${BOMB ? `, a graph bomb of ${BOMB}` : ''}) over ${SPAN_H} h of event time; rules ${ruleSet.version}; in-process pipeline with memory state (${seconds.toFixed(1)} s). Machine: ${result.machine.cpu}, ${result.machine.cores} cores. \`npx tsx bench/ring-quality.bench.ts ${N} ${SHARE} ${SEED} ${PROFILE} ${SPAN_H} ${BOMB}\``,
    '',
    '| shape | rings | mean size (apps) | rings found | members flagged | flagged on own assessment | delay p50 (apps) | delay max |',
    '|---|---|---|---|---|---|---|---|',
    ...shapes.map(
      (s) =>
        `| ${s.pattern} | ${s.rings} | ${s.meanSize} | ${pct(s.recall)} | ${pct(s.memberRecall)} | ${pct(s.ownFlagRecall)} | ${s.delayP50 ?? '–'} | ${s.delayMax ?? '–'} |`,
    ),
    '',
    `Members flagged overall: ${pct(result.membersFlagged)}. RING_MEMBER/GRAPH_BURST flags: ${ringFlags}, precision ${pct(result.ringFlagPrecision)} (on true ring members), ${pct(result.ringFlagFraudPrecision)} on any fraud.`,
    '',
    '| legitimate hub applications | applications | alerted (any rule) | in a ring (flag or alert) |',
    '|---|---|---|---|',
    ...hubRows,
    '',
    'Members flagged = flagged RING_MEMBER on their own assessment, or named by a ring alert (the formed/grew alert names the members so far). Delay = ring applications assessed before the first one flagged on its own assessment.',
    '',
  ].join('\n');
  record(PROFILE === 'realistic' && !BOMB ? 'ring-quality' : `ring-quality-${PROFILE}${BOMB ? '-bomb' : ''}`, result, md);
  console.log(md);
}

/** Applications flagged RING_MEMBER / GRAPH_BURST on their own assessment. */
const assessmentsFlagged = new Set<string>();
const falseRings = new Map<string, Assessment['ring']>();

await main();
