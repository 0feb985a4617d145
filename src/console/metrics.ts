import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one console process (its own registry; /metrics of the console's HTTP server). */
export function createConsoleMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'lendguard_console_' });
  const registers = [registry];
  return {
    registry,
    alertsStored: new Counter({ name: 'lendguard_console_alerts_stored_total', help: 'Alert rows written', registers }),
    deadAlerts: new Counter({
      name: 'lendguard_console_dead_alerts_total',
      help: 'Records of the alerts topic kept as dead alerts',
      labelNames: ['code'],
      registers,
    }),
    skipped: new Counter({ name: 'lendguard_console_skipped_total', help: 'Records redelivered below the stored offset (not written again)', registers }),
    chunkSeconds: new Histogram({
      name: 'lendguard_console_chunk_seconds',
      help: 'Time to decode and store one chunk of alert records',
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers,
    }),
    retries: new Counter({ name: 'lendguard_console_retries_total', help: 'Retries by error code', labelNames: ['code'], registers }),
    pruned: new Counter({ name: 'lendguard_console_pruned_total', help: 'Rows deleted by retention', labelNames: ['table'], registers }),
    ready: new Gauge({ name: 'lendguard_console_ready', help: '1 when ingesting normally', registers }),
  };
}

export type ConsoleMetrics = ReturnType<typeof createConsoleMetrics>;
