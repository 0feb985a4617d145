import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one processor. Each instance owns its registry (no global state). */
export function createMetrics() {
  const registry = new Registry();
  const drift: { read?: () => readonly { feature: string; psi: number; drifted: boolean }[] } = {};
  collectDefaultMetrics({ register: registry, prefix: 'lendguard_' });
  const m = {
    registry,
    recordsIn: new Counter({ name: 'lendguard_records_in_total', help: 'Input records received', labelNames: ['topic'], registers: [registry] }),
    assessed: new Counter({ name: 'lendguard_assessed_total', help: 'Assessments committed', labelNames: ['level'], registers: [registry] }),
    alerts: new Counter({ name: 'lendguard_alerts_total', help: 'Alerts committed', registers: [registry] }),
    deadLettered: new Counter({ name: 'lendguard_dead_lettered_total', help: 'Records sent to the DLQ', labelNames: ['code'], registers: [registry] }),
    flags: new Counter({ name: 'lendguard_flags_total', help: 'Risk flags raised', labelNames: ['code'], registers: [registry] }),
    latency: new Histogram({
      name: 'lendguard_assessment_latency_seconds',
      help: 'Record Kafka timestamp to assessment built',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    batchSeconds: new Histogram({
      name: 'lendguard_batch_seconds',
      help: 'Time to process and commit one transaction',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    stageSeconds: new Histogram({
      name: 'lendguard_stage_seconds',
      help: 'Where latency goes: queued (record timestamp to its batch starting, per record), state (the state round trips), handle (the whole batch before commit), commit (the transaction)',
      labelNames: ['stage'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    transactions: new Counter({ name: 'lendguard_transactions_total', help: 'Transactions by result', labelNames: ['result'], registers: [registry] }),
    retries: new Counter({ name: 'lendguard_retries_total', help: 'Batch retries by error code', labelNames: ['code'], registers: [registry] }),
    skippedCommitted: new Counter({
      name: 'lendguard_skipped_already_committed_total',
      help: 'Records skipped because a previous owner of the partition had already committed them',
      registers: [registry],
    }),
    lag: new Gauge({ name: 'lendguard_consumer_lag', help: 'Records behind the high watermark', labelNames: ['topic', 'partition'], registers: [registry] }),
    windowLatency: new Gauge({
      name: 'lendguard_latency_window_ms',
      help: 'Record timestamp to committed assessment over the sliding window',
      labelNames: ['quantile'],
      registers: [registry],
    }),
    withinBudget: new Gauge({ name: 'lendguard_latency_within_budget_ratio', help: 'Share of the window within the latency budget', registers: [registry] }),
    shedding: new Gauge({ name: 'lendguard_shedding', help: '1 while optional work is shed to meet the latency budget', registers: [registry] }),
    sheddingFutile: new Gauge({
      name: 'lendguard_shedding_futile',
      help: '1 while over budget at full work because shedding was tried and did not lower p99 (the latency is outside the processor)',
      registers: [registry],
    }),
    degraded: new Counter({ name: 'lendguard_degraded_total', help: 'Assessments produced with optional work shed', registers: [registry] }),
    replicaBadRecords: new Counter({
      name: 'lendguard_replica_bad_records_total',
      help: 'Records on the graph-link or label topic that were not valid and were skipped',
      labelNames: ['topic'],
      registers: [registry],
    }),
    stateLost: new Counter({
      name: 'lendguard_state_lost_total',
      help: "Times Redis was found without this group's state (restarted without persistence, flushed or evicted)",
      labelNames: ['when'],
      registers: [registry],
    }),
    ruleErrors: new Counter({
      name: 'lendguard_rule_errors_total',
      help: 'Rule evaluations that failed at run time (a bug in the rule), by rule',
      labelNames: ['rule'],
      registers: [registry],
    }),
    ruleReloads: new Counter({
      name: 'lendguard_rule_reloads_total',
      help: 'Rule file changes applied or refused',
      labelNames: ['result'],
      registers: [registry],
    }),
    modelReloads: new Counter({
      name: 'lendguard_model_reloads_total',
      help: 'Model and shadow file changes applied or refused',
      labelNames: ['what', 'result'],
      registers: [registry],
    }),
    modelFeaturePsi: new Gauge({
      name: 'lendguard_model_feature_psi',
      help: 'Population stability index of each model feature today against its training shares (docs/model.md, drift)',
      labelNames: ['feature'],
      registers: [registry],
      collect() {
        this.reset();
        for (const f of drift.read?.() ?? []) this.set({ feature: f.feature }, f.psi);
      },
    }),
    modelDriftedFeatures: new Gauge({
      name: 'lendguard_model_drifted_features',
      help: "Model features whose PSI today is past the model file's psiThreshold",
      registers: [registry],
      collect() {
        this.set((drift.read?.() ?? []).filter((f) => f.drifted).length);
      },
    }),
    /** where the drift gauges read from when /metrics is scraped (the model stage sets it) */
    drift,
    heapUsedRatio: new Gauge({ name: 'lendguard_heap_used_ratio', help: 'V8 heap used as a share of its limit (--max-old-space-size)', registers: [registry] }),
    graphWorkMax: new Gauge({
      name: 'lendguard_graph_work_max_entries',
      help: 'Most member entries the identity graph read for one application since start (bounded by the hub limits and graph.maxNodes)',
      registers: [registry],
    }),
    graphWork: new Gauge({ name: 'lendguard_graph_work_entries', help: 'Member entries the identity graph read, in all, since start', registers: [registry] }),
    graphApplications: new Gauge({ name: 'lendguard_graph_applications', help: 'Applications in the identity graph replica', registers: [registry] }),
    graphRings: new Gauge({ name: 'lendguard_graph_rings', help: 'Rings (and bursts) the replica holds', labelNames: ['pattern'], registers: [registry] }),
    ready: new Gauge({ name: 'lendguard_ready', help: '1 when consuming normally, 0 when starting or backing off', registers: [registry] }),
  };
  return m;
}

export type Metrics = ReturnType<typeof createMetrics>;
