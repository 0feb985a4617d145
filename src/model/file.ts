/**
 * The model file (JSON, `lendguard.model.v1`): a scorecard, that is logistic regression over binned features, with
 * the weight of evidence (WoE) of each bin, the points it adds, and its share of the training rows (the reference
 * for drift). The probability of fraud is σ(a · (intercept + Σ coefficient × woe) + b), calibrated by (a, b); the
 * level comes from thresholds on that probability. Optionally boosted: gradient-boosted trees over the same
 * features' bins add to that logit what the additive scorecard cannot see, the interactions between features
 * (src/model/trees.ts). Validated here (pure) with errors that name the field and say what to fix; `lendguard
 * train` writes it (src/model/train/).
 */
import { z } from 'zod';

const finite = z.number().refine(Number.isFinite, 'must be a finite number');
/**
 * A finite number within ±max. Every term of the logit is bounded, so the sum of 500 features and 200,000 tree
 * nodes stays finite: a file of huge values (1e308 twice is Infinity, Infinity − Infinity NaN) would otherwise
 * score every application NaN, that is low, and silence the alerts.
 */
const bounded = (max: number) => finite.refine((x) => Math.abs(x) <= max, `must be between -${max} and ${max}`);
const share = z.number().min(0).max(1);

/** At most this many tree nodes in all: each compiles to a 64-entry bin table, about 13 MB at the limit. */
export const MAX_TREE_NODES = 200_000;

const binStats = {
  /** how the bin reads: "≤ 3", "(3, 10]", "> 10", "CN, HK", "missing" */
  label: z.string().min(1).max(200),
  woe: bounded(50),
  /** risk points: round(pointsPerDoubling / ln 2 × coefficient × woe, 1); positive = riskier */
  points: bounded(1e6),
  /** share of the training rows in this bin */
  share,
};

export const numericBin = z.object({ ...binStats, upper: finite.nullable() }).strict();
export const categoricalBin = z.object({ ...binStats, values: z.array(z.string().max(200)).min(1).max(1000) }).strict();
const fallbackBin = z.object(binStats).strict();

const featureBase = {
  /** a feature of the assessment (`device.identities.24h`, `ip.country`) or a rule's flag (`flag.IP_DATACENTER`) */
  name: z
    .string()
    .min(1)
    .max(200)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'a feature name is letters, digits and . _ : -'),
  coefficient: bounded(100),
  /** where a missing value (null, absent) goes */
  missing: fallbackBin,
  /** information value of the feature on the training rows */
  iv: z.number().min(0).optional(),
};

export const numericFeature = z
  // A bin index is one character of the 64 of BIN_ALPHABET (src/model/scorecard.ts), missing and other included.
  .object({ ...featureBase, kind: z.literal('numeric'), bins: z.array(numericBin).min(1).max(50) })
  .strict()
  .superRefine((f, ctx) => {
    f.bins.forEach((b, i) => {
      const last = i === f.bins.length - 1;
      if (last && b.upper !== null)
        ctx.addIssue({ code: 'custom', path: ['bins', i, 'upper'], message: 'the last bin has upper: null (it takes every larger value)' });
      if (!last && b.upper === null) ctx.addIssue({ code: 'custom', path: ['bins', i, 'upper'], message: 'only the last bin may have upper: null' });
      const prev = f.bins[i - 1]?.upper;
      if (i > 0 && b.upper !== null && prev !== null && prev !== undefined && b.upper <= prev)
        ctx.addIssue({ code: 'custom', path: ['bins', i, 'upper'], message: `must be above the previous bin's upper (${prev}): bins go in ascending order` });
    });
  });

export const categoricalFeature = z
  .object({ ...featureBase, kind: z.literal('categorical'), bins: z.array(categoricalBin).min(1).max(62), other: fallbackBin })
  .strict()
  .superRefine((f, ctx) => {
    const seen = new Map<string, number>();
    f.bins.forEach((b, i) =>
      b.values.forEach((v, j) => {
        const at = seen.get(v);
        if (at !== undefined) ctx.addIssue({ code: 'custom', path: ['bins', i, 'values', j], message: `${JSON.stringify(v)} is already in bins[${at}]` });
        seen.set(v, i);
      }),
    );
  });

const thresholds = z
  .object({ medium: z.number().gt(0).lt(1), high: z.number().gt(0).lt(1), critical: z.number().gt(0).lt(1) })
  .strict()
  .refine((t) => t.medium <= t.high && t.high <= t.critical, 'thresholds go medium ≤ high ≤ critical (probabilities of fraud)');

/**
 * A tree node: a leaf (`value` only) or a split. A split sends a row whose bin index of `feature` is in `left` to
 * node `yes`, any other to node `no`. Bin indices are the feature's bins in order, then missing, then (categorical)
 * other. `value` is what the tree adds to the logit when it stops at this node (a leaf's output; at a split, the
 * node's mean, which explanations use).
 */
const treeNode = z
  .object({
    value: bounded(100),
    split: z
      .object({
        feature: z.string().min(1).max(200),
        left: z.array(z.number().int().min(0).max(63)).min(1).max(64),
        yes: z.number().int().min(1),
        no: z.number().int().min(1),
      })
      .strict()
      .optional(),
  })
  .strict();

