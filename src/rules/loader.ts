import { createHash } from 'node:crypto';
import { LineCounter, parseDocument, Scalar, type Node } from 'yaml';
import type { z } from 'zod';
import type { EvidenceValue, Severity } from '../domain/assessment.js';
import { compileCondition, type CompiledExpression } from './cel.js';
import { checkCombination, combinationSchema, compileCombination, type CombinationSpec, type CompiledCombination } from './combinations.js';
import { formatProblem, locator, RuleSetError, type Locator, type Problem } from './problems.js';
import { ruleFileSchema, ruleSchema, type ParamValue, type RuleSpec, type Scoring } from './schema.js';
import { parseTemplate, placeholders, type TemplatePart } from './template.js';

/** A rule ready to evaluate: CEL parsed and checked once, reason template parsed once. */
export interface CompiledRule {
  readonly id: string;
  readonly description: string;
  readonly severity: Severity;
  readonly weight: number;
  /** The CEL source, for docs and version hashes. */
  readonly when: string;
  /** Feature names `when` reads (an unknown one can leave the rule undecided). */
  readonly reads: readonly string[];
  /** Features `when` cannot be true without; if one is unknown the rule is skipped without running CEL. */
  readonly requires: readonly string[];
  /** Feature names recorded in the flag's evidence (explicit `evidence` + features the reason names). */
  readonly evidence: readonly string[];
  /** Params as recorded in evidence (lists joined with ","). */
  readonly params: Readonly<Record<string, EvidenceValue>>;
  readonly tags: readonly string[];
  /** Line of the rule in its file. */
  readonly line: number;
  readonly condition: CompiledExpression['run'];
  readonly celParams: Readonly<Record<string, ParamValue>>;
  readonly reason: readonly TemplatePart[];
}

export interface RuleSet {
  /** `<label>+<content hash>`, e.g. "2026-11-28.1+3f9a2c1b"; changes with any rule or scoring change, not comments. */
  readonly version: string;
  readonly file: string;
  /** Enabled rules, in file order. */
  readonly rules: readonly CompiledRule[];
  /** Ids of rules with `enabled: false` (validated, never evaluated). */
  readonly disabled: readonly string[];
  /** Enabled combinations, in file order: evaluated after the rules, over the rules' flags. */
  readonly combinations: readonly CompiledCombination[];
  readonly scoring: Scoring;
  /** Every feature any enabled rule's `when` reads. */
  readonly reads: readonly string[];
}

export interface LoadOptions {
  /** Shown in problems; default "rules.yaml". */
  file?: string;
  /** The feature catalogue (KNOWN_FEATURES); any other name in a rule is an error. */
  knownFeatures: ReadonlySet<string> | readonly string[];
}

export type LoadResult = { ok: true; ruleSet: RuleSet; warnings: Problem[] } | { ok: false; problems: Problem[]; warnings: Problem[] };

