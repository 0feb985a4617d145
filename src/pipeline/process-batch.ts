import type { Application, SourceRef } from '../domain/application.js';
import type { Assessment } from '../domain/assessment.js';
import { classifyIp } from '../enrich/ip.js';
import { observationsFor, velocityFeatures, type VelocitySpec, type VelocityObservation } from '../features/velocity.js';
import { decodeApplication } from '../ingest/validate.js';
import { pseudonymiseApplication, type Pseudonymiser } from '../ingest/pseudonymise.js';
import type { Clock } from '../platform/clock.js';
import { asLendguardError, LendguardError } from '../platform/errors.js';
import { assess, type AssessContext } from './assess.js';
import { deadLetter } from './dead-letter.js';
import type { OutputRecord, VelocityStore } from './ports.js';

/** One input record as the consumer adapter hands it over. */
export interface InputRecord {
  key: string | null;
  value: Buffer | null;
  source: SourceRef;
}

export interface PipelineDeps {
  assess: AssessContext;
  velocitySpecs: readonly VelocitySpec[];
  store: VelocityStore;
  pseudonymise: Pseudonymiser;
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
  observations: VelocityObservation[];
}

/**
 * Runs one batch through the stages: decode+validate → pseudonymise → one state round trip →
 * assess → output records. Bad records become dead letters; a state failure throws a retriable
 * error for the whole batch (nothing is emitted, the caller retries the same records).
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
      const raw = decodeApplication(record.value, { maxRecordBytes: deps.maxRecordBytes });
      const app = pseudonymiseApplication(raw, deps.pseudonymise);
      accepted.push({ app, record, observations: observationsFor(app, deps.velocitySpecs) });
    } catch (err) {
      reject(record, asLendguardError(err, 'PROCESSING_FAILED'));
    }
  }

  const counts = await deps.store.observe(accepted.flatMap((a) => a.observations));
  let cursor = 0;
  const nowMs = deps.clock.now();
  for (const { app, record, observations } of accepted) {
    const rows = counts.slice(cursor, cursor + observations.length);
    cursor += observations.length;
    let assessment: Assessment;
    try {
      const velocity = velocityFeatures(observations, rows, deps.velocitySpecs);
      assessment = assess({ app, ip: classifyIp(app.network.ip), velocity, source: record.source, batchStartedMs: startedMs, nowMs }, deps.assess);
    } catch (err) {
      reject(record, new LendguardError('PROCESSING_FAILED', `assessment failed: ${(err as Error).message}`, { cause: err }));
      continue;
    }
    const value = JSON.stringify(assessment);
    result.assessments.push(assessment);
    result.outputs.push({ topic: deps.topics.assessments, key: app.applicationId, value });
    if (assessment.alert) {
      result.outputs.push({ topic: deps.topics.alerts, key: app.applicationId, value: JSON.stringify({ alertType: 'application', ...assessment }) });
    }
  }
  return result;
}
