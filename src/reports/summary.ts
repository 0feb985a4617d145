/**
 * The report's opening sentences (pure): the period's volume against its baseline, then the biggest rises across
 * every dimension, in plain words, each with its numbers and its baseline. "Alerts with rule IP_DATACENTER rose
 * from 0.40% to 6.10% of applications (×15, z = 14)." One attack shows in several dimensions at once (its partner,
 * its region, the partner × region cross): a rise whose value contains, or is contained in, one already said is
 * the same news and is left out (parts of a cross are split at " × ", a region is "country/region"). At most `limit` rises (3–5 sentences read well); when nothing rose, one
 * sentence that says so.
 */
import type { Change } from './trends.js';

export interface DimensionChanges {
  /** how the dimension reads in a sentence: "rule", "partner", "IP region", "network" */
  label: string;
  changes: readonly Change[];
}

const pct = (rate: number): string => `${(rate * 100).toFixed(rate >= 0.01 ? 1 : 2)}%`;
const count = (n: number): string => n.toLocaleString('en');

function times(ratio: number): string {
  if (ratio >= 10) return `×${Math.round(ratio)}`;
  return `×${ratio.toFixed(1)}`;
}

export function describe(label: string, c: Change, period = 'the period'): string {
  const from = c.baseline === 0 ? 'none before' : `${pct(c.baselineRate)} (${count(c.baseline)})`;
  return `Alerts with ${label} ${c.key} rose from ${from} to ${pct(c.currentRate)} (${count(c.current)}) of applications in ${period} (${times(c.ratio)}, z = ${c.z.toFixed(1)}).`;
}

/** "1,204,000 applications were assessed in the last 7 days and 6.1% (73,400) alerted, against 0.40% of 1,198,000 before." */
export function volumeSentence(
  t: { applications: number; alerts: number; alertRate: number; baseline: { applications: number; alertRate: number } },
  period = 'the period',
): string {
  if (t.applications === 0) return `No applications were assessed in ${period}.`;
  const before =
    t.baseline.applications === 0
      ? 'with none counted in the period before'
      : `against ${pct(t.baseline.alertRate)} of ${count(t.baseline.applications)} the period before`;
  return `${count(t.applications)} applications were assessed in ${period} and ${pct(t.alertRate)} (${count(t.alerts)}) alerted, ${before}.`;
}

/** Same news: the keys share a part ("p1 × CN/Beijing" and "p1"), or one is the other's region ("CN/Beijing", "CN"). */
function overlaps(a: string, b: string): boolean {
  const pa = a.split(' × ');
  const pb = b.split(' × ');
  return pa.some((x) => pb.some((y) => x === y || x.startsWith(`${y}/`) || y.startsWith(`${x}/`)));
}

export function summarise(dimensions: readonly DimensionChanges[], opts: { limit?: number; period?: string } = {}): string[] {
  const all = dimensions.flatMap((d) => d.changes.map((c) => ({ label: d.label, c }))).sort((a, b) => b.c.logRatioLow - a.c.logRatioLow || b.c.z - a.c.z);
  if (all.length === 0) return ['Nothing rose beyond chance against the previous period of the same length.'];
  const said: typeof all = [];
  for (const x of all) {
    if (said.length >= (opts.limit ?? 4)) break;
    if (!said.some((s) => overlaps(s.c.key, x.c.key))) said.push(x);
  }
  return said.map(({ label, c }) => describe(label, c, opts.period));
}