/** Parses, validates and compiles a rule file; never throws. Reports every problem, not just the first. */
export function compileRuleSet(text: string, opts: LoadOptions): LoadResult {
  const file = opts.file ?? 'rules.yaml';
  const known = opts.knownFeatures instanceof Set ? opts.knownFeatures : new Set(opts.knownFeatures);
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const { line, col } = lines.linePos(e.pos[0]);
      problems.push({ file, line, col, message: `YAML: ${e.message.split('\n')[0] ?? e.message}` });
    }
    return { ok: false, problems, warnings };
  }
  const loc = locator(doc, lines);
  const raw: unknown = doc.toJS();
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const { line, col } = loc.path([]);
    problems.push({ file, line, col, message: 'expected a map with version, scoring and rules (see docs/rules.md)' });
    return { ok: false, problems, warnings };
  }
  const top = ruleFileSchema.safeParse(raw);
  if (!top.success) problems.push(...zodProblems(top.error, [], raw, loc, file));
  const rawRules = (raw as { rules?: unknown }).rules;

  const compiled: CompiledRule[] = [];
  const disabled: string[] = [];
  const specs: RuleSpec[] = [];
  const firstLine = new Map<string, number>();
  (Array.isArray(rawRules) ? rawRules : []).forEach((rawRule: unknown, i) => {
    const path = ['rules', i];
    const idOf = (rawRule as { id?: unknown } | null)?.id;
    const parsed = ruleSchema.safeParse(rawRule);
    if (!parsed.success) {
      problems.push(...zodProblems(parsed.error, path, raw, loc, file, typeof idOf === 'string' ? idOf : undefined));
      return;
    }
    const spec = parsed.data;
    const at = (sub: (string | number)[]) => ({ file, rule: spec.id, ...loc.path([...path, ...sub]) });
    const seen = firstLine.get(spec.id);
    if (seen !== undefined) problems.push({ ...at(['id']), message: `duplicate id (first defined on line ${seen}); ids must be unique and stable` });
    else firstLine.set(spec.id, loc.path(path).line);

    const rule = compileRule(spec, known, loc.path(path).line, {
      problem: (sub, message) => problems.push({ ...at(sub), message }),
      warn: (sub, message) => warnings.push({ ...at(sub), message }),
      cel: (offset, message) => problems.push({ file, rule: spec.id, ...celPosition(loc, loc.node([...path, 'when']), spec.when, offset), message }),
    });
    if (!rule) return;
    specs.push(spec);
    if (spec.enabled) compiled.push(rule);
    else disabled.push(spec.id);
  });
  const ruleIds = new Set(compiled.map((r) => r.id));
  const combos = compileCombinations((raw as { combinations?: unknown }).combinations, ruleIds, new Set(disabled), { raw, loc, file, problems, warnings });
  if (!top.success || problems.length > 0) return { ok: false, problems, warnings };

  const hash = createHash('sha256')
    .update(JSON.stringify({ scoring: top.data.scoring, rules: specs, ...(combos.specs.length > 0 ? { combinations: combos.specs } : {}) }))
    .digest('hex')
    .slice(0, 8);
  const reads = [...new Set(compiled.flatMap((r) => r.reads))];
  const ruleSet: RuleSet = {
    version: `${top.data.version}+${hash}`,
    file,
    rules: compiled,
    disabled: [...disabled, ...combos.disabled],
    combinations: combos.compiled,
    scoring: top.data.scoring,
    reads,
  };
  return { ok: true, ruleSet, warnings };
}

/** Like `compileRuleSet` but throws a `RuleSetError` listing every problem. */
export function loadRuleSet(text: string, opts: LoadOptions): RuleSet {
  const result = compileRuleSet(text, opts);
  if (!result.ok) throw new RuleSetError(result.problems);
  return result.ruleSet;
}

interface Context {
  raw: unknown;
  loc: Locator;
  file: string;
  problems: Problem[];
  warnings: Problem[];
}

function compileCombinations(
  rawList: unknown,
  ruleIds: ReadonlySet<string>,
  disabled: ReadonlySet<string>,
  ctx: Context,
): { compiled: CompiledCombination[]; specs: CombinationSpec[]; disabled: string[] } {
  const out = { compiled: [] as CompiledCombination[], specs: [] as CombinationSpec[], disabled: [] as string[] };
  const seen = new Set<string>();
  (Array.isArray(rawList) ? rawList : []).forEach((rawCombo: unknown, i) => {
    const path = ['combinations', i];
    const idOf = (rawCombo as { id?: unknown } | null)?.id;
    const parsed = combinationSchema.safeParse(rawCombo);
    if (!parsed.success) {
      ctx.problems.push(...zodProblems(parsed.error, path, ctx.raw, ctx.loc, ctx.file, typeof idOf === 'string' ? idOf : undefined));
      return;
    }
    const spec = parsed.data;
    const at = (field: string) => ({ file: ctx.file, rule: spec.id, ...ctx.loc.path([...path, field]) });
    if (seen.has(spec.id)) ctx.problems.push({ ...at('id'), message: 'duplicate combination id' });
    seen.add(spec.id);
    const found = checkCombination(spec, ruleIds, disabled);
    for (const p of found) (p.warn ? ctx.warnings : ctx.problems).push({ ...at(p.field), message: p.message });
    if (found.some((p) => !p.warn)) return;
    out.specs.push(spec);
    if (spec.enabled) out.compiled.push(compileCombination(spec, ctx.loc.path(path).line));
    else out.disabled.push(spec.id);
  });
  return out;
}

interface Report {
  problem(path: (string | number)[], message: string): void;
  warn(path: (string | number)[], message: string): void;
  cel(offset: number | undefined, message: string): void;
}

