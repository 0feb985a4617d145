import { isMap, isPair, isScalar, type Document, type LineCounter, type Node } from 'yaml';

/** One thing wrong with a rule file, located so an analyst can jump to it. */
export interface Problem {
  file: string;
  /** 1-based; 0 when the problem has no position (e.g. an empty file). */
  line: number;
  col: number;
  /** The rule's id when the problem is inside a rule. */
  rule?: string;
  message: string;
}

export function formatProblem(p: Problem): string {
  const where = p.line > 0 ? `${p.file}:${p.line}:${p.col}` : p.file;
  return `${where}: ${p.rule ? `rule ${p.rule}: ` : ''}${p.message}`;
}

/** Thrown by `loadRuleSet` / `loadRuleSetFile`: carries every problem found, not just the first. */
export class RuleSetError extends Error {
  override readonly name = 'RuleSetError';
  constructor(readonly problems: readonly Problem[]) {
    super(`${problems.length} problem(s) in the rule file:\n${problems.map((p) => `  ${formatProblem(p)}`).join('\n')}`);
  }
}

/** Maps YAML paths and offsets back to line:col. */
export interface Locator {
  at(offset: number): { line: number; col: number };
  /** The node at `path` or, if that is missing, the closest ancestor that exists. */
  node(path: readonly (string | number)[]): Node | null;
  /** Position of the node at `path` (or its closest existing ancestor). */
  path(path: readonly (string | number)[]): { line: number; col: number };
  /** Position of a key inside the map at `mapPath` (for unknown keys). */
  key(mapPath: readonly (string | number)[], key: string): { line: number; col: number };
}

export function locator(doc: Document, lines: LineCounter): Locator {
  const at = (offset: number): { line: number; col: number } => lines.linePos(offset);
  const node = (path: readonly (string | number)[]): Node | null => {
    for (let n = path.length; n >= 0; n--) {
      const found: unknown = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      if (found && typeof found === 'object' && 'range' in found) return found as Node;
    }
    return null;
  };
  const pos = (n: Node | null): { line: number; col: number } => (n?.range ? at(n.range[0]) : { line: 0, col: 0 });
  return {
    at,
    node,
    path: (path) => pos(node(path)),
    key: (mapPath, key) => {
      const map = node(mapPath);
      if (isMap(map)) {
        const pair = map.items.find((it) => isPair(it) && isScalar(it.key) && it.key.value === key);
        if (pair && isScalar(pair.key)) return pos(pair.key);
      }
      return pos(map);
    },
  };
}
