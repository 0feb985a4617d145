import { datasetDates } from '../enrich/datasets.js';
import { enrich, type EnrichContext } from '../enrich/index.js';
import { loadEnrichment } from '../enrich/load.js';
import { parseWindow, velocitySpecs } from '../features/velocity.js';
import { createPseudonymiser } from '../boundary/pseudonymise.js';
import type { GraphService } from '../graph/graph-service.js';
import type { Clock } from '../platform/clock.js';
import type { Config } from '../platform/config.js';
import { LendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { RuleSet } from '../rules/loader.js';
import type { AssessContext } from './assess.js';
import type { OutputLimits } from './output-guard.js';
import type { StateStore } from './ports.js';
import type { PipelineDeps } from './process-batch.js';

/**
 * The one wiring of the pipeline's stages, shared by the processor (src/main.ts) and the replay
 * (src/replay/setup.ts): they differ only in the adapters and options passed here.
 */
export interface PipelineParts {
  store: StateStore;
  ruleSet: () => RuleSet;
  enrichContext: EnrichContext;
  piiKey: string;
  clock: Clock;
  processorId: string;
  graph?: GraphService;
  /** Publish each application's links to the link topic (the processor; a replay builds its graph from the file). */
  publishLinks: boolean;
  degradation?: PipelineDeps['degradation'];
  outputLimits?: OutputLimits;
  /** Rule run-time errors (see `ruleErrorReporter`). */
  onRuleErrors?: AssessContext['onRuleErrors'];
  /** The model stage and shadow mode (src/model/live-stage.ts); absent: the rules decide. */
  model?: AssessContext['model'];
}

export function buildPipeline(config: Config, parts: PipelineParts): PipelineDeps {
  return {
    assess: {
      ruleSet: parts.ruleSet,
      alertLevel: config.scoring.alertLevel,
      budgetMs: config.latency.budgetMs,
      ...(parts.enrichContext.datasets ? { datasets: Object.freeze(datasetDates(parts.enrichContext.datasets)) } : {}),
      ...(parts.onRuleErrors ? { onRuleErrors: parts.onRuleErrors } : {}),
      ...(parts.model ? { model: parts.model } : {}),
    },
    velocitySpecs: velocitySpecs(config.state.windows.map(parseWindow)),
    store: parts.store,
    enrich: (app) => enrich(app, parts.enrichContext),
    travel: { maxSpeedKmh: config.enrichment.maxTravelSpeedKmh },
    ipDefaultAccuracyKm: config.enrichment.ipDefaultAccuracyKm,
    ...(parts.degradation ? { degradation: parts.degradation } : {}),
    ...(parts.graph ? { graph: parts.graph } : {}),
    pseudonymise: createPseudonymiser(parts.piiKey),
    clock: parts.clock,
    maxRecordBytes: config.processing.maxRecordBytes,
    eventTime: config.processing.eventTime,
    ...(parts.outputLimits ? { outputLimits: parts.outputLimits } : {}),
    topics: parts.graph && parts.publishLinks ? config.topics : { ...config.topics, graphLinks: undefined },
    processorId: parts.processorId,
  };
}

/** Loads the geo database, IP lists and UA parser once; CONFIG_INVALID when they cannot be read. */
export function loadEnrichContext(config: Config, logger: Logger): EnrichContext {
  let loaded: ReturnType<typeof loadEnrichment>;
  try {
    loaded = loadEnrichment(config.enrichment, (msg, detail) => logger.warn(detail, msg));
  } catch (err) {
    throw new LendguardError('CONFIG_INVALID', `enrichment data cannot be loaded: ${(err as Error).message}`, { cause: err });
  }
  const { geo } = loaded.context;
  const datasets = loaded.datasets.map((d) => ({ name: d.name, builtAt: d.builtAt, dateFrom: d.dateFrom, ageDays: d.ageDays, version: d.version }));
  logger.info({ geo: geo.name, geoBuildDate: geo.buildDate, lists: loaded.lists, datasets, asnFromCache: loaded.asnFromCache }, 'enrichment data loaded');
  return loaded.context;
}

/**
 * Counts rule run-time errors per rule (`count`) and logs them: the first five of each rule, then every
 * 1000th, so a broken rule is visible without flooding the log.
 */
export function ruleErrorReporter(logger: Logger, count: (rule: string) => void): NonNullable<AssessContext['onRuleErrors']> {
  const seen = new Map<string, number>();
  return (errors, applicationId) => {
    for (const e of errors) {
      count(e.rule);
      const n = (seen.get(e.rule) ?? 0) + 1;
      seen.set(e.rule, n);
      if (n <= 5 || n % 1000 === 0)
        logger.error({ rule: e.rule, err: e.message, applicationId, errorsSoFar: n }, 'rule failed at run time (the application was scored without it)');
    }
  };
}
