import { runCleanupSteps, type CleanupStep } from '../platform/shutdown.js';
import type { Server } from 'node:http';
import { createKafkaAlertSource } from '../kafka/alert-ingest-source.js';
import { createLabelWriter } from '../kafka/label-writer.js';
import type { RecordWriter } from '../pipeline/ports.js';
import type { Config } from '../platform/config.js';
import type { ErrorCode } from '../platform/errors.js';
import { Health } from '../platform/health.js';
import { listen } from '../platform/http.js';
import type { Logger } from '../platform/logger.js';
import { retryUntilReady } from '../platform/retry.js';
import { createConsoleApi, type ConsoleApi } from './api/index.js';
import { createPool, type Db } from './db.js';
import { createConsoleServer, opsRoutes, type Route } from './http.js';
import { createAlertIngest } from './ingest.js';
import { createConsoleMetrics, type ConsoleMetrics } from './metrics.js';
import { migrate } from './migrate.js';
import type { AlertIngestHandlers, AlertSource } from './ports.js';
import { startPruner } from './pruner.js';
import { uiRoutes } from './ui/assets.js';
import { createConsoleStore, type ConsoleStore } from './store/index.js';
import { createRollups, type Rollups, type RollupOptions } from '../reports/rollups.js';

/**
 * The console's composition root: PostgreSQL pool, migrations, the alert ingest on Kafka, retention, the HTTP
 * server and its API (src/console/api/: auth, routes, the live stream; labels go to Kafka through the label
 * writer), the browser UI (src/console/ui/). `route()` adds a route (before or after start), `store` has the queries. Start-up steps wait for their dependency with backoff (POSTGRES_UNAVAILABLE, KAFKA_UNAVAILABLE);
 * /healthz answers from the first moment, /readyz once the ingest owns its partitions and stores.
 */
export interface ConsoleApp {
  readonly health: Health;
  readonly metrics: ConsoleMetrics;
  readonly store: ConsoleStore;
  /** The pool, for code that needs a transaction of its own (src/console/store functions take it). */
  readonly db: Db;
  /** The HTTP API: its users, route declarations, live stream. */
  readonly api: ConsoleApi;
  /** The trend report's rollup consumer; undefined when `console.reports.rollups` is off. */
  readonly rollups: Rollups | undefined;
  route(route: Route): void;
  /** Port of the HTTP server once started (useful with console.http.port = 0). */
  httpPort(): number | undefined;
  start(): Promise<void>;
  /** Idempotent; runs every cleanup step even if one fails. */
  close(): Promise<void>;
}

export interface ConsoleAppOptions {
  logger: Logger;
  /** Called when the console cannot continue (a fatal error); the CLI exits non-zero. */
  onFatal?: (err: Error) => void;
  /** Replaces the Kafka alert source (tests). */
  alertSource?: (handlers: AlertIngestHandlers) => AlertSource;
  /** Replaces the Kafka writer of labels (default: an idempotent producer on topics.labels, connected on first use). */
  labelWriter?: RecordWriter;
  /** Replaces the Kafka sources of the report rollups (tests), or observes what they store. */
  rollups?: Pick<RollupOptions, 'sources' | 'onStored'>;
}

export function createConsoleApp(config: Config, opts: ConsoleAppOptions): ConsoleApp {
  const { logger } = opts;
  const c = config.console;
  const health = new Health();
  const metrics = createConsoleMetrics();
  const db = createPool(c.postgres, logger);
  const store = createConsoleStore(db);
  const api = createConsoleApi(config, {
    store,
    db,
    logger,
    registry: metrics.registry,
    labelWriter: opts.labelWriter ?? createLabelWriter(config, logger),
  });
  // /healthz and /readyz answer without authentication; /metrics is one of the API's routes (any role).
  // The browser UI's page, stylesheet and script (src/console/ui/): code only, no data, so no authentication.
  const routes: Route[] = [...opsRoutes(health, metrics.registry).filter((r) => r.path !== '/metrics'), ...api.routes, ...uiRoutes(logger)];
  const abort = new AbortController();
  const onFatal = (err: Error): void => {
    health.set('failed', err.message);
    metrics.ready.set(0);
    logger.fatal({ err: err.message }, 'console cannot continue');
    opts.onFatal?.(err);
  };
  const ingest = createAlertIngest({ db, consumer: c.groupId, metrics, health, logger, onFatal, onAlertsStored: () => api.hub.notify() });
  const source = (opts.alertSource ?? ((h) => createKafkaAlertSource(config, logger, h)))(ingest);
  const rollups = c.reports.rollups ? createRollups(config, { db, registry: metrics.registry, logger, onFatal, ...opts.rollups }) : undefined;
  let server: Server | undefined;
  let port: number | undefined;
  let pruner: { stop(): Promise<void> } | undefined;
  let closing: Promise<void> | undefined;
  health.details.groupId = c.groupId;
  health.details.topic = config.topics.alerts;
  health.details.schema = c.postgres.schema;

  const step = <T>(what: string, code: ErrorCode, fn: () => Promise<T>): Promise<T> =>
    retryUntilReady(what, fn, {
      initialMs: config.processing.retryInitialMs,
      maxMs: config.processing.retryMaxMs,
      logger,
      signal: abort.signal,
      code,
      // Only retriable errors are retried, and each step's dependency has one such code: name it for /readyz.
      onRetry: (reason) => health.set('starting', `${code}: ${reason}`),
    });

  return {
    health,
    metrics,
    store,
    db,
    api,
    rollups,
    route: (r) => void routes.push(r),
    httpPort: () => port,
    async start() {
      server = createConsoleServer(routes, logger);
      port = await listen(server, c.http.host, c.http.port);
      logger.info({ url: `http://${c.http.host}:${port}/healthz` }, 'console HTTP listening');
      await api.start();
      const outcome = await step('migrate the console schema', 'POSTGRES_UNAVAILABLE', () => migrate(db, c.postgres.schema, logger));
      health.details.schemaVersion = outcome.current;
      pruner = startPruner({
        prune: (o) => store.prune(o),
        retentionDays: c.retentionDays,
        batchSize: c.pruneBatchSize,
        everyMs: c.pruneEveryMs,
        metrics,
        logger,
      });
      health.set('starting', 'joining the consumer group of the alerts topic');
      await step('start the alert consumer', 'KAFKA_UNAVAILABLE', () => source.start());
      if (rollups) await step('start the report rollups', 'KAFKA_UNAVAILABLE', () => rollups.start());
      logger.info({ topic: config.topics.alerts, groupId: c.groupId, schema: c.postgres.schema, schemaVersion: outcome.current }, 'console started');
    },
    close() {
      closing ??= (async () => {
        health.set('stopping');
        metrics.ready.set(0);
        abort.abort();
        const steps: CleanupStep[] = [
          ['alert consumer', () => source.stop()],
          ['report rollups', async () => rollups?.stop()],
          ['retention', async () => pruner?.stop()],
          ['api', () => api.close()],
          ['postgres pool', () => db.end()],
          ['http', () => closeServer(server)],
        ];
        await runCleanupSteps(steps, logger);
        logger.info('console stopped');
      })();
      return closing;
    },
  };
}

function closeServer(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeAllConnections();
  return closed;
}
