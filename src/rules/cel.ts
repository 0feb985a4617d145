import { Environment, type ASTNode, type ParseResult } from '@marcbachmann/cel-js';

/**
 * The CEL side of rules. Expressions see two maps:
 *   f        the features, by their raw dotted name: f["device.identities.1h"] > params.limit
 *   params   the rule's own constants:               params.limit
 * Unknown (null/absent) features are NOT in `f`, so reading one is an evaluation error; CEL's
 * && and || absorb errors when the other side decides (false && error == false, true || error == true),
 * otherwise the rule is undecided and does not fire. Test presence with `"ip.allowed" in f`.
 *
 * All feature numbers are CEL doubles. Comparisons with int literals work (`f["x"] > 3`); for
 * arithmetic the environment adds double⊕int overloads so `f["x"] * 2 > 5` works too.
 */

const arithmetic = ['+', '-', '*', '/'] as const;
const apply = (op: (typeof arithmetic)[number], a: number, b: number): number => (op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b);

function createEnvironment(): Environment {
  const env = new Environment()
    .registerVariable('f', 'map<string, dyn>', { description: 'features by dotted name; unknown ones are absent' })
    .registerVariable('params', 'map<string, dyn>', { description: "the rule's params" });
  for (const op of arithmetic) {
    env.registerOperator(`double ${op} int`, (a: number, b: bigint) => apply(op, a, Number(b)));
    env.registerOperator(`int ${op} double`, (a: bigint, b: number) => apply(op, Number(a), b));
  }
  return env;
}

const env = createEnvironment();

/** What an expression reads, found by walking its AST, plus misuse to report. */
export interface References {
  /** Name → offset of its first use in the expression. */
  features: Map<string, number>;
  params: Map<string, number>;
  /** Each with the offset inside the expression. */
  misuse: { offset: number; message: string }[];
}

type AnyNode = { op: string; args: unknown; start: number };
const isNode = (x: unknown): x is AnyNode => typeof x === 'object' && x !== null && 'op' in x && 'args' in x;
const isId = (x: unknown, name: string): boolean => isNode(x) && x.op === 'id' && x.args === name;
const stringLiteral = (x: unknown): string | undefined => (isNode(x) && x.op === 'value' && typeof x.args === 'string' ? x.args : undefined);

export function references(ast: ASTNode): References {
  const refs: References = { features: new Map(), params: new Map(), misuse: [] };
  const add = (to: Map<string, number>, name: string, offset: number): void => void (to.has(name) || to.set(name, offset));
  const visit = (x: unknown): void => {
    if (Array.isArray(x)) return x.forEach(visit);
    if (!isNode(x)) return;
    const args = x.args as unknown[];
    if ((x.op === '[]' || x.op === '[?]') && isId(args[0], 'f')) {
      const name = stringLiteral(args[1]);
      if (name === undefined) refs.misuse.push({ offset: x.start, message: 'read features with a literal name: f["device.apps.1h"]' });
      else add(refs.features, name, x.start);
      return;
    }
    if (x.op === 'in' && isId(args[1], 'f')) {
      const name = stringLiteral(args[0]);
      if (name === undefined) refs.misuse.push({ offset: x.start, message: 'test presence with a literal name: "ip.allowed" in f' });
      else add(refs.features, name, x.start);
      return;
    }
    if ((x.op === '.' || x.op === '.?') && isId(args[0], 'f')) {
      refs.misuse.push({ offset: x.start, message: `features have dotted names: write f["${String(args[1])}…"], and "name" in f instead of has(f.name)` });
      return;
    }
    if ((x.op === '.' || x.op === '.?') && isId(args[0], 'params') && typeof args[1] === 'string') {
      add(refs.params, args[1], x.start);
      return;
    }
    if ((x.op === '[]' || x.op === '[?]') && isId(args[0], 'params')) {
      const name = stringLiteral(args[1]);
      if (name === undefined) refs.misuse.push({ offset: x.start, message: 'read params by name: params.limit' });
      else add(refs.params, name, x.start);
      return;
    }
    if (isId(x, 'f')) refs.misuse.push({ offset: x.start, message: 'use f only as f["name"] or "name" in f' });
    else if (isId(x, 'params')) refs.misuse.push({ offset: x.start, message: 'use params only as params.name' });
    else visit(args);
  };
  visit(ast);
  return refs;
}

/**
 * Features without which the expression cannot be true: those read by top-level `&&` conjuncts built
 * only from comparisons, arithmetic, `!` and nested `&&` (no `||`, `?:`, presence tests or calls, which
 * could absorb an error). If one is unknown, the rule is undecided and CEL need not run at all: the
 * result is the same, and thrown-and-caught evaluation errors are ~50x slower than a lookup.
 */
export function requiredFeatures(ast: ASTNode): Set<string> {
  const required = new Set<string>();
  const conjuncts = (x: unknown): unknown[] => (isNode(x) && x.op === '&&' ? (x.args as unknown[]).flatMap(conjuncts) : [x]);
  for (const c of conjuncts(ast)) if (isStrict(c)) for (const name of references(c as ASTNode).features.keys()) required.add(name);
  return required;
}

const STRICT_OPS = new Set(['value', 'id', '[]', '.', '==', '!=', '<', '<=', '>', '>=', '+', '-', '*', '/', '%', '!_', '-_', '&&', 'list']);

function isStrict(x: unknown): boolean {
  if (Array.isArray(x)) return x.every(isStrict);
  if (!isNode(x)) return true;
  if (x.op === 'in') return !isId((x.args as unknown[])[1], 'f') && isStrict(x.args);
  return STRICT_OPS.has(x.op) && (typeof x.args !== 'object' || isStrict(x.args));
}

export interface CompiledExpression {
  run: ParseResult;
  refs: References;
  required: Set<string>;
}

export interface CelProblem {
  /** Offset inside the expression, when known. */
  offset: number | undefined;
  message: string;
}

/** Parses and type-checks once; errors are returned, never thrown. */
export function compileCondition(expression: string): CompiledExpression | CelProblem[] {
  let run: ParseResult;
  try {
    run = env.parse(expression);
  } catch (err) {
    return [celProblem('syntax error', err)];
  }
  const refs = references(run.ast);
  const problems: CelProblem[] = refs.misuse.map((m) => ({ offset: m.offset, message: m.message }));
  const checked = run.check();
  if (!checked.valid) problems.push(celProblem('type error', checked.error));
  else if (checked.type !== 'bool' && checked.type !== 'dyn') {
    problems.push({ offset: undefined, message: `when must be a condition (bool) but this expression gives ${checked.type}` });
  }
  return problems.length > 0 ? problems : { run, refs, required: requiredFeatures(run.ast) };
}

function celProblem(kind: string, err: unknown): CelProblem {
  const e = err as { summary?: string; message?: string; range?: { start: number } } | undefined;
  const summary = e?.summary ?? e?.message?.split('\n')[0] ?? String(err);
  return { offset: e?.range?.start, message: `CEL ${kind}: ${summary}` };
}
