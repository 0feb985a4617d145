import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { EnrichContext } from '../enrich/index.js';
import { GraphService } from '../graph/graph-service.js';
import { buildPipeline, loadEnrichContext } from '../pipeline/build-pipeline.js';
import type { StateStore } from '../pipeline/ports.js';
import type { PipelineDeps } from '../pipeline/process-batch.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { knownFeatures } from '../rules/features.js';
import { readRuleSetFile } from '../rules/file.js';
import type { ModelContext } from '../pipeline/model-stage.js';
import type { RuleSet } from '../rules/loader.js';
import { formatProblem } from '../rules/problems.js';
import { createMemoryStateStore } from '../state/memory-state-store.js';
import { createRedisBackend } from '../state/redis-backend.js';
import { ReplayError } from './errors.js';

/** The replay's composition: the processor's stages wired to a file instead of Kafka. */

export interface LoadedRules {
  ruleSet: RuleSet;
  /** Non-fatal remarks from the loader (e.g. unused params), formatted `file:line:col: …`. */
  warnings: string[];
}

/** Loads and validates a rule file; throws ReplayError('rules') listing every problem with its line. */
export async function loadReplayRules(file: string, windows: readonly string[]): Promise<LoadedRules> {
  const result = await readRuleSetFile(file, { knownFeatures: knownFeatures(windows) });
  if (!result.ok) {
    const list = result.problems.map((p) => `  ${formatProblem(p)}`).join('\n');
    throw new ReplayError('rules', `rules file ${file} is invalid (${result.problems.length} problem(s)):\n${list}`);
  }
  return { ruleSet: result.ruleSet, warnings: result.warnings.map(formatProblem) };
}

/** Geo database, IP lists and UA parser, loaded once (as the processor does); ReplayError('config') when they cannot be read. */
export function buildReplayEnrichContext(config: Config, logger: Logger): EnrichContext {
  try {
    return loadEnrichContext(config, logger);
  } catch (err) {
    throw new ReplayError('config', (err as Error).message, { cause: err });
  }
}

export interface ReplayDepsOptions {
  ruleSet: RuleSet;
  store: StateStore;
  enrichContext: EnrichContext;
  piiKey: string;
  clock?: Clock;
  /** the model stage and shadow candidate (replay --model, --compare-model, --compare-rules) */
  model?: ModelContext;
}

/**
 * Pipeline deps for a replay. No `degradation`: a backtest always runs every counter and rule
 * (latency shedding would judge old traffic by its age and skip work the analyst wants to see).
 */
export function createReplayDeps(config: Config, opts: ReplayDepsOptions): PipelineDeps {
  const ruleSet = opts.ruleSet;
  return buildPipeline(config, {
    store: opts.store,
    ruleSet: () => ruleSet,
    enrichContext: opts.enrichContext,
    piiKey: opts.piiKey,
    clock: opts.clock ?? systemClock,
    processorId: `replay@${hostname()}/${process.pid}`,
    // The graph is rebuilt from the replayed file itself (no link topic): rings found in a backtest
    // are the rings of that traffic.
    ...(config.graph.enabled ? { graph: new GraphService(config.graph) } : {}),
    publishLinks: false,
    ...(opts.model ? { model: opts.model } : {}),
  });
}

/** State for a replay: a store, what to print about it, and how to let go of it. */
export interface ReplayState {
  kind: 'memory' | 'redis';
  store: StateStore;
  /** Redis key prefix (redis only). */
  prefix?: string;
  /** Deletes every key under the prefix (redis only); returns how many. */
  drop(): Promise<number>;
  close(): Promise<void>;
}

export const randomReplayPrefix = (): string => `replay:${randomBytes(4).toString('hex')}:`;

export function memoryState(): ReplayState {
  return { kind: 'memory', store: createMemoryStateStore(), drop: async () => 0, close: async () => undefined };
}

export { redactedUrl } from '../state/redis-backend.js';

/**
 * Connects to the configured Redis and uses `prefix` for every key (never the processor's own
 * prefix unless asked for explicitly). Throws ReplayError('state') when Redis cannot be reached.
 */
export async function redisState(config: Config, prefix: string, opts: { connectTimeoutMs?: number } = {}): Promise<ReplayState> {
  const backend = createRedisBackend(config, { prefix });
  try {
    await backend.connect(opts.connectTimeoutMs ?? 5000);
  } catch (err) {
    await backend.close();
    throw new ReplayError('state', (err as Error).message, { cause: err });
  }
  return { kind: 'redis', store: backend.store, prefix, drop: () => backend.dropPrefix(), close: () => backend.close() };
}