function compileRule(spec: RuleSpec, known: ReadonlySet<string>, line: number, report: Report): CompiledRule | null {
  let errors = 0;
  const problem = (path: (string | number)[], message: string): void => {
    errors++;
    report.problem(path, message);
  };
  const celProblem = (offset: number, message: string): void => {
    errors++;
    report.cel(offset, message);
  };
  const params = new Set(Object.keys(spec.params));
  const unknownFeature = (name: string): string => `unknown feature "${name}"${suggest(name, known)}`;

  const condition = compileCondition(spec.when);
  if (Array.isArray(condition)) {
    for (const p of condition) report.cel(p.offset, p.message);
  } else {
    for (const [name, offset] of condition.refs.features) if (!known.has(name)) celProblem(offset, unknownFeature(name));
    for (const [name, offset] of condition.refs.params) if (!params.has(name)) celProblem(offset, `params.${name} is not declared in this rule's params`);
  }

  spec.evidence.forEach((name, i) => {
    if (!known.has(name) && !params.has(name)) problem(['evidence', i], `${unknownFeature(name)} (evidence names features or this rule's params)`);
  });
  const reason = parseTemplate(spec.reason);
  for (const name of placeholders(reason)) {
    if (!known.has(name) && !params.has(name))
      problem(['reason'], `{${name}} in reason is neither a known feature nor a param of this rule${suggest(name, known)}`);
  }
  const used = new Set([...placeholders(reason), ...spec.evidence, ...(Array.isArray(condition) ? [] : condition.refs.params.keys())]);
  for (const name of params) if (!used.has(name)) report.warn(['params', name], `param ${name} is not used in when, reason or evidence`);

  if (errors > 0 || Array.isArray(condition)) return null;
  const reads = [...condition.refs.features.keys()];
  const explicit = spec.evidence.length > 0 ? spec.evidence.filter((n) => known.has(n)) : reads;
  const evidence = [...new Set([...explicit, ...placeholders(reason).filter((n) => known.has(n))])];
  const shownParams: Record<string, EvidenceValue> = {};
  for (const [k, v] of Object.entries(spec.params)) shownParams[k] = Array.isArray(v) ? v.join(',') : v;
  return {
    id: spec.id,
    description: spec.description,
    severity: spec.severity,
    weight: spec.weight,
    when: spec.when,
    reads,
    requires: [...condition.required],
    evidence,
    params: shownParams,
    tags: spec.tags,
    line,
    condition: condition.run,
    celParams: spec.params,
    reason,
  };
}

/** Turns zod issues into located problems: missing keys point at the parent, unknown keys at the key. */
function zodProblems(err: z.ZodError, base: (string | number)[], raw: unknown, loc: Locator, file: string, rule?: string): Problem[] {
  return err.issues.flatMap((issue): Problem[] => {
    const path = [...base, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
    const where = dotted(path);
    const withRule = rule ? { rule } : {};
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ file, ...withRule, ...loc.key(path, key), message: `${where ? `${where}: ` : ''}unknown key "${key}"` }));
    }
    const missing = issue.code === 'invalid_type' && valueAt(raw, path) === undefined;
    const message = missing ? `missing required key "${String(path[path.length - 1])}"` : `${where}: ${issue.message}`;
    return [{ file, ...withRule, ...loc.path(path), message }];
  });
}

const dotted = (path: readonly (string | number)[]): string => path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');

function valueAt(raw: unknown, path: readonly (string | number)[]): unknown {
  let v = raw;
  for (const p of path) v = v !== null && typeof v === 'object' ? (v as Record<string | number, unknown>)[p] : undefined;
  return v;
}

/** Maps an offset inside a CEL expression back to the YAML file (exact for one-line and `|` scalars). */
function celPosition(loc: Locator, node: Node | null, source: string, offset: number | undefined): { line: number; col: number } {
  if (!node?.range) return { line: 0, col: 0 };
  const start = loc.at(node.range[0]);
  if (offset === undefined) return start;
  if (node instanceof Scalar && (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED)) {
    const before = source.slice(0, offset);
    return { line: start.line + 1 + (before.match(/\n/g)?.length ?? 0), col: 1 };
  }
  const quoted = node instanceof Scalar && (node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE);
  return { line: start.line, col: start.col + offset + (quoted ? 1 : 0) };
}

/** ` (did you mean "x"?)` for the closest known name within a small edit distance. */
function suggest(name: string, known: ReadonlySet<string>): string {
  let best: string | undefined;
  let bestD = Math.max(2, Math.floor(name.length / 5)) + 1;
  for (const k of known) {
    const d = editDistance(name, k, bestD);
    if (d < bestD) [best, bestD] = [k, d];
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

function editDistance(a: string, b: string, cap: number): number {
  if (Math.abs(a.length - b.length) >= cap) return cap;
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return prev[b.length] ?? cap;
}

export { formatProblem, RuleSetError, type Problem };
