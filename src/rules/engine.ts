import type { EvidenceValue, Flag, Level } from '../domain/assessment.js';
import { combine } from './combinations.js';
import type { CompiledRule, RuleSet } from './loader.js';
import type { Features } from './rule.js';
import { levelFor, scoreFlags } from './score.js';
import { renderTemplate } from './template.js';

export interface EvaluateOptions {
  /** Skip rules carrying any of these tags (e.g. a latency shedder skipping `optional`). */
  skipTags?: readonly string[];
}

export interface Evaluation {
  flags: Flag[];
  score: number;
  level: Level;
  /** Rules that failed for a reason other than unknown features: a bug in the rule, worth an alert. */
  errors: { rule: string; message: string }[];
  /** Rules left undecided because a feature they read was unknown (null/absent). Normal; worth a metric. */
  unknown: string[];
}

/** Runs every enabled rule over one application's features. Pure; never throws. */
export function evaluate(ruleSet: RuleSet, features: Features, opts: EvaluateOptions = {}): Evaluation {
  const f = knownValues(ruleSet.reads, features);
  const skip = opts.skipTags ?? [];
  const flags: Flag[] = [];
  const errors: Evaluation['errors'] = [];
  const unknown: string[] = [];
  for (const rule of ruleSet.rules) {
    if (skip.length > 0 && rule.tags.some((t) => skip.includes(t))) continue;
    if (!hasAll(f, rule.requires)) {
      unknown.push(rule.id);
      continue;
    }
    const outcome = decide(rule, f);
    if (outcome === true) flags.push(flagFor(rule, features));
    else if (outcome === false) continue;
    else if (rule.reads.some((name) => !f.has(name))) unknown.push(rule.id);
    else errors.push({ rule: rule.id, message: outcome.error });
  }
  flags.push(...combine(ruleSet.combinations, flags, skip));
  const score = scoreFlags(flags, ruleSet.scoring.aggregation);
  return { flags, score, level: levelFor(score, ruleSet.scoring.thresholds), errors, unknown };
}

/** What CEL sees as `f`: only known values, so reading an unknown feature is an error CEL can absorb. */
function knownValues(names: readonly string[], features: Features): Map<string, EvidenceValue> {
  const f = new Map<string, EvidenceValue>();
  for (const name of names) {
    const v = features[name];
    if (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v))) continue;
    f.set(name, v);
  }
  return f;
}

function hasAll(f: Map<string, EvidenceValue>, names: readonly string[]): boolean {
  for (const name of names) if (!f.has(name)) return false;
  return true;
}

function decide(rule: CompiledRule, f: Map<string, EvidenceValue>): boolean | { error: string } {
  try {
    const result: unknown = rule.condition({ f, params: rule.celParams });
    return typeof result === 'boolean' ? result : { error: `when gave ${typeof result}, not a bool` };
  } catch (err) {
    const e = err as { summary?: string; message?: string };
    return { error: e.summary ?? e.message?.split('\n')[0] ?? String(err) };
  }
}

export function flagFor(rule: CompiledRule, features: Features): Flag {
  const evidence: Record<string, EvidenceValue> = {};
  for (const name of rule.evidence) evidence[name] = features[name] ?? null;
  Object.assign(evidence, rule.params);
  return { code: rule.id, severity: rule.severity, weight: rule.weight, reason: renderTemplate(rule.reason, evidence), evidence };
}

/** One rule alone: fired, not fired, or undecided (unknown feature or error). For adapters and tools. */
export function evaluateRule(rule: CompiledRule, features: Features): Flag | null {
  const f = knownValues(rule.reads, features);
  return hasAll(f, rule.requires) && decide(rule, f) === true ? flagFor(rule, features) : null;
}
