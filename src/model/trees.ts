/**
 * Gradient-boosted trees over the scorecard's bins (pure). Each split asks whether a feature's bin index is in a
 * set; each tree adds its leaf's value to the logit. A tree's contribution is also explained per feature, as the
 * walk's changes of node value at that feature's splits (Saabas): the root values go to the base, so the base plus
 * every feature's share is exactly the trees' sum. Compiled once per model file into flat arrays, no allocation
 * per call.
 */
import type { ModelFile } from './file.js';

export interface CompiledTrees {
  /** the trees' sum for these bin indices (one per feature, in the file's order); `shares[f]` gains feature f's part */
  add(bins: ArrayLike<number>, shares: Float64Array): number;
  count: number;
}

export interface FlatTree {
  feature: Int32Array;
  /** per node, 64 flags (bin index → 1 when it goes left), at node × 64 */
  left: Uint8Array;
  yes: Int32Array;
  no: Int32Array;
  value: Float64Array;
}

export function flatten(nodes: NonNullable<ModelFile['boost']>['trees'][number]['nodes'], indexOf: ReadonlyMap<string, number>): FlatTree {
  const n = nodes.length;
  const t: FlatTree = {
    feature: new Int32Array(n).fill(-1),
    left: new Uint8Array(n * 64),
    yes: new Int32Array(n),
    no: new Int32Array(n),
    value: new Float64Array(n),
  };
  nodes.forEach((node, i) => {
    t.value[i] = node.value;
    if (!node.split) return;
    t.feature[i] = indexOf.get(node.split.feature) as number;
    for (const b of node.split.left) t.left[i * 64 + b] = 1;
    t.yes[i] = node.split.yes;
    t.no[i] = node.split.no;
  });
  return t;
}

/**
 * The tree's value for the bin indices at `bins[offset …]` (one per feature); with `shares`, each split's change of
 * node value is added to its feature's share.
 */
export function walkTree(t: FlatTree, bins: ArrayLike<number>, offset = 0, shares?: Float64Array): number {
  let i = 0;
  let f = t.feature[0] as number;
  while (f >= 0) {
    const next = t.left[i * 64 + (bins[offset + f] as number)] === 1 ? (t.yes[i] as number) : (t.no[i] as number);
    if (shares) shares[f] = (shares[f] as number) + (t.value[next] as number) - (t.value[i] as number);
    i = next;
    f = t.feature[i] as number;
  }
  return t.value[i] as number;
}

export function compileTrees(file: ModelFile): CompiledTrees {
  const indexOf = new Map(file.features.map((f, i) => [f.name, i]));
  const trees = (file.boost?.trees ?? []).map((t) => flatten(t.nodes, indexOf));
  return {
    count: trees.length,
    add(bins, shares) {
      let sum = 0;
      for (const t of trees) sum += walkTree(t, bins, 0, shares);
      return sum;
    },
  };
}
