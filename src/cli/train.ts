import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Assessment } from '../domain/assessment.js';
import type { ModelFile } from '../model/file.js';
import { DEFAULT_BOOST } from '../model/train/boost.js';
import { trainScorecard, type TrainingRow } from '../model/train/train.js';
import type { Config } from '../platform/config.js';
import { writeFileAtomically } from '../platform/atomic-write.js';
import { LendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import { runReplayCommand } from './replay.js';
import { readTopicToEnd } from '../kafka/tools.js';
import { parseLabel } from '../replication/graph-replica.js';

/**
 * `train <input.jsonl…>`: a scorecard from labelled history (docs/model.md). The input is a replay file whose lines
 * carry `_truth` (what `lendguard generate` writes): it is replayed through the processor's own pipeline (memory
 * state, the configured rules), each assessment joined with its line's truth, and the scorecard trained on the
 * assessments' features and flags (src/model/train/). Writes the model file (JSON, atomically) and prints the
 * training report; on a terminal, progress goes to stderr.
 */
export interface TrainCliOptions {
  out: string;
  rules?: string;
  precision?: string;
  testShare?: string;
  maxFeatures?: string;
  lambda?: string;
  trees?: string;
  depth?: string;
  description?: string;
  /** read fraud.labels joined with fraud.assessments from Kafka instead of replay files */
  fromKafka?: boolean;
}

const num = (v: string | undefined, name: string, lo: number, hi: number, fallback: number): number => {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < lo || n > hi) throw new LendguardError('CONFIG_INVALID', `${name} must be a number from ${lo} to ${hi}, not ${v}`);
  return n;
};

interface Truthy {
  fraud: boolean;
  pattern: string;
}

/** applicationId → truth, from the input's `_truth` fields. */
function truths(input: string): Map<string, Truthy> {
  const out = new Map<string, Truthy>();
  for (const line of readFileSync(input, 'utf8').split('\n')) {
    if (!line.includes('"_truth"')) continue;
    try {
      const v = JSON.parse(line) as { applicationId?: unknown; _truth?: { fraud?: unknown; pattern?: unknown } };
      if (typeof v.applicationId === 'string' && typeof v._truth?.fraud === 'boolean')
        out.set(v.applicationId, {
          fraud: v._truth.fraud,
          pattern: typeof v._truth.pattern === 'string' ? v._truth.pattern : v._truth.fraud ? 'fraud' : 'clean',
        });
    } catch {
      // a line that is not JSON is dead-lettered by the replay; it has no truth to join
    }
  }
  return out;
}

