import { runCleanupSteps, type CleanupStep } from './platform/shutdown.js';
import { LendguardError } from './platform/errors.js';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { GraphService } from './graph/graph-service.js';
import { createKafkaMessaging } from './kafka/index.js';
import { recordCommittedBatch } from './pipeline/batch-metrics.js';
import { budgetHooks } from './pipeline/budget-hooks.js';
import { buildPipeline, loadEnrichContext, ruleErrorReporter } from './pipeline/build-pipeline.js';
import type { Messaging, StateStore } from './pipeline/ports.js';
import { processBatch, type BatchResult } from './pipeline/process-batch.js';
import { systemClock, type Clock } from './platform/clock.js';
import { piiKeyOrFail, type Config } from './platform/config.js';
import { Health } from './platform/health.js';
import { startHeapWatch } from './platform/heap-watch.js';
import { createOpsServer, listen } from './platform/http.js';
import type { Logger } from './platform/logger.js';
import { createMetrics, type Metrics } from './platform/metrics.js';
import { retryUntilReady } from './platform/retry.js';
import { createGraphReplica } from './replication/graph-replica.js';
import { knownFeatures } from './rules/features.js';
import { createLiveRules } from './rules/live-rules.js';
import { createModelStage } from './model/live-stage.js';
import { createRedisBackend } from './state/redis-backend.js';
import { lostWhileRunning } from './state/state-guard.js';

/**
 * The composition root: the only place that builds the adapters (Kafka messaging, Redis state) and wires
 * them to the pure stages (src/pipeline/build-pipeline.ts), plus the processor's lifecycle.
 */
export interface Processor {
  readonly health: Health;
  readonly metrics: Metrics;
  /** Port of the ops HTTP server once started (useful with http.port = 0). */
  httpPort(): number | undefined;
  start(): Promise<void>;
  /** Idempotent; runs every cleanup step even if one fails. */
  close(): Promise<void>;
}

export interface ProcessorOptions {
  logger: Logger;
  clock?: Clock;
  /** Called when the processor cannot continue (fatal error); the CLI exits non-zero. */
  onFatal?: (err: Error) => void;
  /** Wraps the state adapter (instrumentation, fault injection in tests). */
  decorateStateStore?: (store: StateStore) => StateStore;
}

