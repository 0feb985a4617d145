/**
 * The report's model section (pure, from two dimensions of the rollups): which model versions decided, shadow mode's
 * active → candidate levels, and drift: for each feature of a model version seen in both periods, the population
 * stability index of its bin shares in the period against the previous period (src/model/drift.ts's psi). Feature
 * names come from the model files the report was given (`names`); otherwise "feature #i".
 */
import { psi } from '../model/drift.js';
import type { ValueRow } from './queries.js';
import type { ModelSection } from './report.js';

export interface ModelNames {
  version: string;
  features: readonly string[];
  psiThreshold: number;
}

const DEFAULT_PSI_THRESHOLD = 0.25;

function shadowRows(rows: readonly ValueRow[]): Pick<ModelSection, 'shadow' | 'shadowChanged'> {
  const shadow = rows
    .filter((r) => r.applications > 0)
    .map((r) => {
      // "high→low <candidate version>"
      const space = r.value.indexOf(' ');
      const [from = '?', to = '?'] = (space === -1 ? r.value : r.value.slice(0, space)).split('→');
      return { from, to, candidate: space === -1 ? (r.label ?? '') : r.value.slice(space + 1), applications: r.applications };
    })
    .sort((a, b) => b.applications - a.applications || (a.from + a.to < b.from + b.to ? -1 : 1));
  return { shadow, shadowChanged: shadow.filter((s) => s.from !== s.to).reduce((n, s) => n + s.applications, 0) };
}

export function modelSection(shadow: readonly ValueRow[], bins: readonly ValueRow[], names: readonly ModelNames[] = []): ModelSection {
  const versions = bins
    .filter((r) => r.value.endsWith('#*') && r.applications > 0)
    .map((r) => ({ version: r.value.slice(0, -2), applications: r.applications, alerts: r.alerts }));
  const perFeature = new Map<string, Map<string, { cur: number; base: number }>>();
  for (const r of bins) {
    const parts = r.value.split('#');
    if (parts.length !== 3) continue;
    const key = `${parts[0] as string}#${parts[1] as string}`;
    const byBin = perFeature.get(key) ?? perFeature.set(key, new Map()).get(key);
    byBin?.set(parts[2] as string, { cur: r.applications, base: r.baselineApplications });
  }
  const drift: ModelSection['drift'] = [];
  for (const [key, byBin] of perFeature) {
    const [version = '', index = '0'] = key.split('#');
    const cells = [...byBin.values()];
    const cur = cells.map((c) => c.cur);
    const base = cells.map((c) => c.base);
    const baseTotal = base.reduce((s, x) => s + x, 0);
    if (baseTotal === 0 || cur.reduce((s, x) => s + x, 0) === 0) continue;
    const named = names.find((n) => n.version === version);
    const value = psi(
      cur,
      base.map((b) => b / baseTotal),
    );
    drift.push({
      version,
      feature: named?.features[Number(index)] ?? `feature #${index}`,
      psi: value,
      drifted: value > (named?.psiThreshold ?? DEFAULT_PSI_THRESHOLD),
    });
  }
  drift.sort((a, b) => b.psi - a.psi || (a.feature < b.feature ? -1 : 1));
  return { versions, ...shadowRows(shadow), drift };
}
