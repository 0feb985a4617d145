import { applicationAlertJson } from '../domain/alert.js';
import type { Application, SourceRef } from '../domain/application.js';
import type { Assessment, EvidenceValue } from '../domain/assessment.js';
import type { TravelOptions } from '../enrich/travel.js';
import { bestLocation, sightingOf, sightingTargets } from '../features/sightings.js';
import { travelFeatures } from '../features/travel-features.js';
import { countersFor, specsByName, stateWindows, velocityFeatures, windowMasks, type VelocitySpec } from '../features/velocity.js';
import { pseudonymiseApplication, type Pseudonymiser } from '../boundary/pseudonymise.js';
import { checkEventTime, DEFAULT_EVENT_TIME_POLICY, type EventTimePolicy } from '../boundary/event-time.js';
import { decodeApplication } from '../boundary/validate.js';
import type { GraphService } from '../graph/graph-service.js';
import { encodeLinkRecord, ORIGIN_HEADER } from '../graph/link-record.js';
import type { RingState } from '../graph/ring-events.js';
import type { Clock } from '../platform/clock.js';
import { findLendguardError, LendguardError } from '../platform/errors.js';
import { assess, FULL_WORK, type AssessContext, type Degradation } from './assess.js';
import { modelReads } from './model-stage.js';
import { deadLetter } from './dead-letter.js';
import { guardOutputs, type OutputLimits } from './output-guard.js';
import { graphFeatures, ringAlert, ringSummary } from './graph-step.js';
import type { ApplicationState, ApplicationStateResult, InputRecord, OutputRecord, StateStore } from './ports.js';

/** One input record as the consumer adapter hands it over. */
export type { InputRecord } from './ports.js';

export interface PipelineDeps {
  assess: AssessContext;
  /** Counter definitions, each with its windows; the first one's windows are the default (state.windows). */
  velocitySpecs: readonly VelocitySpec[];
  store: StateStore;
  pseudonymise: Pseudonymiser;
  /** Pure enrichment of one application (IP, device, geo consistency). */
  enrich: (app: Application) => Record<string, EvidenceValue>;
  travel: TravelOptions;
  /** Radius assumed for an IP location without one (`enrichment.ipDefaultAccuracyKm`); default 50 km. */
  ipDefaultAccuracyKm?: number;
  /** Read once per batch: over the latency budget, optional counters and rules are skipped. */
  degradation?: () => Degradation & { skipCounters: readonly string[] };
  /** The identity graph replica; without it there are no graph features or ring alerts. */
  graph?: GraphService;
  clock: Clock;
  maxRecordBytes: number;
  /** Bounds of eventTime around the record's Kafka timestamp (default: −7 d / +5 min, dead-letter). */
  eventTime?: EventTimePolicy;
  /** What each output topic takes (read at start-up): larger outputs become dead letters, never a stalled partition. */
  outputLimits?: OutputLimits;
  /** `graphLinks` set: each application's links are published there, in the same transaction. */
  topics: { assessments: string; alerts: string; dlq: string; graphLinks?: string };
  /** Unique per process: dead letters name it, and link records carry it (ORIGIN_HEADER). */
  processorId: string;
}

export interface BatchResult {
  outputs: OutputRecord[];
  assessments: Assessment[];
  deadLettered: { code: string; source: SourceRef }[];
  ringEvents: { type: string; ringId: string; size: number }[];
  /** Rings as reported in this batch; hand them to `graph.acknowledge` once the batch commits. */
  reportedRings: Map<string, RingState>;
}

interface Accepted {
  app: Application;
  record: InputRecord;
  enrichment: Record<string, EvidenceValue>;
  state: ApplicationState;
}

const num = (v: EvidenceValue | undefined): number | null => (typeof v === 'number' ? v : null);

