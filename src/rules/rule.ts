import type { EvidenceValue, Flag, Severity } from '../domain/assessment.js';

/** What rules read: flat, named values (velocity counts, enrichment results, SDK signals). */
export type Features = Readonly<Record<string, EvidenceValue | undefined>>;

/**
 * A rule: a stable code, a severity and weight, a condition over features that returns the
 * evidence when it fires (or null), and a reason written from that evidence.
 */
export interface Rule {
  code: string;
  description: string;
  severity: Severity;
  weight: number;
  when: (f: Features) => Record<string, EvidenceValue> | null;
  reason: (evidence: Record<string, EvidenceValue>) => string;
}

export function evaluateRules(rules: readonly Rule[], features: Features): Flag[] {
  const flags: Flag[] = [];
  for (const rule of rules) {
    const evidence = rule.when(features);
    if (!evidence) continue;
    flags.push({ code: rule.code, severity: rule.severity, weight: rule.weight, reason: rule.reason(evidence), evidence });
  }
  return flags;
}
