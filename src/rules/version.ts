import { createHash } from 'node:crypto';
import type { Rule } from './rule.js';

/** A short content hash of the rule set: changes whenever a code, weight, severity or condition changes. */
export function rulesVersion(rules: readonly Rule[]): string {
  const h = createHash('sha256');
  for (const r of rules) h.update(`${r.code}|${r.severity}|${r.weight}|${r.when.toString()}|${r.reason.toString()}\n`);
  return `builtin-${h.digest('hex').slice(0, 12)}`;
}
