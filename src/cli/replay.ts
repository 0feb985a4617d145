import { basename } from 'node:path';
import { piiKeyOrFail, type Config } from '../platform/config.js';
import { exitCodeOf, LendguardError } from '../platform/errors.js';
import { createLogger, type Logger } from '../platform/logger.js';
import { ReplayError } from '../replay/errors.js';
import { checkReadable, openJsonlWriter, readLines, samePath, type JsonlWriter } from '../replay/io.js';
import { renderSummary } from '../replay/render.js';
import { replayLines } from '../replay/run.js';
import { buildReplayEnrichContext, createReplayDeps, loadReplayRules, memoryState, randomReplayPrefix, redisState, type ReplayState } from '../replay/setup.js';
import type { ReplaySummary } from '../replay/summary.js';
import { CompareAccumulator, renderCompare, type CompareSummary } from '../replay/compare.js';
import { createModelStage } from '../model/live-stage.js';
import { knownFeatures } from '../rules/features.js';

/** `lendguard replay <input.jsonl>`: the command adapter (options → replay → summary on stdout). */

export interface ReplayCliOptions {
  out?: string;
  dlq?: string;
  rules?: string;
  /** memory (default) or redis. */
  state?: string;
  /** Redis key prefix (--state redis); default a fresh `replay:<id>:`. */
  redisPrefix?: string;
  /** Delete the Redis keys under the prefix when done (--state redis). */
  dropState?: boolean;
  /** Records per pipeline batch (default 200). Strings come from the command line. */
  batch?: string | number;
  /** Print the summary as JSON instead of a table. */
  json?: boolean;
  /** A model file for the model stage (default: model.file of the configuration). */
  model?: string;
  /** Shadow mode: a candidate model and/or rules file compared with the active ones. */
  compareModel?: string;
  compareRules?: string;
  /** Count every velocity window, not only those the rules read (`lendguard train`; larger assessments). */
  allFeatures?: boolean;
}

export interface ReplayCommandIo {
  /** Receives the summary (one call, no trailing newline). */
  stdout: (text: string) => void;
  /** Receives progress, warnings and errors (one line per call, no trailing newline). */
  stderr: (line: string) => void;
  logger: Logger;
  progressEveryMs: number;
}

/** What --json prints: where things came from and went, and the summary. */
export interface ReplayReport {
  input: string;
  rulesFile: string;
  state: { kind: 'memory' | 'redis'; prefix?: string; droppedKeys?: number };
  outputs: { assessments: string | null; dlq: string | null };
  summary: ReplaySummary;
  /** active against the shadow candidate, with --compare-model / --compare-rules */
  compare?: CompareSummary;
}

export interface ReplayCommandResult {
  exitCode: number;
  report?: ReplayReport;
  /** The message printed on stderr when the replay could not run. */
  error?: string;
}

