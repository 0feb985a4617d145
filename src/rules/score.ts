import type { Flag, Level } from '../domain/assessment.js';

export interface Thresholds {
  medium: number;
  high: number;
  critical: number;
}

/**
 * How flag weights (0–100) combine into a 0–100 score:
 *   sum       add the weights, cap at 100 (default): independent signals pile up.
 *   max       the strongest single flag: signals never add up.
 *   noisy-or  100 × (1 − Π(1 − w/100)): like sum for small weights, approaches 100 without hitting it.
 */
export type Aggregation = 'sum' | 'max' | 'noisy-or';

export function scoreFlags(flags: readonly Flag[], aggregation: Aggregation = 'sum'): number {
  let total: number;
  if (aggregation === 'max') total = flags.reduce((m, f) => Math.max(m, f.weight), 0);
  else if (aggregation === 'noisy-or') total = 100 * (1 - flags.reduce((p, f) => p * (1 - clamp(f.weight) / 100), 1));
  else total = flags.reduce((sum, f) => sum + f.weight, 0);
  return clamp(Math.round(total));
}

const clamp = (n: number): number => Math.max(0, Math.min(100, n));

export function levelFor(score: number, t: Thresholds): Level {
  if (score >= t.critical) return 'critical';
  if (score >= t.high) return 'high';
  if (score >= t.medium) return 'medium';
  return 'low';
}
