/**
 * Summary of a V8 .cpuprofile (as written by `node --cpu-prof`): self time by function and by area
 * (our modules, each npm package, Node internals, GC), and inclusive time of our own functions.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface ProfileEntry {
  name: string;
  where: string;
  area: string;
  ms: number;
  /** Share of busy time (all samples except idle). */
  pct: number;
}

export interface ProfileSummary {
  file: string;
  durationMs: number;
  busyMs: number;
  idlePct: number;
  topSelf: ProfileEntry[];
  areas: { area: string; ms: number; pct: number }[];
  /** Our own functions (src/) by inclusive time: the synchronous work below them. */
  topInclusiveOurs: ProfileEntry[];
}

/** Where a frame's code lives: `src/<dir>` (ours), an npm package, `node:<module>`, or a V8 pseudo-frame. */
export function areaOf(url: string, functionName: string): string {
  if (url === '') {
    if (/^\((garbage collector|idle|program|root)\)$/.test(functionName)) return functionName;
    return '(native / V8 builtins)';
  }
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (nm) return nm[1] as string;
  const ours = /\/(src|bench)\/(.+?)(?:\.[cm]?[jt]s)?$/.exec(url.replace(/\?.*$/, ''));
  if (ours) {
    const parts = (ours[2] as string).split('/');
    return `${ours[1]}/${parts[0]}`;
  }
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/').slice(0, 2).join('/')}`;
  return url.replace(/^file:\/\//, '');
}

/** Our code: the repository's src/, not a package's. */
function isOurs(url: string): boolean {
  return /\/src\//.test(url) && !url.includes('/node_modules/');
}

function shortWhere(url: string, line: number): string {
  if (url === '') return '';
  const nm = /node_modules\/(.+)$/.exec(url);
  const path = nm ? (nm[1] as string) : (/\/((?:src|bench)\/.+)$/.exec(url)?.[1] ?? url.replace(/^file:\/\//, ''));
  // tsx-compiled modules report line 0 for every function: the file alone then.
  return line > 0 ? `${path}:${line + 1}` : path;
}

export function summariseProfile(file: string, top = 25): ProfileSummary {
  const prof = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(prof.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const durationMs = (prof.endTime - prof.startTime) / 1000;

  // Time per sample: the delta to the next sample (V8's convention), the last one gets the mean.
  const samples = prof.samples ?? [];
  const deltas = prof.timeDeltas ?? [];
  const selfUs = new Map<number, number>();
  const mean = samples.length > 0 ? (prof.endTime - prof.startTime) / samples.length : 0;
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    const dt = i + 1 < deltas.length ? (deltas[i + 1] as number) : mean;
    selfUs.set(id, (selfUs.get(id) ?? 0) + Math.max(0, dt));
  }

  const keyOf = (n: ProfileNode): string => `${n.callFrame.functionName || '(anonymous)'}|${n.callFrame.url}|${n.callFrame.lineNumber}`;
  const self = new Map<string, { node: ProfileNode; us: number }>();
  const areas = new Map<string, number>();
  let idleUs = 0;
  let totalUs = 0;
  for (const [id, us] of selfUs) {
    const n = byId.get(id);
    if (!n) continue;
    totalUs += us;
    if (n.callFrame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const k = keyOf(n);
    const e = self.get(k) ?? { node: n, us: 0 };
    e.us += us;
    self.set(k, e);
    const area = areaOf(n.callFrame.url, n.callFrame.functionName);
    areas.set(area, (areas.get(area) ?? 0) + us);
  }
  const busyUs = Math.max(1, totalUs - idleUs);
  const entry = (node: ProfileNode, us: number): ProfileEntry => ({
    name: node.callFrame.functionName || '(anonymous)',
    where: shortWhere(node.callFrame.url, node.callFrame.lineNumber),
    area: areaOf(node.callFrame.url, node.callFrame.functionName),
    ms: us / 1000,
    pct: (100 * us) / busyUs,
  });

  // Inclusive time of our functions: each sample counts once per distinct function on its stack.
  const inclusive = new Map<string, { node: ProfileNode; us: number }>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const n = byId.get(cur);
      if (!n || !isOurs(n.callFrame.url)) continue;
      const k = keyOf(n);
      if (seen.has(k)) continue;
      seen.add(k);
      const e = inclusive.get(k) ?? { node: n, us: 0 };
      e.us += us;
      inclusive.set(k, e);
    }
  }

  return {
    file,
    durationMs,
    busyMs: busyUs / 1000,
    idlePct: totalUs > 0 ? (100 * idleUs) / totalUs : 0,
    topSelf: [...self.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, top)
      .map((e) => entry(e.node, e.us)),
    areas: [...areas].sort((a, b) => b[1] - a[1]).map(([area, us]) => ({ area, ms: us / 1000, pct: (100 * us) / busyUs })),
    topInclusiveOurs: [...inclusive.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, 15)
      .map((e) => entry(e.node, e.us)),
  };
}
