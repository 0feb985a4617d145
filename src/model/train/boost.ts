/**
 * Gradient boosting of small trees on the scorecard's residual (pure): each row is its features' bin indices, and
 * the trees start from the scorecard's logit, so they learn only what an additive model cannot, the interactions.
 * Log loss, second-order leaves (−G / (H + λ), shrunk by the learning rate), trees grown depth-first to `depth`.
 * A split of a numeric feature keeps the bins' order (bins up to a cut go left, the missing bin on the better side);
 * a categorical feature's bins are sorted by their gradient ratio first, which finds the best two-way grouping.
 * Trees are added while the log loss on the validation rows improves; `patience` trees without a gain stop it, and
 * the trees after the best are dropped.
 */
import { MAX_TREE_NODES, type ModelFile } from '../file.js';
import { flatten, walkTree } from '../trees.js';
import { sigmoid } from '../scorecard.js';

type Tree = NonNullable<ModelFile['boost']>['trees'][number];

export interface BoostData {
  /** n × F bin indices, row-major */
  bins: Uint8Array;
  y: Uint8Array;
  /** the logit the trees start from (the scorecard's) */
  base: Float64Array;
}

export interface BoostFeature {
  name: string;
  numeric: boolean;
  /** the number of bin indices: bins, then missing (last for numeric), then other (categorical) */
  width: number;
}

export interface BoostOptions {
  maxTrees: number;
  depth: number;
  learningRate: number;
  lambda: number;
  /** rows each side of a split must have */
  minRows: number;
  patience: number;
  onTree?: (trees: number, validLoss: number) => void;
}

export const DEFAULT_BOOST: BoostOptions = { maxTrees: 600, depth: 3, learningRate: 0.05, lambda: 1, minRows: 20, patience: 50 };

export interface Boosted {
  trees: Tree[];
  /** validation log loss at the start (the scorecard alone) and with the kept trees */
  validLoss: { before: number; after: number };
}

function logLoss(margin: Float64Array, y: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) {
    const p = sigmoid(margin[i] as number);
    s -= y[i] === 1 ? Math.log(Math.max(p, 1e-15)) : Math.log(Math.max(1 - p, 1e-15));
  }
  return s / Math.max(1, y.length);
}

interface Split {
  feature: number;
  left: number[];
  gain: number;
}

const score = (g: number, h: number, lambda: number): number => (g * g) / (h + lambda);

/** The best split of one feature's histogram, as the bins going left. */
function bestOf(
  f: BoostFeature,
  fi: number,
  G: Float64Array,
  H: Float64Array,
  C: Int32Array,
  total: { g: number; h: number; c: number },
  o: BoostOptions,
): Split | null {
  const at = fi * 64;
  const order = Array.from({ length: f.width }, (_, b) => b);
  if (!f.numeric) order.sort((x, z) => (G[at + x] as number) / ((H[at + x] as number) + o.lambda) - (G[at + z] as number) / ((H[at + z] as number) + o.lambda));
  // Numeric: the missing bin (the last index) is tried on each side of every cut of the ordered bins.
  const ordered = f.numeric ? order.slice(0, -1) : order;
  const extras = f.numeric ? [[], [f.width - 1]] : [[]];
  let best: Split | null = null;
  const parent = score(total.g, total.h, o.lambda);
  for (const extra of extras) {
    let g = 0;
    let h = 0;
    let c = 0;
    for (const b of extra) {
      g += G[at + b] as number;
      h += H[at + b] as number;
      c += C[at + b] as number;
    }
    // k = -1: the extra bins alone go left (missing against every value)
    for (let k = extra.length > 0 ? -1 : 0; k < ordered.length - 1; k++) {
      const b = ordered[k];
      if (b !== undefined) {
        g += G[at + b] as number;
        h += H[at + b] as number;
        c += C[at + b] as number;
      }
      if (c < o.minRows || total.c - c < o.minRows) continue;
      const gain = score(g, h, o.lambda) + score(total.g - g, total.h - h, o.lambda) - parent;
      if (gain > (best?.gain ?? 1e-9)) best = { feature: fi, left: [...extra, ...ordered.slice(0, k + 1)], gain };
    }
  }
  return best;
}

/**
 * A bin with no rows at this node (a category, or a numeric feature's missing bin, that training did not see here)
 * goes to the side with more rows: an application with such a value then follows the common path, not whichever
 * side the search happened to leave it on (for a count, the high side, fraud-like). A numeric feature's value bins
 * stay where they are: they are ranges, and their order means something.
 */
