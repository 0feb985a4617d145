import { once } from 'node:events';
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { PartitionTransactions } from './emit/partition-transactions.js';
import { checkDeadLetterTopic, ensureTopics, outputTopicLimits } from './emit/topics.js';
import { parseWindow, velocitySpecs } from './features/velocity.js';
import { knownFeatures } from './rules/features.js';
import { ApplicationConsumer } from './ingest/consumer.js';
import { createPseudonymiser } from './ingest/pseudonymise.js';
import { budgetHooks } from './pipeline/budget-hooks.js';
import type { StateStore } from './pipeline/ports.js';
import { processBatch, type BatchResult, type PipelineDeps } from './pipeline/process-batch.js';
import { createKafka, createRedis } from './platform/clients.js';
import { systemClock, type Clock } from './platform/clock.js';
import { piiKeyOrFail, type Config } from './platform/config.js';
import { Health } from './platform/health.js';
import { startHeapWatch } from './platform/heap-watch.js';
import { createOpsServer, listen } from './platform/http.js';
import type { Logger } from './platform/logger.js';
import { createMetrics, type Metrics } from './platform/metrics.js';
import { LendguardError } from './platform/errors.js';
import { retryUntilReady } from './platform/retry.js';
import { createLiveRules } from './rules/live-rules.js';
import { GraphService } from './graph/graph-service.js';
import { createGraphReplica } from './replication/graph-replica.js';
import { createKeyBuilder } from './state/keys.js';
import { checkStateNotLost, lostWhileRunning } from './state/state-guard.js';
import { assertRedisVersion, createRedisStateStore } from './state/redis-state-store.js';
import { enrich, type EnrichContext } from './enrich/index.js';
import { loadEnrichment } from './enrich/load.js';