const boost = z
  .object({
    /** what training shrank each tree by (informational: the values are already scaled) */
    learningRate: z.number().positive().max(1),
    trees: z
      .array(z.object({ nodes: z.array(treeNode).min(1).max(511) }).strict())
      .min(1)
      .max(5000)
      .refine((ts) => ts.reduce((n, t) => n + t.nodes.length, 0) <= MAX_TREE_NODES, 'at most 200,000 nodes in all (train writes a few thousand)'),
  })
  .strict();

type Issue = { path: PropertyKey[]; message: string };

/** A tree's splits name features of the file, bins that exist, and children after them (so a walk ends). */
function treeIssues(file: { features: { name: string; kind: string; bins: unknown[] }[]; boost?: z.infer<typeof boost> }): Issue[] {
  const width = new Map(file.features.map((f) => [f.name, { w: f.bins.length + (f.kind === 'categorical' ? 2 : 1), other: f.kind === 'categorical' }]));
  const issues: Issue[] = [];
  file.boost?.trees.forEach((t, ti) =>
    t.nodes.forEach((n, ni) => {
      if (!n.split) return;
      const path = ['boost', 'trees', ti, 'nodes', ni, 'split'];
      const f = width.get(n.split.feature);
      if (f === undefined) issues.push({ path: [...path, 'feature'], message: `${n.split.feature} is not a feature of this file` });
      else if (n.split.left.some((b) => b >= f.w))
        issues.push({
          path: [...path, 'left'],
          message: `${n.split.feature} has bin indices 0–${f.w - 1} (its bins, then missing${f.other ? ', then other' : ''})`,
        });
      for (const child of ['yes', 'no'] as const)
        if (n.split[child] <= ni || n.split[child] >= t.nodes.length)
          issues.push({ path: [...path, child], message: `must be a later node of this tree (${ni + 1}–${t.nodes.length - 1})` });
    }),
  );
  return issues;
}

export const modelFileSchema = z
  .object({
    format: z.literal('lendguard.model.v1'),
    kind: z.literal('scorecard'),
    /** written on every assessment; a new file needs a new version */
    version: z
      .string()
      .min(1)
      .max(100)
      .regex(/^[A-Za-z0-9_.:+-]+$/, 'a version is letters, digits and . _ : + -'),
    createdAt: z.string().max(40),
    description: z.string().max(2000).optional(),
    intercept: bounded(1000),
    pointsPerDoubling: z.number().positive().max(1000).default(20),
    calibration: z
      .object({ a: bounded(1000), b: bounded(1000) })
      .strict()
      .default({ a: 1, b: 0 }),
    thresholds,
    /** drift: a feature whose PSI against its training shares passes this is reported (default 0.25) */
    psiThreshold: z.number().positive().max(10).default(0.25),
    /** at most this many contributions are explained per assessment (default 5) */
    explain: z.number().int().min(0).max(50).default(5),
    features: z
      .array(z.discriminatedUnion('kind', [numericFeature, categoricalFeature]))
      .max(500)
      .superRefine((fs, ctx) => {
        const names = new Set<string>();
        fs.forEach((f, i) => {
          if (names.has(f.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `feature ${f.name} appears twice` });
          names.add(f.name);
        });
      }),
    /** gradient-boosted trees whose outputs add to the scorecard's logit (absent: the scorecard alone) */
    boost: boost.optional(),
    /** what `lendguard train` measured (AUC, KS, calibration, per pattern); kept as written, not read by scoring */
    training: z.record(z.string(), z.unknown()).optional(),
  })
  .strict()
  .superRefine((f, ctx) => treeIssues(f).forEach((i) => ctx.addIssue({ code: 'custom', ...i })));

export type ModelFile = z.infer<typeof modelFileSchema>;
export type ModelFileInput = z.input<typeof modelFileSchema>;
export type ModelFeature = ModelFile['features'][number];
export type NumericFeature = Extract<ModelFeature, { kind: 'numeric' }>;
export type CategoricalFeature = Extract<ModelFeature, { kind: 'categorical' }>;

/**
 * What a valid file may still get wrong: a bin no training row fell in (`share` 0) with a WoE far from 0, as
 * `lendguard train` wrote them before 2026-12-04. A value that lands there at run time (a counter shed under load,
 * enrichment down) is scored by the smoothing's guess, strongly fraud-like for a missing bin. Retraining fixes it.
 */
export function modelWarnings(file: ModelFile): string[] {
  const out: string[] = [];
  for (const f of file.features) {
    const fallbacks =
      f.kind === 'categorical'
        ? ([
            ['missing', f.missing],
            ['other', f.other],
          ] as const)
        : ([['missing', f.missing]] as const);
    for (const [which, bin] of fallbacks)
      if (bin.share === 0 && Math.abs(bin.woe) > 0.5)
        out.push(
          `${f.name}: its ${which} bin had no training rows but has WoE ${bin.woe.toFixed(2)}; a ${which} value is scored by that guess (retrain with lendguard train to make it 0)`,
        );
  }
  return out;
}

export class ModelFileError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`model file ${file}: ${problems.join('; ')}`);
    this.name = 'ModelFileError';
  }
}

const where = (path: readonly PropertyKey[]): string =>
  path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '') || '(root)';

/** Parses and validates a model file's text; throws a ModelFileError listing every problem (at most 20). */
export function parseModelFile(text: string, file: string): ModelFile {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new ModelFileError(file, [`not JSON: ${(err as Error).message}`]);
  }
  const res = modelFileSchema.safeParse(json);
  if (!res.success)
    throw new ModelFileError(
      file,
      res.error.issues.slice(0, 20).map((i) => `${where(i.path)}: ${i.message}`),
    );
  return res.data;
}