const defaultIo = (): ReplayCommandIo => ({
  stdout: (text) => process.stdout.write(`${text}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  logger: createLogger(process.env.LENDGUARD_LOG_LEVEL ?? 'warn', process.stderr),
  progressEveryMs: 2000,
});

interface Parsed {
  batch: number;
  state: 'memory' | 'redis';
}

function parseOptions(input: string, opts: ReplayCliOptions): Parsed {
  const batch = opts.batch === undefined ? 200 : Number(opts.batch);
  if (!Number.isInteger(batch) || batch < 1 || batch > 10_000)
    throw new ReplayError('usage', `--batch must be a whole number from 1 to 10000, not ${String(opts.batch)}`);
  const state = opts.state ?? 'memory';
  if (state !== 'memory' && state !== 'redis') throw new ReplayError('usage', `--state must be memory or redis, not ${state}`);
  if (state === 'memory' && opts.redisPrefix !== undefined) throw new ReplayError('usage', '--redis-prefix needs --state redis');
  if (state === 'memory' && opts.dropState) throw new ReplayError('usage', '--drop-state needs --state redis');
  if (opts.redisPrefix !== undefined && (opts.redisPrefix.length === 0 || opts.redisPrefix.length > 64)) {
    throw new ReplayError('usage', '--redis-prefix must be 1 to 64 characters');
  }
  for (const [name, path] of [
    ['--out', opts.out],
    ['--dlq', opts.dlq],
  ] as const) {
    if (path !== undefined && samePath(path, input)) throw new ReplayError('usage', `${name} ${path} is the input file; choose another output`);
  }
  if (opts.out !== undefined && opts.dlq !== undefined && samePath(opts.out, opts.dlq))
    throw new ReplayError('usage', '--out and --dlq must be different files');
  return { batch, state };
}

/**
 * Runs a replay and prints its summary. Never throws for an expected failure: it prints the reason
 * on stderr and returns the exit code (64 usage, 66 input, 69 Redis, 73 output, 78 rules/config).
 */
export async function runReplayCommand(
  input: string,
  opts: ReplayCliOptions,
  config: Config,
  ioOverrides: Partial<ReplayCommandIo> = {},
): Promise<ReplayCommandResult> {
  const io: ReplayCommandIo = { ...defaultIo(), ...ioOverrides };
  const writers: JsonlWriter[] = [];
  let state: ReplayState | undefined;
  try {
    const parsed = parseOptions(input, opts);
    await checkReadable(input);
    const rulesFile = opts.rules ?? config.rules.file;
    const { ruleSet, warnings } = await loadReplayRules(rulesFile, config.state.windows);
    for (const w of warnings) io.stderr(`replay: warning: ${w}`);
    const piiKey = piiKeyOrFail(config, (msg) => io.stderr(`replay: warning: ${msg}`));
    const enrichContext = buildReplayEnrichContext(config, io.logger);

    const out = opts.out !== undefined ? await openJsonlWriter(opts.out) : undefined;
    if (out) writers.push(out);
    const dlq = opts.dlq !== undefined ? await openJsonlWriter(opts.dlq) : undefined;
    if (dlq) writers.push(dlq);

    if (parsed.state === 'redis') {
      const prefix = opts.redisPrefix ?? randomReplayPrefix();
      if (prefix === config.redis.keyPrefix)
        io.stderr(`replay: warning: --redis-prefix ${prefix} is the processor's own prefix; this replay reads and WRITES production counters`);
      state = await redisState(config, prefix);
      io.stderr(`replay: Redis state under key prefix ${prefix}`);
    } else {
      state = memoryState();
    }

    const stage = createModelStage(
      { ...config, model: { file: opts.model ?? config.model.file, hotReload: false, shadow: { modelFile: opts.compareModel, rulesFile: opts.compareRules } } },
      { logger: io.logger, knownFeatures: knownFeatures(config.state.windows) },
    );
    const compare = stage.context?.shadow ? new CompareAccumulator() : undefined;
    const model = opts.allFeatures ? { ...stage.context, countAllWindows: true } : stage.context;
    const summary = await replayLines(readLines(input), {
      deps: createReplayDeps(config, { ruleSet, store: state.store, enrichContext, piiKey, ...(model ? { model } : {}) }),
      ...(compare ? { compare } : {}),
      batchSize: parsed.batch,
      alertLevel: config.scoring.alertLevel,
      ruleIds: [...ruleSet.rules.map((r) => r.id), ...ruleSet.combinations.map((c) => c.id)],
      sourceTopic: `replay:${basename(input)}`,
      onAssessments: out ? (values) => out.write(values) : undefined,
      onDeadLetters: dlq ? (lines) => dlq.write(lines.map((l) => JSON.stringify(l))) : undefined,
      onProgress: (p) =>
        io.stderr(
          `replay: ${p.lines.toLocaleString('en-US')} lines · ${Math.round(p.rate).toLocaleString('en-US')} lines/s · ${(p.elapsedMs / 1000).toFixed(0)} s`,
        ),
      progressEveryMs: io.progressEveryMs,
    });
    await Promise.all(writers.map((w) => w.close()));

    const report: ReplayReport = {
      input,
      rulesFile,
      state: { kind: state.kind, ...(state.prefix !== undefined ? { prefix: state.prefix } : {}) },
      outputs: { assessments: opts.out ?? null, dlq: opts.dlq ?? null },
      summary,
    };
    const compared = compare?.summary();
    if (compared) report.compare = compared;
    if (opts.dropState) {
      report.state.droppedKeys = await state.drop();
      io.stderr(`replay: deleted ${report.state.droppedKeys} Redis keys under ${state.prefix ?? ''}`);
    }
    if (opts.json) {
      io.stdout(JSON.stringify(report, null, 2));
    } else {
      const stateText = state.kind === 'memory' ? 'memory (started empty)' : `redis, key prefix ${state.prefix ?? ''}`;
      const outputs = [opts.out ? `assessments → ${opts.out}` : '', opts.dlq ? `dead letters → ${opts.dlq}` : ''].filter(Boolean).join(' · ');
      io.stdout(`${renderSummary(summary, { input, rulesFile, state: stateText })}${compared ? renderCompare(compared) : ''}${outputs ? `\n${outputs}` : ''}`);
    }
    return { exitCode: 0, report };
  } catch (err) {
    const { message, exitCode } = describeFailure(err);
    io.stderr(`lendguard replay: ${message}`);
    if (writers.length > 0 && err instanceof ReplayError && err.kind === 'state') {
      io.stderr(`lendguard replay: the output files hold what was processed before the failure`);
    }
    return { exitCode, error: message };
  } finally {
    await Promise.allSettled(writers.map((w) => w.close()));
    await state?.close();
  }
}

function describeFailure(err: unknown): { message: string; exitCode: number } {
  if (err instanceof ReplayError) return { message: err.message, exitCode: err.exitCode };
  if (err instanceof LendguardError) return { message: `${err.code}: ${err.message}`, exitCode: exitCodeOf(err) };
  return { message: (err as Error).stack ?? String(err), exitCode: 1 };
}
