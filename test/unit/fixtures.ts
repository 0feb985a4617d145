import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPseudonymiser } from '../../src/boundary/pseudonymise.js';
import type { RawApplication } from '../../src/domain/application.js';
import { createGeoProvider, DeviceParser, enrich, NO_IP_LISTS, type EnrichContext } from '../../src/enrich/index.js';
import { DEFAULT_VELOCITY } from '../../src/features/velocity.js';
import type { PipelineDeps } from '../../src/pipeline/process-batch.js';
import { fixedClock } from '../../src/platform/clock.js';
import { KNOWN_FEATURES } from '../../src/rules/features.js';
import { loadRuleSetFile } from '../../src/rules/file.js';
import type { RuleSet } from '../../src/rules/loader.js';
import { createMemoryStateStore } from '../../src/state/memory-state-store.js';

export const EXAMPLE_BYTES = readFileSync(new URL('../../contracts/example-application.json', import.meta.url));

export function exampleApp(patch: (a: RawApplication) => void = () => undefined): RawApplication {
  const a = JSON.parse(EXAMPLE_BYTES.toString('utf8')) as RawApplication;
  patch(a);
  return a;
}

export function bytes(value: unknown): Buffer {
  return Buffer.from(typeof value === 'string' ? value : JSON.stringify(value));
}

let defaultRules: RuleSet | undefined;
let enrichCtx: EnrichContext | undefined;

/** The shipped rule file, loaded once per test file. */
export function defaultRuleSet(): RuleSet {
  defaultRules ??= loadRuleSetFile(fileURLToPath(new URL('../../config/rules.yaml', import.meta.url)), { knownFeatures: KNOWN_FEATURES });
  return defaultRules;
}

/**
 * Pipeline deps for unit tests: the shipped rules, the in-memory state store, DB-IP without IP lists, a fixed
 * clock at 2026-11-28T03:15:42.123Z. Each test overrides what it is about (clock, graph, rules, topics…).
 */
export function unitPipelineDeps<O extends Partial<PipelineDeps>>(overrides: O = {} as O): PipelineDeps & O {
  enrichCtx ??= { geo: createGeoProvider('dbip'), lists: NO_IP_LISTS, ua: new DeviceParser(100) };
  const ctx = enrichCtx;
  return {
    assess: { ruleSet: defaultRuleSet, alertLevel: 'high', budgetMs: 100 },
    velocitySpecs: DEFAULT_VELOCITY,
    store: createMemoryStateStore(),
    enrich: (app) => enrich(app, ctx),
    travel: { maxSpeedKmh: 900 },
    pseudonymise: createPseudonymiser('unit-test-key-123456'),
    clock: fixedClock(Date.parse('2026-11-28T03:15:42.123Z')),
    maxRecordBytes: 65536,
    topics: { assessments: 'out', alerts: 'alerts', dlq: 'dlq' },
    processorId: 'unit',
    ...overrides,
  };
}
