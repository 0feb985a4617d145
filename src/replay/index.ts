/** Replay and backtest: run a JSONL file of applications through the processor's pipeline in-process. */
export { replayLines, type DeadLetterLine, type ReplayOptions, type ReplayProgress } from './run.js';
export {
  f1,
  parseTruth,
  ratio,
  SummaryAccumulator,
  type Confusion,
  type PatternStat,
  type Ratio,
  type ReplaySummary,
  type RuleStat,
  type SummaryOptions,
  type Truth,
  type TruthLabel,
  type TruthSummary,
} from './summary.js';
export { renderSummary, type RenderContext } from './render.js';
export { checkReadable, openJsonlWriter, readLines, samePath, type InputLine, type JsonlWriter } from './io.js';
export { ReplayError, REPLAY_EXIT_CODES, type ReplayErrorKind } from './errors.js';
export {
  buildReplayEnrichContext,
  createReplayDeps,
  loadReplayRules,
  memoryState,
  randomReplayPrefix,
  redactedUrl,
  redisState,
  type LoadedRules,
  type ReplayDepsOptions,
  type ReplayState,
} from './setup.js';
