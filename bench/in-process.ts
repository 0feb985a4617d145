/** The in-process pipeline the quality benches run: memory state, the default rules (or RULES_FILE), DB-IP, no lists. */
import { fileURLToPath } from 'node:url';
import { createGeoProvider, DeviceParser, enrich, NO_IP_LISTS } from '../src/enrich/index.js';
import { DEFAULT_VELOCITY } from '../src/features/velocity.js';
import { GraphService } from '../src/graph/graph-service.js';
import { createPseudonymiser } from '../src/boundary/pseudonymise.js';
import type { PipelineDeps } from '../src/pipeline/process-batch.js';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config.js';
import { KNOWN_FEATURES } from '../src/rules/features.js';
import { loadRuleSetFile } from '../src/rules/file.js';
import { createMemoryStateStore } from '../src/state/memory-state-store.js';

export const benchConfig = loadConfig({ env: {} });
export const benchRules = loadRuleSetFile(process.env.RULES_FILE ?? fileURLToPath(new URL('../config/rules.yaml', import.meta.url)), {
  knownFeatures: KNOWN_FEATURES,
});
const geo = createGeoProvider('dbip');
const parser = new DeviceParser(50_000);

/** Fresh state and a fresh graph; alerts go to topic `b`. */
export function inProcessDeps(processorId: string): PipelineDeps & { graph: GraphService } {
  return {
    assess: { ruleSet: () => benchRules, alertLevel: 'high', budgetMs: 100 },
    velocitySpecs: DEFAULT_VELOCITY,
    store: createMemoryStateStore(),
    pseudonymise: createPseudonymiser('bench-key-0123456789abcdef'),
    enrich: (app) => enrich(app, { geo, lists: NO_IP_LISTS, ua: parser }),
    travel: { maxSpeedKmh: 900 },
    graph: new GraphService(benchConfig.graph),
    clock: systemClock,
    maxRecordBytes: 65536,
    topics: { assessments: 'a', alerts: 'b', dlq: 'c' },
    processorId,
  };
}