function withEmptyBinsToMajority(split: Split, f: BoostFeature, C: Int32Array, rows: number): Split {
  const at = split.feature * 64;
  const inLeft = new Set(split.left);
  const leftRows = split.left.reduce((n, b) => n + (C[at + b] as number), 0);
  const majorityLeft = 2 * leftRows >= rows;
  const movable = f.numeric ? [f.width - 1] : Array.from({ length: f.width }, (_, b) => b);
  for (const b of movable) {
    if ((C[at + b] as number) !== 0) continue;
    if (majorityLeft) inLeft.add(b);
    else inLeft.delete(b);
  }
  return { ...split, left: [...inLeft] };
}

function grow(
  rows: Int32Array,
  depth: number,
  d: BoostData,
  grad: Float64Array,
  hess: Float64Array,
  features: readonly BoostFeature[],
  o: BoostOptions,
  nodes: Tree['nodes'],
): void {
  const F = features.length;
  const total = { g: 0, h: 0, c: rows.length };
  for (const r of rows) {
    total.g += grad[r] as number;
    total.h += hess[r] as number;
  }
  const self = nodes.push({ value: (-total.g / (total.h + o.lambda)) * o.learningRate }) - 1;
  if (depth === 0 || rows.length < 2 * o.minRows) return;
  const G = new Float64Array(F * 64);
  const H = new Float64Array(F * 64);
  const C = new Int32Array(F * 64);
  for (const r of rows) {
    const g = grad[r] as number;
    const h = hess[r] as number;
    for (let f = 0; f < F; f++) {
      const at = f * 64 + (d.bins[r * F + f] as number);
      G[at] = (G[at] as number) + g;
      H[at] = (H[at] as number) + h;
      C[at] = (C[at] as number) + 1;
    }
  }
  let best: Split | null = null;
  features.forEach((f, fi) => {
    const s = bestOf(f, fi, G, H, C, total, o);
    if (s && s.gain > (best?.gain ?? 0)) best = s;
  });
  if (!best) return;
  const split: Split = withEmptyBinsToMajority(best, features[(best as Split).feature] as BoostFeature, C, rows.length);
  const goesLeft = new Uint8Array(64);
  for (const b of split.left) goesLeft[b] = 1;
  const left = rows.filter((r) => goesLeft[d.bins[r * F + split.feature] as number] === 1);
  const right = rows.filter((r) => goesLeft[d.bins[r * F + split.feature] as number] !== 1);
  const yes = nodes.length;
  grow(left, depth - 1, d, grad, hess, features, o, nodes);
  const no = nodes.length;
  grow(right, depth - 1, d, grad, hess, features, o, nodes);
  nodes[self] = {
    value: nodes[self]?.value as number,
    split: { feature: (features[split.feature] as BoostFeature).name, left: [...split.left].sort((x, z) => x - z), yes, no },
  };
}

export function boost(fit: BoostData, valid: BoostData, features: readonly BoostFeature[], o: BoostOptions = DEFAULT_BOOST): Boosted {
  // λ > 0 keeps every leaf and every gain finite, an empty bin's G / (H + λ) included.
  if (!(o.lambda > 0)) throw new RangeError(`boost: lambda must be above 0, got ${o.lambda}`);
  const F = features.length;
  const indexOf = new Map(features.map((f, i) => [f.name, i]));
  const margin = Float64Array.from(fit.base);
  const vMargin = Float64Array.from(valid.base);
  const grad = new Float64Array(fit.y.length);
  const hess = new Float64Array(fit.y.length);
  const all = Int32Array.from(fit.y, (_, i) => i);
  const trees: Tree[] = [];
  const before = logLoss(vMargin, valid.y);
  let best = { loss: before, trees: 0 };
  // The model file takes at most MAX_TREE_NODES nodes in all: stop before a tree of this depth could pass it.
  const perTree = 2 ** (o.depth + 1) - 1;
  let nodesSoFar = 0;
  for (let t = 0; t < o.maxTrees && t - best.trees < o.patience && nodesSoFar + perTree <= MAX_TREE_NODES; t++) {
    for (let i = 0; i < fit.y.length; i++) {
      const p = sigmoid(margin[i] as number);
      grad[i] = p - (fit.y[i] as number);
      hess[i] = Math.max(p * (1 - p), 1e-6);
    }
    const nodes: Tree['nodes'] = [];
    grow(all, o.depth, fit, grad, hess, features, o, nodes);
    trees.push({ nodes });
    nodesSoFar += nodes.length;
    // Walked as the compiled model walks it (src/model/trees.ts).
    const flat = flatten(nodes, indexOf);
    for (let i = 0; i < fit.y.length; i++) margin[i] = (margin[i] as number) + walkTree(flat, fit.bins, i * F);
    for (let i = 0; i < valid.y.length; i++) vMargin[i] = (vMargin[i] as number) + walkTree(flat, valid.bins, i * F);
    const loss = logLoss(vMargin, valid.y);
    if (loss < best.loss - 1e-7) best = { loss, trees: trees.length };
    o.onTree?.(trees.length, loss);
  }
  return { trees: trees.slice(0, best.trees), validLoss: { before, after: best.loss } };
}