export function createProcessor(config: Config, opts: ProcessorOptions): Processor {
  const { logger } = opts;
  const clock = opts.clock ?? systemClock;
  // Unique per process, even where every container is pid 1 on a reused host name.
  const processorId = `${config.kafka.clientId}@${hostname()}/${process.pid}/${randomBytes(3).toString('hex')}`;
  const piiKey = piiKeyOrFail(config, (msg) => logger.warn(msg));
  const health = new Health();
  const metrics = createMetrics();
  const messaging = createKafkaMessaging({ config, logger, metrics, health });
  const redis = createRedisBackend(config, {
    prefix: config.redis.keyPrefix,
    logger,
    marker: {
      onLost: lostWhileRunning({ onLost: config.state.onLost, logger, count: () => metrics.stateLost.inc({ when: 'running' }) }),
      nowMs: () => clock.now(),
    },
  });
  // Filled at start-up from the output topics' max.message.bytes.
  const outputLimits = { maxMessageBytes: new Map<string, number>(), dlq: config.topics.dlq, maxValueBytes: config.processing.maxRecordBytes };
  const abort = new AbortController();
  const enrichContext = loadEnrichContext(config, logger);
  const rules = createLiveRules({
    file: config.rules.file,
    hotReload: config.rules.hotReload,
    knownFeatures: knownFeatures(config.state.windows),
    logger,
    onReload: (ruleSet) => {
      metrics.ruleReloads.inc({ result: 'applied' });
      health.details.rulesVersion = ruleSet.version;
    },
    onRefused: () => metrics.ruleReloads.inc({ result: 'refused' }),
  });
  const modelStage = createModelStage(config, {
    logger,
    knownFeatures: knownFeatures(config.state.windows),
    onReload: (what, version) => {
      metrics.modelReloads.inc({ what, result: 'applied' });
      health.details.model = modelStage.versions();
      logger.info({ what, version }, 'model stage reloaded');
    },
    onRefused: (what) => metrics.modelReloads.inc({ what, result: 'refused' }),
  });
  if (modelStage.drift) metrics.drift.read = () => modelStage.drift?.report().features ?? [];
  const budget = budgetHooks(config.latency, metrics, health, clock);
  const graph = config.graph.enabled ? new GraphService(config.graph) : undefined;
  const replica = graph ? createReplica(config, { graph, messaging, metrics, logger, clock, processorId }) : undefined;
  const deps = buildPipeline(config, {
    store: timedStore((opts.decorateStateStore ?? ((s: StateStore) => s))(redis.store), metrics),
    ruleSet: () => rules.current(),
    enrichContext,
    piiKey,
    clock,
    processorId,
    ...(graph ? { graph } : {}),
    publishLinks: true,
    degradation: budget.degradation,
    outputLimits,
    onRuleErrors: ruleErrorReporter(logger, (rule) => metrics.ruleErrors.inc({ rule })),
    ...(modelStage.context ? { model: modelStage.context } : {}),
  });
  const source = messaging.applicationSource<BatchResult>({
    handle: (records) => processBatch(records, deps),
    onCommitted: (result) => {
      recordCommittedBatch(result, metrics);
      graph?.acknowledge(result.reportedRings);
      budget.committed(result.assessments);
      if (graph) recordGraphMetrics(graph, metrics);
    },
    onAborted: (result) => graph?.release(result.reportedRings),
    onFatal: (err) => {
      health.set('failed', err.message);
      logger.fatal({ err: err.message }, 'processor cannot continue');
      opts.onFatal?.(err);
    },
  });
  let server: Server | undefined;
  let port: number | undefined;
  let stopHeapWatch: (() => void) | undefined;
  let closing: Promise<void> | undefined;

  health.details.geo = { provider: enrichContext.geo.name, buildDate: enrichContext.geo.buildDate };
  health.setDatasets(enrichContext.datasets ?? []);
  health.details.processorId = processorId;
  health.details.rulesVersion = rules.current().version;
  health.details.model = modelStage.versions();

  /** Each start-up step waits for its dependency (backing off), unless its error is fatal. */
  const step = <T>(what: string, code: 'REDIS_UNAVAILABLE' | 'KAFKA_UNAVAILABLE', fn: () => Promise<T>): Promise<T> =>
    abort.signal.aborted
      ? Promise.reject(new LendguardError('INTERNAL', `stopping: ${what} not started`))
      : retryUntilReady(what, fn, {
          initialMs: config.processing.retryInitialMs,
          maxMs: config.processing.retryMaxMs,
          logger,
          signal: abort.signal,
          code,
          onRetry: (reason) => health.set('starting', reason),
        });

  const untilAborted = (signal: AbortSignal): Promise<never> =>
    new Promise((_, reject) => signal.addEventListener('abort', () => reject(new LendguardError('INTERNAL', 'stopping while starting')), { once: true }));

  /** The start-up steps, in order; each retries until its service is there, and none starts once stopping. */
  async function startSteps(): Promise<void> {
    await rules.start();
    modelStage.start();
    stopHeapWatch = startHeapWatch({ logger, health, metrics, warnRatio: 0.85, everyMs: 30_000, describe: () => describeGraph(graph) });
    if (config.http.enabled) {
      server = createOpsServer(health, metrics);
      port = await listen(server, config.http.host, config.http.port);
      logger.info({ url: `http://${config.http.host}:${port}/metrics` }, 'ops endpoints listening');
    }
    const { admin } = messaging;
    await step('connect to Redis', 'REDIS_UNAVAILABLE', () => redis.connect());
    await step('connect to Kafka', 'KAFKA_UNAVAILABLE', () => admin.connect());
    await step('ensure topics', 'KAFKA_UNAVAILABLE', () => admin.ensureTopics());
    await step('check the dead-letter topic', 'KAFKA_UNAVAILABLE', () => admin.checkDeadLetterTopic());
    for (const [topic, bytes] of await step("read the output topics' limits", 'KAFKA_UNAVAILABLE', () => admin.outputTopicLimits()))
      outputLimits.maxMessageBytes.set(topic, bytes);
    await step('check the state store', 'REDIS_UNAVAILABLE', async () => {
      const outcome = await redis.checkNotLost(() => admin.committedRecords(), { onLost: config.state.onLost, logger, nowMs: clock.now() });
      if (outcome === 'lost') metrics.stateLost.inc({ when: 'start' });
    });
    if (replica) {
      await step('start graph replica', 'KAFKA_UNAVAILABLE', () => replica.start());
      health.set('starting', 'rebuilding the identity graph from the link topic');
      // A rebuild can take minutes: a stop meanwhile ends the wait at once, not after the close timeout.
      await Promise.race([replica.ready, untilAborted(abort.signal)]);
    }
    await step('start consumer', 'KAFKA_UNAVAILABLE', () => source.start());
    logger.info({ topic: config.topics.applications, groupId: config.kafka.groupId, rulesVersion: rules.current().version }, 'processor started');
  }

  return {
    health,
    metrics,
    httpPort: () => port,
    async start() {
      try {
        await startSteps();
      } catch (err) {
        // Stopped while starting (SIGTERM during a rebuild or a retry): close() takes over, nothing failed.
        if (abort.signal.aborted) return;
        throw err;
      }
    },
    close() {
      closing ??= (async () => {
        health.set('stopping');
        abort.abort();
        const steps: CleanupStep[] = [
          ['rules watcher', async () => rules.stop()],
          ['model watcher', async () => modelStage.stop()],
          ['heap watch', async () => stopHeapWatch?.()],
          ['consumer', () => source.stop()],
          ['graph replica', async () => replica?.stop()],
          ['kafka producers and admin', () => messaging.close()],
          ['redis', () => redis.close()],
          ['http', () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))],
        ];
        await runCleanupSteps(steps, logger);
        logger.info('processor stopped');
      })();
      return closing;
    },
  };
}

