import type { Application, SourceRef } from '../domain/application.js';
import type { Assessment, EvidenceValue } from '../domain/assessment.js';
import type { TravelOptions } from '../enrich/travel.js';
import { bestLocation, sightingsFor, type SightingRequest } from '../features/sightings.js';
import { travelFeatures } from '../features/travel-features.js';
import { observationsFor, velocityFeatures, type VelocityObservation, type VelocitySpec } from '../features/velocity.js';
import { pseudonymiseApplication, type Pseudonymiser } from '../ingest/pseudonymise.js';
import { decodeApplication } from '../ingest/validate.js';
import type { Clock } from '../platform/clock.js';
import { asLendguardError, LendguardError } from '../platform/errors.js';
import { assess, type AssessContext } from './assess.js';
import { deadLetter } from './dead-letter.js';
import type { OutputRecord, StateStore } from './ports.js';

/** One input record as the consumer adapter hands it over. */
export interface InputRecord {
  key: string | null;
  value: Buffer | null;
  source: SourceRef;
}

export interface PipelineDeps {
  assess: AssessContext;
  velocitySpecs: readonly VelocitySpec[];
  store: StateStore;
  pseudonymise: Pseudonymiser;
  /** Pure enrichment of one application (IP, device, geo consistency). */
  enrich: (app: Application) => Record<string, EvidenceValue>;
  travel: TravelOptions;
  clock: Clock;
  maxRecordBytes: number;
  topics: { assessments: string; alerts: string; dlq: string };
  processorId: string;
}

export interface BatchResult {
  outputs: OutputRecord[];
  assessments: Assessment[];
  deadLettered: { code: string; source: SourceRef }[];
}

interface Accepted {
  app: Application;
  record: InputRecord;
  enrichment: Record<string, EvidenceValue>;
  observations: VelocityObservation[];
  sightings: SightingRequest[];
}

const num = (v: EvidenceValue | undefined): number | null => (typeof v === 'number' ? v : null);

/** decode + validate → pseudonymise → enrich → what to ask of state. Throws poison errors. */
function accept(record: InputRecord, deps: PipelineDeps): Accepted {
  const raw = decodeApplication(record.value, { maxRecordBytes: deps.maxRecordBytes });
  const app = pseudonymiseApplication(raw, deps.pseudonymise);
  const enrichment = deps.enrich(app);
  const where = bestLocation(app, { lat: num(enrichment['ip.lat']), lon: num(enrichment['ip.lon']), accuracyKm: num(enrichment['ip.accuracyKm']) });
  return { app, record, enrichment, observations: observationsFor(app, deps.velocitySpecs), sightings: sightingsFor(app, where) };
}

/**
 * Runs one batch through the stages, with one state round trip for the whole batch. Bad records
 * become dead letters; a state failure throws a retriable error for the whole batch (nothing is
 * emitted, the caller retries the same records).
 */
export async function processBatch(records: readonly InputRecord[], deps: PipelineDeps): Promise<BatchResult> {
  const startedMs = deps.clock.now();
  const accepted: Accepted[] = [];
  const result: BatchResult = { outputs: [], assessments: [], deadLettered: [] };
  const reject = (record: InputRecord, err: LendguardError): void => {
    result.outputs.push(deadLetter(deps.topics.dlq, record, record.source, err, deps.clock.now(), deps.processorId));
    result.deadLettered.push({ code: err.code, source: record.source });
  };

  for (const record of records) {
    try {
      accepted.push(accept(record, deps));
    } catch (err) {
      reject(record, asLendguardError(err, 'PROCESSING_FAILED'));
    }
  }

  const state = await deps.store.apply({
    observations: accepted.flatMap((a) => a.observations),
    sightings: accepted.flatMap((a) => a.sightings),
  });
  let countAt = 0;
  let sightingAt = 0;
  const nowMs = deps.clock.now();
  for (const a of accepted) {
    const counts = state.counts.slice(countAt, (countAt += a.observations.length));
    const previous = state.previous.slice(sightingAt, (sightingAt += a.sightings.length));
    let assessment: Assessment;
    try {
      const features = { ...velocityFeatures(a.observations, counts, deps.velocitySpecs), ...travelFeatures(a.sightings, previous, deps.travel) };
      assessment = assess({ app: a.app, enrichment: a.enrichment, state: features, source: a.record.source, batchStartedMs: startedMs, nowMs }, deps.assess);
    } catch (err) {
      reject(a.record, new LendguardError('PROCESSING_FAILED', `assessment failed: ${(err as Error).message}`, { cause: err }));
      continue;
    }
    const value = JSON.stringify(assessment);
    result.assessments.push(assessment);
    result.outputs.push({ topic: deps.topics.assessments, key: a.app.applicationId, value });
    if (assessment.alert) {
      result.outputs.push({ topic: deps.topics.alerts, key: a.app.applicationId, value: JSON.stringify({ alertType: 'application', ...assessment }) });
    }
  }
  return result;
}
