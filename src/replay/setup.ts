import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { enrich, type EnrichContext } from '../enrich/index.js';
import { loadEnrichment } from '../enrich/load.js';
import { GraphService } from '../graph/graph-service.js';
import { parseWindow, velocitySpecs } from '../features/velocity.js';
import { createPseudonymiser } from '../ingest/pseudonymise.js';
import type { StateStore } from '../pipeline/ports.js';
import type { PipelineDeps } from '../pipeline/process-batch.js';
import { createRedis } from '../platform/clients.js';
import { systemClock, type Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import type { Logger } from '../platform/logger.js';
import { knownFeatures } from '../rules/features.js';
import { readRuleSetFile } from '../rules/file.js';
import type { RuleSet } from '../rules/loader.js';
import { formatProblem } from '../rules/problems.js';
import { createKeyBuilder } from '../state/keys.js';
import { createMemoryStateStore } from '../state/memory-state-store.js';
import { createRedisStateStore } from '../state/redis-state-store.js';
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

/**
 * Geo database, IP lists and UA parser, loaded once. Same as `buildEnrichContext` in src/main.ts
 * (kept here because main.ts does not export it; to be deduplicated).
 */
export function buildReplayEnrichContext(config: Config, logger: Logger): EnrichContext {
  let loaded: ReturnType<typeof loadEnrichment>;
  try {
    loaded = loadEnrichment(config.enrichment, (msg, detail) => logger.warn(detail, msg));
  } catch (err) {
    throw new ReplayError('config', `enrichment data cannot be loaded: ${(err as Error).message}`, { cause: err });
  }
  return loaded.context;
}

export interface ReplayDepsOptions {
  ruleSet: RuleSet;
  store: StateStore;
  enrichContext: EnrichContext;
  piiKey: string;
  clock?: Clock;
}

/**
 * Pipeline deps for a replay. No `degradation`: a backtest always runs every counter and rule
 * (latency shedding would judge old traffic by its age and skip work the analyst wants to see).
 */
export function createReplayDeps(config: Config, opts: ReplayDepsOptions): PipelineDeps {
  const ruleSet = opts.ruleSet;
  return {
    assess: { ruleSet: () => ruleSet, alertLevel: config.scoring.alertLevel, budgetMs: config.latency.budgetMs },
    velocitySpecs: velocitySpecs(config.state.windows.map(parseWindow)),
    store: opts.store,
    enrich: (app) => enrich(app, opts.enrichContext),
    travel: { maxSpeedKmh: config.enrichment.maxTravelSpeedKmh },
    // The graph is rebuilt from the replayed file itself (no link topic): rings found in a backtest
    // are the rings of that traffic.
    ...(config.graph.enabled ? { graph: new GraphService(config.graph) } : {}),
    pseudonymise: createPseudonymiser(opts.piiKey),
    clock: opts.clock ?? systemClock,
    maxRecordBytes: config.processing.maxRecordBytes,
    eventTime: config.processing.eventTime,
    topics: { ...config.topics, graphLinks: undefined },
    processorId: `replay@${hostname()}/${process.pid}`,
  };
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

/** The Redis URL without its password, for messages. */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable Redis URL)';
  }
}

/**
 * Connects to the configured Redis and uses `prefix` for every key (never the processor's own
 * prefix unless asked for explicitly). Throws ReplayError('state') when Redis cannot be reached.
 */
export async function redisState(config: Config, prefix: string, opts: { connectTimeoutMs?: number } = {}): Promise<ReplayState> {
  const redis: Redis = createRedis(config);
  let lastError: string | undefined;
  redis.on('error', (err: Error) => (lastError = err.message));
  try {
    if (redis.status !== 'ready') await once(redis, 'ready', { signal: AbortSignal.timeout(opts.connectTimeoutMs ?? 5000) });
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    const why = lastError ?? (err as Error).message;
    throw new ReplayError('state', `cannot reach Redis at ${redactedUrl(config.redis.url)}: ${why}`, { cause: err });
  }
  const store = createRedisStateStore(redis, createKeyBuilder(prefix), { sightingTtlMs: config.state.sightingTtlMs });
  return {
    kind: 'redis',
    store,
    prefix,
    async drop() {
      let deleted = 0;
      let cursor = '0';
      const pattern = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length > 0) deleted += await redis.unlink(...keys);
      } while (cursor !== '0');
      return deleted;
    },
    async close() {
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
