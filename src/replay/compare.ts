/**
 * `replay --compare-model / --compare-rules` (pure): the active decision against the shadow candidate's, over the
 * assessments that carry `shadow`: which applications changed level (a from → to table), which became or stopped
 * being alerts, and, where the lines carry `_truth`, precision, recall and AUC of each, per pattern too.
 */
import { LEVELS, type Assessment, type Level } from '../domain/assessment.js';
import { auc } from '../model/train/metrics.js';
import type { TruthLabel } from './summary.js';

export interface Side {
  rulesVersion: string;
  modelVersion: string | null;
  alerts: number;
  /** with truth: */
  tp: number;
  fp: number;
  fn: number;
  precision: number | null;
  recall: number | null;
  auc: number | null;
}

export interface CompareSummary {
  assessments: number;
  changedLevel: number;
  becameAlerts: number;
  stoppedAlerts: number;
  /** levels[from][to]: active level → candidate level */
  levels: Record<Level, Record<Level, number>>;
  active: Side;
  candidate: Side;
  /** recall of each side per fraud pattern (with truth) */
  patterns: { pattern: string; fraud: number; active: number; candidate: number }[];
}

interface SideAcc {
  rulesVersion: string;
  modelVersion: string | null;
  alerts: number;
  tp: number;
  fp: number;
  fn: number;
  scored: { score: number; fraud: boolean }[];
}

const side = (): SideAcc => ({ rulesVersion: '', modelVersion: null, alerts: 0, tp: 0, fp: 0, fn: 0, scored: [] });
const matrix = (): Record<Level, Record<Level, number>> =>
  Object.fromEntries(LEVELS.map((f) => [f, Object.fromEntries(LEVELS.map((t) => [t, 0]))])) as Record<Level, Record<Level, number>>;

function add(s: SideAcc, alert: boolean, score: number, fraud: boolean | undefined): void {
  if (alert) s.alerts++;
  if (fraud === undefined) return;
  s.scored.push({ score, fraud });
  if (alert && fraud) s.tp++;
  else if (alert) s.fp++;
  else if (fraud) s.fn++;
}

function finish(s: SideAcc): Side {
  const { scored, ...rest } = s;
  const labelled = scored.length > 0;
  return {
    ...rest,
    precision: labelled && s.tp + s.fp > 0 ? s.tp / (s.tp + s.fp) : null,
    recall: labelled && s.tp + s.fn > 0 ? s.tp / (s.tp + s.fn) : null,
    auc: labelled ? auc(scored) : null,
  };
}

export class CompareAccumulator {
  private n = 0;
  private changed = 0;
  private became = 0;
  private stopped = 0;
  private readonly levels = matrix();
  private readonly a = side();
  private readonly c = side();
  private readonly patterns = new Map<string, { fraud: number; active: number; candidate: number }>();

  assessment(x: Assessment, label: TruthLabel | undefined): void {
    const s = x.shadow;
    if (!s) return;
    this.n++;
    this.a.rulesVersion = x.rulesVersion;
    this.a.modelVersion = x.model?.version ?? null;
    this.c.rulesVersion = s.rulesVersion;
    this.c.modelVersion = s.modelVersion;
    this.levels[x.level][s.level] += 1;
    if (x.level !== s.level) this.changed++;
    if (s.alert && !x.alert) this.became++;
    if (x.alert && !s.alert) this.stopped++;
    const fraud = label?.kind === 'valid' ? label.truth.fraud : undefined;
    add(this.a, x.alert, x.model?.probability ?? x.score / 100, fraud);
    add(this.c, s.alert, s.probability ?? s.score / 100, fraud);
    if (label?.kind === 'valid' && label.truth.fraud) {
      const p = this.patterns.get(label.truth.pattern) ?? { fraud: 0, active: 0, candidate: 0 };
      p.fraud++;
      if (x.alert) p.active++;
      if (s.alert) p.candidate++;
      this.patterns.set(label.truth.pattern, p);
    }
  }

  summary(): CompareSummary | undefined {
    if (this.n === 0) return undefined;
    return {
      assessments: this.n,
      changedLevel: this.changed,
      becameAlerts: this.became,
      stoppedAlerts: this.stopped,
      levels: this.levels,
      active: finish(this.a),
      candidate: finish(this.c),
      patterns: [...this.patterns].sort((x, y) => (x[0] < y[0] ? -1 : 1)).map(([pattern, p]) => ({ pattern, ...p })),
    };
  }
}

const pct = (x: number | null): string => (x === null ? '–' : `${(100 * x).toFixed(1)}%`);

export function renderCompare(c: CompareSummary): string {
  const name = (s: Side): string => `rules ${s.rulesVersion}${s.modelVersion ? ` + model ${s.modelVersion}` : ''}`;
  const lines = [
    '',
    `compare: active ${name(c.active)}  vs  candidate ${name(c.candidate)}`,
    `  ${c.assessments} assessments · ${c.changedLevel} changed level · ${c.becameAlerts} became alerts · ${c.stoppedAlerts} stopped being alerts`,
    `  level (active → candidate): ${LEVELS.flatMap((f) => LEVELS.filter((t) => t !== f && c.levels[f][t] > 0).map((t) => `${f}→${t} ${c.levels[f][t]}`)).join(', ') || 'none changed'}`,
    `  ${'side'.padEnd(10)} ${'alerts'.padStart(7)} ${'precision'.padStart(10)} ${'recall'.padStart(8)} ${'AUC'.padStart(7)}`,
  ];
  for (const [label, s] of [
    ['active', c.active],
    ['candidate', c.candidate],
  ] as const)
    lines.push(
      `  ${label.padEnd(10)} ${String(s.alerts).padStart(7)} ${pct(s.precision).padStart(10)} ${pct(s.recall).padStart(8)} ${(s.auc?.toFixed(4) ?? '–').padStart(7)}`,
    );
  if (c.patterns.length > 0) {
    lines.push('  recall per pattern: active / candidate');
    for (const p of c.patterns)
      lines.push(`    ${p.pattern.padEnd(24)} ${String(p.fraud).padStart(6)}  ${pct(p.active / p.fraud).padStart(6)} / ${pct(p.candidate / p.fraud)}`);
  }
  return lines.join('\n');
}