/** decode + validate → pseudonymise → enrich → what to ask of state. Throws poison errors. */
function accept(record: InputRecord, deps: PipelineDeps, specs: readonly VelocitySpec[], masks: ReadonlyMap<string, number>): Accepted {
  const raw = decodeApplication(record.value, { maxRecordBytes: deps.maxRecordBytes });
  const app = pseudonymiseApplication(raw, deps.pseudonymise);
  const time = checkEventTime(app.eventTimeMs, record.source.timestampMs, deps.clock.now(), deps.eventTime ?? DEFAULT_EVENT_TIME_POLICY);
  if (time.clampedByMs !== undefined) {
    app.eventTimeMs = time.eventTimeMs;
    app.eventTime = new Date(time.eventTimeMs).toISOString();
  }
  const enrichment = deps.enrich(app);
  if (time.clampedByMs !== undefined) {
    enrichment['app.eventTimeClamped'] = true;
    enrichment['app.eventTimeSkewMs'] = time.clampedByMs;
  }
  // Counted as of the trusted time: a backdated burst or takeover does not slip out of the windows.
  if (time.lateByMs !== undefined) enrichment['app.eventTimeLateMs'] = time.lateByMs;
  const where = bestLocation(
    app,
    { lat: num(enrichment['ip.lat']), lon: num(enrichment['ip.lon']), accuracyKm: num(enrichment['ip.accuracyKm']) },
    deps.ipDefaultAccuracyKm,
  );
  const sighting = sightingOf(app, where);
  const state: ApplicationState = {
    applicationId: app.applicationId,
    source: `${record.source.topic}/${record.source.partition}/${record.source.offset}`,
    atMs: time.windowTimeMs,
    counters: countersFor(app, specs, masks),
    sightingTargets: sightingTargets(app),
    sighting: sighting && { ...sighting, at: time.windowTimeMs },
  };
  return { app, record, enrichment, state };
}

/**
 * Runs one batch through the stages, with one state round trip for the whole batch. Bad records
 * become dead letters; a state failure throws a retriable error for the whole batch (nothing is
 * emitted, the caller retries the same records).
 */
export async function processBatch(records: readonly InputRecord[], deps: PipelineDeps): Promise<BatchResult> {
  const startedMs = deps.clock.now();
  const degradation = deps.degradation?.() ?? { ...FULL_WORK, skipCounters: [] };
  const specs = degradation.shedding ? deps.velocitySpecs.filter((s) => !degradation.skipCounters.includes(s.name)) : deps.velocitySpecs;
  // Count only the windows the rules in force read: counting is most of the state work.
  const reads = deps.assess.model ? [...deps.assess.ruleSet().reads, ...modelReads(deps.assess.model)] : deps.assess.ruleSet().reads;
  const masks = deps.assess.model?.countAllWindows ? windowMasks(specs) : windowMasks(specs, new Set(reads));
  const accepted: Accepted[] = [];
  const result: BatchResult = { outputs: [], assessments: [], deadLettered: [], ringEvents: [], reportedRings: new Map() };
  const reject = (record: InputRecord, err: LendguardError): void => {
    result.outputs.push(deadLetter(deps.topics.dlq, record, record.source, err, deps.clock.now(), deps.processorId, deps.maxRecordBytes));
    result.deadLettered.push({ code: err.code, source: record.source });
  };

  for (const record of records) {
    try {
      accepted.push(accept(record, deps, specs, masks));
    } catch (err) {
      // Whatever one record's processing throws (a bug included) dead-letters that record, never the stream.
      reject(record, findLendguardError(err) ?? new LendguardError('PROCESSING_FAILED', (err as Error)?.message ?? String(err), { cause: err }));
    }
  }

  const results = await deps.store.apply({ ...stateWindows(deps.velocitySpecs), applications: accepted.map((a) => a.state) });
  // A resent application (its id already carried by another record) was assessed then: not twice.
  const firsts = accepted.filter((a, i) => {
    const owner = results[i]?.duplicateOf;
    if (owner !== undefined)
      reject(a.record, new LendguardError('DUPLICATE_APPLICATION', `application ${a.app.applicationId} was already assessed from ${owner}`));
    return owner === undefined;
  });
  try {
    scoreAll(
      firsts,
      results.filter((r) => r.duplicateOf === undefined),
      deps,
      { startedMs, degradation, specs: specsByName(deps.velocitySpecs) },
      result,
      reject,
    );
  } catch (err) {
    // Nothing of this batch goes out: its ring reports are not in flight either.
    deps.graph?.release(result.reportedRings);
    throw err;
  }
  if (deps.outputLimits) guardBatch(result, deps, deps.outputLimits);
  return result;
}

