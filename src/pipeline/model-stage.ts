/**
 * The model stage (pure), after the rules: with a model loaded, its calibrated probability sets the score and the
 * level, and the rules' own score and level are kept beside it with the model's top contributions; without one the
 * rules decide, as before. Shadow mode runs a candidate (a rule set, a model, or both; what is not given is the
 * active one) on the same features and writes its decision under `shadow`, changing nothing else.
 */
import { levelRank, type Flag, type Level, type ModelResult, type ShadowResult } from '../domain/assessment.js';
import type { CompiledModel } from '../model/scorecard.js';
import { modelInput } from '../model/scorecard.js';
import { evaluate } from '../rules/engine.js';
import type { RuleSet } from '../rules/loader.js';
import type { Features } from '../rules/rule.js';

export interface Candidate {
  ruleSet?: RuleSet;
  model?: CompiledModel;
}

export interface ModelContext {
  /** the active model; undefined: the rules decide */
  model?: () => CompiledModel | undefined;
  /** the shadow candidate, if any */
  shadow?: () => Candidate | undefined;
  /** each scoring by the active model (drift counts) */
  onScored?: (model: CompiledModel, bins: string) => void;
  /** count every velocity window, not only those the rules and models read (`lendguard train`: every feature is a candidate) */
  countAllWindows?: boolean;
}

export interface RulesDecision {
  flags: Flag[];
  score: number;
  level: Level;
}

export interface Decision {
  score: number;
  level: Level;
  model?: ModelResult;
  shadow?: ShadowResult;
}

const codesOf = (flags: readonly Flag[]): Set<string> => new Set(flags.map((f) => f.code));

function modelDecision(m: CompiledModel, features: Features, rules: RulesDecision): { score: number; level: Level; model: ModelResult } {
  const input = modelInput(features, codesOf(rules.flags), { score: rules.score, flags: rules.flags.length });
  const s = m.score(input);
  return {
    score: s.score,
    level: s.level,
    model: { version: s.version, probability: s.probability, rulesScore: rules.score, rulesLevel: rules.level, contributions: s.contributions, bins: s.bins },
  };
}

function shadowDecision(
  c: Candidate,
  active: { ruleSet: RuleSet; model: CompiledModel | undefined },
  features: Features,
  rules: RulesDecision,
  alertLevel: Level,
  skipTags: readonly string[],
): ShadowResult {
  const ruleSet = c.ruleSet ?? active.ruleSet;
  const candidateRules = c.ruleSet ? evaluate(c.ruleSet, features, { skipTags }) : rules;
  const model = c.model ?? active.model;
  const decided = model ? modelDecision(model, features, candidateRules) : undefined;
  const level = decided?.level ?? candidateRules.level;
  return {
    rulesVersion: ruleSet.version,
    modelVersion: model?.version ?? null,
    score: decided?.score ?? candidateRules.score,
    level,
    alert: levelRank(level) >= levelRank(alertLevel),
    probability: decided?.model.probability ?? null,
  };
}

export function decide(
  ctx: ModelContext,
  ruleSet: RuleSet,
  features: Features,
  rules: RulesDecision,
  opts: { alertLevel: Level; skipTags: readonly string[] },
): Decision {
  const model = ctx.model?.();
  const decided = model ? modelDecision(model, features, rules) : undefined;
  if (model && decided) ctx.onScored?.(model, decided.model.bins);
  const candidate = ctx.shadow?.();
  const out: Decision = { score: decided?.score ?? rules.score, level: decided?.level ?? rules.level };
  if (decided) out.model = decided.model;
  if (candidate) out.shadow = shadowDecision(candidate, { ruleSet, model }, features, rules, opts.alertLevel, opts.skipTags);
  return out;
}

/** Features the model stage reads besides the rules' (so the windows they need are counted). */
export function modelReads(ctx: ModelContext): string[] {
  const c = ctx.shadow?.();
  const names = [...(ctx.model?.()?.features ?? []), ...(c?.model?.features ?? [])].map((f) => f.name).filter((n) => !n.startsWith('flag.'));
  return [...names, ...(c?.ruleSet?.reads ?? [])];
}