/**
 * The composition root: the only place that builds clients and wires adapters to the pure stages.
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
  const kafka = createKafka(config, logger);
  const admin = kafka.admin();
  const redis = createRedis(config);
  // Filled at start-up from the output topics' max.message.bytes.
  const outputLimits = { maxMessageBytes: new Map<string, number>(), dlq: config.topics.dlq, maxValueBytes: config.processing.maxRecordBytes };
  let lastRedisError: Error | undefined;
  redis.on('error', (err: Error) => {
    lastRedisError = err;
    logger.debug({ err: err.message }, 'redis connection error');
  });
  const abort = new AbortController();
  const retryOpts = { initialMs: config.processing.retryInitialMs, maxMs: config.processing.retryMaxMs, logger, signal: abort.signal };
  const onRetry = (reason: string): void => health.set('starting', reason);

  const enrichContext = buildEnrichContext(config, logger);
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
  const budget = budgetHooks(config.latency, metrics, health, clock);
  const onCommitted = (result: BatchResult): void => {
    graph?.acknowledge(result.reportedRings);
    budget.committed(result.assessments);
    if (graph) recordGraphMetrics(graph, metrics);
  };
  const graph = config.graph.enabled ? new GraphService(config.graph) : undefined;
  const badRecords = new Map<string, number>();
  const replica = graph
    ? createGraphReplica({
        kafka,
        admin,
        graph,
        topics: config.topics,
        groupPrefix: `${config.kafka.groupId}-replica`,
        horizonMs: config.graph.horizonDays * 86_400_000,
        evictEveryMs: config.graph.evictEveryMs,
        logger,
        now: () => clock.now(),
        origin: processorId,
        onBadRecord: (topic, reason) => {
          // Counted, and logged for the first few and every 1000th: a topic full of old or foreign
          // records must not flood the log.
          metrics.replicaBadRecords.inc({ topic });
          const n = (badRecords.get(topic) ?? 0) + 1;
          badRecords.set(topic, n);
          if (n <= 5 || n % 1000 === 0) logger.warn({ topic, reason, skippedSoFar: n }, 'skipped a record that is not a graph link set or label');
        },
      })
    : undefined;
  const deps: PipelineDeps = {
    assess: {
      ruleSet: rules.current,
      alertLevel: config.scoring.alertLevel,
      budgetMs: config.latency.budgetMs,
    },
    velocitySpecs: velocitySpecs(config.state.windows.map(parseWindow)),
    store: (opts.decorateStateStore ?? ((s: StateStore) => s))(
      createRedisStateStore(redis, createKeyBuilder(config.redis.keyPrefix), {
        sightingTtlMs: config.state.sightingTtlMs,
        marker: { onLost: lostWhileRunning({ onLost: config.state.onLost, logger, count: () => metrics.stateLost.inc({ when: 'running' }) }), nowMs: () => clock.now() },
      }),
    ),
    enrich: (app) => enrich(app, enrichContext),
    travel: { maxSpeedKmh: config.enrichment.maxTravelSpeedKmh },
    degradation: budget.degradation,
    ...(graph ? { graph } : {}),
    pseudonymise: createPseudonymiser(piiKey),
    clock,
    maxRecordBytes: config.processing.maxRecordBytes,
    eventTime: config.processing.eventTime,
    outputLimits,
    topics: graph ? config.topics : { ...config.topics, graphLinks: undefined },
    processorId,
  };
  const transactions = new PartitionTransactions(kafka, admin, {
    maxSendBytes: config.processing.maxSendBytes,
    transactionalIdPrefix: config.kafka.transactionalIdPrefix ?? config.kafka.groupId,
    groupId: config.kafka.groupId,
    transactionTimeoutMs: config.kafka.transactionTimeoutMs,
    logger,
  });
  const fatal = (err: Error): void => {
    health.set('failed', err.message);
    logger.fatal({ err: err.message }, 'processor cannot continue');
    opts.onFatal?.(err);
  };
  const consumer = new ApplicationConsumer({
    kafka,
    config,
    logger,
    metrics,
    health,
    transactions,
    handle: (records) => processBatch(records, deps),
    onCommitted,
    onAborted: (result) => graph?.release(result.reportedRings),
    onFatal: fatal,
  });
  let server: Server | undefined;
  let port: number | undefined;
  let stopHeapWatch: (() => void) | undefined;
  let closing: Promise<void> | undefined;

  health.details.geo = { provider: enrichContext.geo.name, buildDate: enrichContext.geo.buildDate };
  health.details.processorId = processorId;
  health.details.rulesVersion = rules.current().version;

  return {
    health,
    metrics,
    httpPort: () => port,
    async start() {
      await rules.start();
      stopHeapWatch = startHeapWatch({
        logger,
        health,
        metrics,
        warnRatio: 0.85,
        everyMs: 30_000,
        describe: (): Record<string, number> => {
          if (!graph) return {};
          const g = graph.stats();
          return { graphApplications: g.applications, graphSharedIdentifiers: g.sharedIdentifiers, graphSolos: g.solos, graphRings: g.rings };
        },
      });
      if (config.http.enabled) {
        server = createOpsServer(health, metrics);
        port = await listen(server, config.http.host, config.http.port);
        logger.info({ url: `http://${config.http.host}:${port}/metrics` }, 'ops endpoints listening');
      }
      const redisReady = async (): Promise<unknown> => {
        if (redis.status !== 'ready') await once(redis, 'ready', { signal: AbortSignal.timeout(3000) }).catch(() => undefined);
        // Refused credentials never get better by waiting: say so and stop (exit 78).
        if (redis.status !== 'ready' && lastRedisError && REDIS_AUTH_ERROR.test(lastRedisError.message)) {
          throw new LendguardError('CONFIG_INVALID', `Redis refused the credentials in redis.url (LENDGUARD_REDIS_URL): ${lastRedisError.message}`);
        }
        await redis.ping();
        assertRedisVersion(await redis.info('server')); // fatal on a server too old for the state script
        return undefined;
      };
      await retryUntilReady('connect to Redis', redisReady, { ...retryOpts, code: 'REDIS_UNAVAILABLE', onRetry });
      await retryUntilReady('connect to Kafka', () => admin.connect(), { ...retryOpts, code: 'KAFKA_UNAVAILABLE', onRetry });
      await retryUntilReady('ensure topics', () => ensureTopics(admin, config, logger), { ...retryOpts, code: 'KAFKA_UNAVAILABLE', onRetry });
      await retryUntilReady('check the dead-letter topic', () => checkDeadLetterTopic(admin, config, logger), { ...retryOpts, code: 'KAFKA_UNAVAILABLE', onRetry });
      for (const [topic, bytes] of await retryUntilReady('read the output topics\' limits', () => outputTopicLimits(admin, config), { ...retryOpts, code: 'KAFKA_UNAVAILABLE', onRetry })) outputLimits.maxMessageBytes.set(topic, bytes);
      const committed = async (): Promise<number> => {
        const [entry] = await admin.fetchOffsets({ groupId: config.kafka.groupId, topics: [config.topics.applications] });
        return (entry?.partitions ?? []).reduce((n, p) => n + Math.max(0, Number(p.offset)), 0);
      };
      await retryUntilReady('check the state store', async () => {
        const outcome = await checkStateNotLost(redis, createKeyBuilder(config.redis.keyPrefix).marker(), committed, { onLost: config.state.onLost, logger, nowMs: clock.now() });
        if (outcome === 'lost') metrics.stateLost.inc({ when: 'start' });
      }, { ...retryOpts, code: 'REDIS_UNAVAILABLE', onRetry });
      if (replica) {
        await retryUntilReady('start graph replica', () => replica.start(), { ...retryOpts, code: 'KAFKA_UNAVAILABLE', onRetry });
        health.set('starting', 'rebuilding the identity graph from the link topic');
        await replica.ready;
      }
      await retryUntilReady('start consumer', () => consumer.start(), { ...retryOpts, code: 'KAFKA_UNAVAILABLE', onRetry });
      logger.info({ topic: config.topics.applications, groupId: config.kafka.groupId, rulesVersion: rules.current().version }, 'processor started');
    },
    close() {
      closing ??= (async () => {
        health.set('stopping');
        abort.abort();
        const steps: [string, () => Promise<unknown>][] = [
          ['rules watcher', async () => rules.stop()],
          ['heap watch', async () => stopHeapWatch?.()],
          ['consumer', () => consumer.stop()],
          ['graph replica', async () => replica?.stop()],
          ['producers', () => transactions.close()],
          ['admin', () => admin.disconnect()],
          ['redis', () => redis.quit()],
          ['http', () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))],
        ];
        for (const [name, step] of steps) {
          try {
            await step();
          } catch (err) {
            logger.warn({ step: name, err: (err as Error).message }, 'cleanup step failed');
          }
        }
        logger.info('processor stopped');
      })();
      return closing;
    },
  };
}

/** Loads enrichment data (fatal CONFIG_INVALID when it cannot be read) and logs what was loaded. */
function buildEnrichContext(config: Config, logger: Logger): EnrichContext {
  let loaded: ReturnType<typeof loadEnrichment>;
  try {
    loaded = loadEnrichment(config.enrichment, (msg, detail) => logger.warn(detail, msg));
  } catch (err) {
    throw new LendguardError('CONFIG_INVALID', `enrichment data cannot be loaded: ${(err as Error).message}`, { cause: err });
  }
  const { geo } = loaded.context;
  logger.info({ geo: geo.name, geoBuildDate: geo.buildDate, lists: loaded.lists }, 'enrichment data loaded');
  return loaded.context;
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

const REDIS_AUTH_ERROR = /WRONGPASS|NOAUTH|invalid (username-)?password|NOPERM/i;
