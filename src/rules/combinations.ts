import { z } from 'zod';
import type { Flag, Severity } from '../domain/assessment.js';
import { SEVERITIES } from './schema.js';
import { parseTemplate, placeholders, renderTemplate, type TemplatePart } from './template.js';

/**
 * Combinations: evidence that adds up the way an analyst would add it. A combination names rules that must have
 * fired together on one application (every entry of `all`, where an entry that is a list means "one of these", and
 * at least `anyAtLeast` of `any`); when they did, it adds its own
 * flag with its own weight, so the pattern reaches the alert level although each signal alone stays below it.
 * They are data in the rule file (`combinations:`, docs/rules.md), checked at load: every id must be a rule of
 * the same file, and a combination never reads another combination.
 */

const RULE_ID = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const ruleId = z.string({ error: 'rule ids are strings' }).regex(RULE_ID, 'rule ids are UPPER_SNAKE_CASE');
const TAG = /^[a-z][a-z0-9-]*$/;

export const combinationSchema = z
  .strictObject({
    id: z.string({ error: 'id must be a string' }).regex(RULE_ID, 'id must be UPPER_SNAKE_CASE, e.g. TAKEOVER_ABROAD'),
    description: z.string({ error: 'description must be a string' }).min(1, 'description must not be empty'),
    severity: z.enum(SEVERITIES, { error: `severity must be one of ${SEVERITIES.join(', ')}` }),
    weight: z.number({ error: 'weight must be a number from 0 to 100' }).min(0).max(100),
    all: z
      .array(z.union([ruleId, z.array(ruleId).min(2, 'a list inside all names at least two alternatives')]), {
        error: 'all must be a list of rule ids (or lists of alternatives)',
      })
      .default([]),
    any: z.array(ruleId, { error: 'any must be a list of rule ids' }).default([]),
    anyAtLeast: z.number({ error: 'anyAtLeast must be a whole number' }).int().min(1).default(1),
    reason: z.string({ error: 'reason must be a string' }).min(1, 'reason must not be empty'),
    enabled: z.boolean({ error: 'enabled must be true or false' }).default(true),
    tags: z.array(z.string().regex(TAG, 'tags are lower-case words'), { error: 'tags must be a list' }).default([]),
  })
  .refine((c) => c.all.flat().length + c.any.length >= 2, 'a combination needs at least two rules (in all and any together)')
  .refine((c) => c.any.length === 0 || c.anyAtLeast <= c.any.length, 'anyAtLeast cannot exceed the number of rules in any');
export type CombinationSpec = z.infer<typeof combinationSchema>;

export interface CompiledCombination {
  readonly id: string;
  readonly description: string;
  readonly severity: Severity;
  readonly weight: number;
  /** Each entry must have fired: a rule id, or a list of alternatives of which one is enough. */
  readonly all: readonly (string | readonly string[])[];
  readonly any: readonly string[];
  readonly anyAtLeast: number;
  readonly tags: readonly string[];
  readonly line: number;
  readonly reason: readonly TemplatePart[];
}

/** The placeholders a combination's reason may use. */
export const COMBINATION_PLACEHOLDERS = ['fired', 'count'] as const;

/** Semantic checks against the file's rules; returns messages keyed by the field they concern. */
export function checkCombination(
  spec: CombinationSpec,
  ruleIds: ReadonlySet<string>,
  disabled: ReadonlySet<string>,
): { field: string; message: string; warn?: true }[] {
  const out: { field: string; message: string; warn?: true }[] = [];
  if (ruleIds.has(spec.id) || disabled.has(spec.id)) out.push({ field: 'id', message: `id ${spec.id} is already a rule's id` });
  const required = new Set(spec.all.filter((e): e is string => typeof e === 'string'));
  for (const field of ['all', 'any'] as const) {
    for (const id of spec[field].flat()) {
      const effect = required.has(id) ? 'never fires' : 'counts it as not fired';
      if (disabled.has(id)) out.push({ field, message: `rule ${id} is disabled, so this combination ${effect}`, warn: true });
      else if (!ruleIds.has(id)) out.push({ field, message: `${id} is not a rule of this file (combinations name rules, never other combinations)` });
    }
  }
  const dup = spec.all.flat().find((id) => spec.any.includes(id));
  if (dup) out.push({ field: 'any', message: `${dup} is in both all and any` });
  for (const name of placeholders(parseTemplate(spec.reason))) {
    if (!(COMBINATION_PLACEHOLDERS as readonly string[]).includes(name)) {
      out.push({ field: 'reason', message: `{${name}} in reason: a combination can name only {fired} (the rules that fired) and {count}` });
    }
  }
  return out;
}

export function compileCombination(spec: CombinationSpec, line: number): CompiledCombination {
  return {
    id: spec.id,
    description: spec.description,
    severity: spec.severity,
    weight: spec.weight,
    all: spec.all,
    any: spec.any,
    anyAtLeast: spec.anyAtLeast,
    tags: spec.tags,
    line,
    reason: parseTemplate(spec.reason),
  };
}

/** The combination flags for the rule flags of one application. Pure; rule flags only go in. */
export function combine(combinations: readonly CompiledCombination[], flags: readonly Flag[], skipTags: readonly string[] = []): Flag[] {
  if (combinations.length === 0 || flags.length < 2) return [];
  const fired = new Set(flags.map((f) => f.code));
  const out: Flag[] = [];
  for (const c of combinations) {
    if (skipTags.length > 0 && c.tags.some((t) => skipTags.includes(t))) continue;
    const allFired = firedEntries(c.all, fired);
    if (!allFired) continue;
    const anyFired = c.any.filter((id) => fired.has(id));
    if (c.any.length > 0 && anyFired.length < c.anyAtLeast) continue;
    const contributing = [...allFired, ...anyFired];
    const evidence = { fired: contributing.join(','), count: contributing.length };
    out.push({ code: c.id, severity: c.severity, weight: c.weight, reason: renderTemplate(c.reason, evidence), evidence });
  }
  return out;
}

/** The fired rule of each `all` entry (every alternative that fired), or null when an entry has none. */
function firedEntries(all: CompiledCombination['all'], fired: ReadonlySet<string>): string[] | null {
  const out: string[] = [];
  for (const entry of all) {
    if (typeof entry === 'string') {
      if (!fired.has(entry)) return null;
      out.push(entry);
      continue;
    }
    const hit = entry.filter((id) => fired.has(id));
    if (hit.length === 0) return null;
    out.push(...hit);
  }
  return out;
}