export function trainingRows(assessmentsJsonl: string, truth: ReadonlyMap<string, Truthy>): TrainingRow[] {
  const rows: TrainingRow[] = [];
  for (const line of assessmentsJsonl.split('\n')) {
    if (line.length === 0) continue;
    const a = JSON.parse(line) as Assessment;
    const t = truth.get(a.applicationId);
    if (!t) continue;
    rows.push({
      atMs: Date.parse(a.eventTime),
      fraud: t.fraud,
      pattern: t.pattern,
      rulesScore: a.model?.rulesScore ?? a.score,
      // the rules' own decision is a feature too, as the model stage gives it (src/pipeline/model-stage.ts)
      values: { ...a.enrichment, ...a.features, 'rules.score': a.model?.rulesScore ?? a.score, 'rules.flags': a.flags.length },
      flags: [...new Set(a.flags.map((f) => f.code))],
    });
  }
  return rows;
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

export function describeTraining(model: ModelFile, out: string): string {
  const t = model.training as Record<string, never> & {
    rows: { fit: number; calibration: number; test: number };
    auc: { model: number; rules: number };
    boost?: { trees: number; depth: number; validLoss: { before: number; after: number } };
    ks: { model: number; rules: number };
    atThreshold: { precision: number; recall: number; alerted: number };
    perPattern: { pattern: string; rows: number; fraud: number; alertedShare: number }[];
  };
  const lines = [
    `model ${model.version} → ${out}: ${model.features.length} features`,
    `rows: ${t.rows.fit} to fit, ${t.rows.calibration} to calibrate, ${t.rows.test} held out (the newest)`,
    t.boost
      ? `boosted: ${t.boost.trees} trees of depth ${t.boost.depth} on the scorecard's logit (calibration log loss ${t.boost.validLoss.before.toFixed(4)} → ${t.boost.validLoss.after.toFixed(4)})`
      : 'boosted: no trees (the scorecard alone)',
    `held out: AUC ${t.auc.model.toFixed(4)} (rules ${t.auc.rules.toFixed(4)}), KS ${t.ks.model.toFixed(3)} (rules ${t.ks.rules.toFixed(3)})`,
    `alert threshold p ≥ ${model.thresholds.high.toPrecision(3)}: precision ${pct(t.atThreshold.precision)}, recall ${pct(t.atThreshold.recall)} (${t.atThreshold.alerted} alerted)`,
    'per pattern (held out): alerted share',
    ...t.perPattern.map(
      (p) => `  ${p.pattern.padEnd(24)} ${String(p.rows).padStart(7)} rows  ${pct(p.alertedShare).padStart(6)}${p.fraud > 0 ? '  (fraud)' : ''}`,
    ),
  ];
  return lines.join('\n');
}

/**
 * Labelled history from Kafka: the latest label of each application (topics.labels, by `at`) joined with its
 * assessment (topics.assessments), both read from their start to where they ended. Patterns are "labelled fraud"
 * and "labelled legit" (labels carry no attack pattern).
 */
export async function rowsFromKafka(config: Config, logger: Logger, say: (s: string) => void): Promise<TrainingRow[]> {
  const labels = new Map<string, { fraud: boolean; atMs: number }>();
  let bad = 0;
  const n = await readTopicToEnd(config, logger, config.topics.labels, (_key, value) => {
    const l = parseLabel(value);
    if (typeof l === 'string') bad++;
    else if ((labels.get(l.applicationId)?.atMs ?? -Infinity) <= l.atMs) labels.set(l.applicationId, { fraud: l.label === 'fraud', atMs: l.atMs });
  });
  say(`train: ${n} label records of ${config.topics.labels} (${labels.size} applications${bad ? `, ${bad} not labels` : ''})`);
  const truth = new Map([...labels].map(([id, l]) => [id, { fraud: l.fraud, pattern: l.fraud ? 'labelled fraud' : 'labelled legit' }]));
  const lines: string[] = [];
  const m = await readTopicToEnd(config, logger, config.topics.assessments, (key, value) => {
    if (value && key !== null && truth.has(key)) lines.push(value.toString('utf8'));
  });
  say(`train: ${m} assessments of ${config.topics.assessments}, ${lines.length} of them labelled`);
  return trainingRows(lines.join('\n'), truth);
}

export async function runTrain(inputs: readonly string[], opts: TrainCliOptions, config: Config, logger: Logger, print: (s: string) => void): Promise<number> {
  if (opts.fromKafka === inputs.length > 0)
    throw new LendguardError('CONFIG_INVALID', 'give labelled replay files, or --from-kafka (fraud.labels joined with fraud.assessments), one of the two');
  const precision = num(opts.precision, '--precision', 0.5, 0.999, 0.9);
  const testShare = num(opts.testShare, '--test-share', 0.05, 0.8, 0.3);
  const maxFeatures = num(opts.maxFeatures, '--max-features', 1, 500, 150);
  const lambda = num(opts.lambda, '--lambda', 0, 10_000, 1);
  const maxTrees = Math.round(num(opts.trees, '--trees', 0, 5000, DEFAULT_BOOST.maxTrees));
  const depth = Math.round(num(opts.depth, '--depth', 1, 8, DEFAULT_BOOST.depth));
  const tty = process.stderr.isTTY;
  const dir = mkdtempSync(join(tmpdir(), 'lendguard-train-'));
  try {
    const rows: TrainingRow[] = opts.fromKafka ? await rowsFromKafka(config, logger, (s) => process.stderr.write(`${s}\n`)) : [];
    for (const [i, input] of inputs.entries()) {
      const assessments = join(dir, `assessments-${i}.jsonl`);
      if (tty) process.stderr.write(`train: replaying ${input} through the pipeline (${i + 1}/${inputs.length})…\n`);
      // Every velocity window is counted: each is a candidate feature, whether the rules read it or not.
      const replay = await runReplayCommand(input, { out: assessments, rules: opts.rules, allFeatures: true }, config, {
        stdout: () => undefined,
        stderr: (line) => (tty || !line.startsWith('replay: ') ? process.stderr.write(`${line}\n`) : undefined),
        logger,
      });
      if (replay.exitCode !== 0) return replay.exitCode;
      rows.push(...trainingRows(readFileSync(assessments, 'utf8'), truths(input)));
    }
    if (rows.length === 0)
      throw new LendguardError(
        'CONFIG_INVALID',
        opts.fromKafka
          ? `no labelled assessment in ${config.topics.assessments}: train needs labels in ${config.topics.labels} for assessed applications`
          : `${inputs.join(', ')}: no lines with _truth: train needs labelled history (lendguard generate writes it)`,
      );
    const model = trainScorecard(rows, {
      precision,
      testShare,
      maxFeatures,
      lambda,
      boost: { maxTrees, depth },
      description: opts.description ?? `trained on ${opts.fromKafka ? `${config.topics.labels} × ${config.topics.assessments}` : inputs.join(', ')}`,
      onProgress: tty ? (step, done, total) => process.stderr.write(`\r\x1b[Ktrain: ${step} (${done}/${total})`) : undefined,
    });
    if (tty) process.stderr.write('\n');
    writeFileAtomically(opts.out, `${JSON.stringify(model, null, 2)}\n`);
    print(describeTraining(model, opts.out));
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