/** Replaces outputs their topic would refuse by dead letters, and accounts for them. */
function guardBatch(result: BatchResult, deps: PipelineDeps, limits: OutputLimits): void {
  const sources = new Map(result.assessments.map((a): [string, SourceRef] => [a.applicationId, { ...a.source, timestampMs: 0 }]));
  const refused = (r: OutputRecord, size: number, limit: number): LendguardError => {
    const source = (r.key !== null ? sources.get(r.key) : undefined) ?? [...sources.values()][0];
    const err = new LendguardError(
      'OUTPUT_TOO_LARGE',
      `a ${size}-byte record for ${r.topic} is over its max.message.bytes (${limit}); raise the topic's limit`,
    );
    if (source) result.deadLettered.push({ code: err.code, source });
    return err;
  };
  result.outputs = guardOutputs(result.outputs, limits, refused, deps.clock.now(), deps.processorId);
}

/** Graph, features and assessment for each accepted application, in stream order. */
function scoreAll(
  accepted: readonly Accepted[],
  results: readonly ApplicationStateResult[],
  deps: PipelineDeps,
  batch: { startedMs: number; degradation: Degradation; specs: ReadonlyMap<string, VelocitySpec> },
  result: BatchResult,
  reject: (record: InputRecord, err: LendguardError) => void,
): void {
  const { startedMs, degradation, specs } = batch;
  const nowMs = deps.clock.now();
  for (const [i, a] of accepted.entries()) {
    const { counts, previous } = results[i] ?? { counts: [], previous: [] };
    // The graph sees the application before it is scored, so the assessment sees the ring it just
    // joined. The neighbourhood analysis is the optional deeper work shed over the latency budget.
    const seen = deps.graph?.observe(a.app, !degradation.shedding, result.reportedRings);
    const findings = seen?.findings ?? null;
    const ring = seen?.ring;
    const linksTopic = deps.topics.graphLinks;
    // One record per application with all its links (~10): a tenth of the records a per-link log
    // would produce, and compaction by application id still keeps exactly one copy.
    if (linksTopic && seen && seen.links.length > 0) {
      result.outputs.push({
        topic: linksTopic,
        key: a.app.applicationId,
        value: encodeLinkRecord(a.app.applicationId, seen.links),
        headers: { [ORIGIN_HEADER]: deps.processorId },
      });
    }
    for (const event of seen?.events ?? []) {
      result.outputs.push(ringAlert(deps.topics.alerts, event, deps.clock.now()));
      result.ringEvents.push({ type: event.type, ringId: event.ring.id, size: event.ring.size });
    }
    let assessment: Assessment;
    try {
      // One object, filled in place: spreading a hundred features into a new one per application showed in profiles.
      const features = Object.assign(
        velocityFeatures(a.state.counters, counts, specs),
        travelFeatures(a.state.sighting, a.state.sightingTargets, previous, deps.travel),
        graphFeatures(findings, ring),
      );
      const graph = { ring: ring ? ringSummary(ring) : null, reasons: findings?.evidence.reasons ?? [] };
      assessment = assess(
        { app: a.app, enrichment: a.enrichment, state: features, graph, source: a.record.source, batchStartedMs: startedMs, nowMs, degradation },
        deps.assess,
      );
    } catch (err) {
      reject(a.record, new LendguardError('PROCESSING_FAILED', `assessment failed: ${(err as Error).message}`, { cause: err }));
      continue;
    }
    const value = JSON.stringify(assessment);
    result.assessments.push(assessment);
    result.outputs.push({ topic: deps.topics.assessments, key: a.app.applicationId, value });
    if (assessment.alert) {
      // The alert is the assessment with its alert type first (an ApplicationAlert); reuse the serialised form.
      result.outputs.push({ topic: deps.topics.alerts, key: a.app.applicationId, value: applicationAlertJson(value) });
    }
  }
}
