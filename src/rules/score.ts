import type { Flag, Level } from '../domain/assessment.js';

export interface Thresholds {
  medium: number;
  high: number;
  critical: number;
}

/** Additive score, capped at 100. */
export function scoreFlags(flags: readonly Flag[]): number {
  const total = flags.reduce((sum, f) => sum + f.weight, 0);
  return Math.max(0, Math.min(100, Math.round(total)));
}

export function levelFor(score: number, t: Thresholds): Level {
  if (score >= t.critical) return 'critical';
  if (score >= t.high) return 'high';
  if (score >= t.medium) return 'medium';
  return 'low';
}