/** The graph replica on the messaging port's table feeds, with bad records counted and logged sparingly. */
function createReplica(
  config: Config,
  a: { graph: GraphService; messaging: Messaging; metrics: Metrics; logger: Logger; clock: Clock; processorId: string },
): ReturnType<typeof createGraphReplica> {
  const badRecords = new Map<string, number>();
  return createGraphReplica({
    tableFeed: (o) => a.messaging.tableFeed(o),
    topicRecords: (topic) => a.messaging.admin.topicRecords(topic),
    graph: a.graph,
    topics: config.topics,
    groupPrefix: `${config.kafka.groupId}-replica`,
    horizonMs: config.graph.horizonDays * 86_400_000,
    evictEveryMs: config.graph.evictEveryMs,
    logger: a.logger,
    now: () => a.clock.now(),
    origin: a.processorId,
    onBadRecord: (topic, reason) => {
      // Counted, and logged for the first few and every 1000th: a topic full of old or foreign
      // records must not flood the log.
      a.metrics.replicaBadRecords.inc({ topic });
      const n = (badRecords.get(topic) ?? 0) + 1;
      badRecords.set(topic, n);
      if (n <= 5 || n % 1000 === 0) a.logger.warn({ topic, reason, skippedSoFar: n }, 'skipped a record that is not a graph link set or label');
    },
  });
}

function describeGraph(graph: GraphService | undefined): Record<string, number> {
  if (!graph) return {};
  const g = graph.stats();
  return { graphApplications: g.applications, graphSharedIdentifiers: g.sharedIdentifiers, graphSolos: g.solos, graphRings: g.rings };
}

/** The graph's work counters and size, for /metrics (read after each committed batch). */
function recordGraphMetrics(graph: GraphService, metrics: Metrics): void {
  metrics.graphWorkMax.set(graph.work.maxScanned);
  metrics.graphWork.set(graph.work.scanned);
  const stats = graph.stats();
  metrics.graphApplications.set(stats.applications);
  metrics.graphRings.set({ pattern: 'ring' }, stats.rings);
  metrics.graphRings.set({ pattern: 'burst' }, stats.bursts);
}

/** The state round trips' time, as the `state` stage of lendguard_stage_seconds. */
function timedStore(store: StateStore, metrics: Metrics): StateStore {
  return {
    async apply(request) {
      const end = metrics.stageSeconds.startTimer({ stage: 'state' });
      try {
        return await store.apply(request);
      } finally {
        end();
      }
    },
  };
}
