import { performance } from 'node:perf_hooks';
import type { Level } from '../domain/assessment.js';
import type { SourceRef } from '../domain/application.js';
import { processBatch, type BatchResult, type InputRecord, type PipelineDeps } from '../pipeline/process-batch.js';
import { backoffDelay, sleep } from '../platform/backoff.js';
import { asLendguardError } from '../platform/errors.js';
import type { CompareAccumulator } from './compare.js';
import { ReplayError } from './errors.js';
import type { InputLine } from './io.js';
import { ringNamings } from './ring-alerts.js';
import { parseTruth, SummaryAccumulator, type ReplaySummary, type TruthLabel } from './summary.js';

/**
 * The replay loop: lines → chunks of `batchSize` → `processBatch` (the processor's own pipeline),
 * in file order, one chunk at a time. Each line becomes the InputRecord a Kafka consumer would
 * hand over, with the line number as offset and the application's event time as record timestamp.
 */

/** A dead-lettered line as written to the --dlq file. */
export interface DeadLetterLine {
  line: number;
  code: string;
  message: string;
  /** The original line (UTF-8). null when the line is not valid UTF-8; then see valueBase64. */
  value: string | null;
  valueBase64?: string;
}

export interface ReplayProgress {
  lines: number;
  elapsedMs: number;
  /** lines per second since the start. */
  rate: number;
}

export interface ReplayOptions {
  deps: PipelineDeps;
  batchSize: number;
  alertLevel: Level;
  /** Ids of the rules in force, so rules that never fire still appear in the summary. */
  ruleIds?: readonly string[];
  /** `source.topic` of every record (and so of every assessment). Default "replay". */
  sourceTopic?: string;
  /** Receives the assessment JSON values (exactly the fraud.assessments values) of each chunk, in order. */
  onAssessments?: (values: string[]) => Promise<void>;
  onDeadLetters?: (lines: DeadLetterLine[]) => Promise<void>;
  onProgress?: (p: ReplayProgress) => void;
  /** Default 2000. */
  progressEveryMs?: number;
  /** A chunk failing with a retriable error (Redis) is retried this many times (default 5), then the replay stops. */
  retries?: number;
  retryInitialMs?: number;
  retryMaxMs?: number;
  /** Monotonic ms for elapsed time and progress (default performance.now). */
  now?: () => number;
  /**
   * Count labelled records named by a later ring alert (summary `truth.withRingAlerts`, `caughtLater`).
   * Default: on when the pipeline has an identity graph (without one there are no ring alerts).
   */
  followRingAlerts?: boolean;
  /** Shadow mode's comparison (replay --compare-model / --compare-rules): fed every assessment with its truth. */
  compare?: CompareAccumulator;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

interface Peek {
  label: TruthLabel;
  eventTimeMs: number | null;
}

/** Reads `_truth` and `eventTime` off a line without judging it (validation is the pipeline's job). */
function peek(bytes: Buffer): Peek {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { label: { kind: 'none' }, eventTimeMs: null };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) return { label: { kind: 'none' }, eventTimeMs: null };
  const o = json as { _truth?: unknown; eventTime?: unknown };
  const t = typeof o.eventTime === 'string' ? Date.parse(o.eventTime) : Number.NaN;
  return { label: parseTruth(o._truth), eventTimeMs: Number.isNaN(t) ? null : t };
}

function deadLetterLine(line: number, code: string, message: string, value: Buffer): DeadLetterLine {
  try {
    return { line, code, message, value: utf8.decode(value) };
  } catch {
    return { line, code, message, value: null, valueBase64: value.toString('base64') };
  }
}

/** Runs every line through the pipeline; returns the summary. Throws ReplayError('state') if state stays unavailable. */
export async function replayLines(lines: AsyncIterable<InputLine> | Iterable<InputLine>, opts: ReplayOptions): Promise<ReplaySummary> {
  const now = opts.now ?? (() => performance.now());
  const started = now();
  const every = opts.progressEveryMs ?? 2000;
  let lastProgress = started;
  let seen = 0;
  const follow = opts.followRingAlerts ?? opts.deps.graph !== undefined;
  const acc = new SummaryAccumulator({ alertLevel: opts.alertLevel, ruleIds: opts.ruleIds, followRingAlerts: follow });
  const topic = opts.sourceTopic ?? 'replay';

  let chunk: InputRecord[] = [];
  let labels = new Map<string, TruthLabel>();

  const flush = async (): Promise<void> => {
    if (chunk.length === 0) return;
    const result = await processWithRetry(chunk, opts);
    const values: string[] = [];
    const dead: DeadLetterLine[] = [];
    for (const out of result.outputs) {
      if (out.topic === opts.deps.topics.assessments) values.push(out.value.toString());
      else if (out.topic === opts.deps.topics.dlq) {
        const h = out.headers ?? {};
        const offset = h['dlq.source.offset'] ?? '0';
        const code = h['dlq.error.code'] ?? 'PROCESSING_FAILED';
        dead.push(deadLetterLine(Number(offset), code, h['dlq.error.message'] ?? '', Buffer.isBuffer(out.value) ? out.value : Buffer.from(out.value)));
        acc.deadLetter(code, labels.get(offset)?.kind === 'valid');
      }
    }
    for (const a of result.assessments) {
      acc.assessment(a, labels.get(a.source.offset));
      opts.compare?.assessment(a, labels.get(a.source.offset));
    }
    // After the assessments: a ring alert can name the application that triggered it, assessed in this batch.
    if (follow) for (const r of ringNamings(result.outputs, opts.deps.topics.alerts, result.assessments)) acc.ringAlert(r.applicationIds, r.atMs);
    if (values.length > 0) await opts.onAssessments?.(values);
    if (dead.length > 0) await opts.onDeadLetters?.(dead);
    chunk = [];
    labels = new Map();
    const t = now();
    if (opts.onProgress && t - lastProgress >= every) {
      lastProgress = t;
      const elapsedMs = t - started;
      opts.onProgress({ lines: seen, elapsedMs, rate: elapsedMs > 0 ? (seen * 1000) / elapsedMs : 0 });
    }
  };

  for await (const { lineNo, bytes } of lines) {
    seen = lineNo;
    if (isBlank(bytes)) {
      acc.blankLine();
      continue;
    }
    const { label, eventTimeMs } = peek(bytes);
    const offset = String(lineNo);
    // The Kafka timestamp of a replayed record is its event time (there is no broker to stamp it),
    // so latency.sinceRecordMs means "event time to replay", not processing latency.
    const source: SourceRef = { topic, partition: 0, offset, timestampMs: eventTimeMs ?? 0 };
    chunk.push({ key: null, value: bytes, source });
    if (label.kind !== 'none') labels.set(offset, label);
    if (chunk.length >= opts.batchSize) await flush();
  }
  await flush();
  return acc.summary(now() - started);
}

function isBlank(bytes: Buffer): boolean {
  for (const b of bytes) if (b !== 0x20 && b !== 0x09 && b !== 0x0d) return false;
  return true;
}

async function processWithRetry(chunk: InputRecord[], opts: ReplayOptions): Promise<BatchResult> {
  const retries = opts.retries ?? 5;
  for (let attempt = 0; ; attempt++) {
    try {
      const result = await processBatch(chunk, opts.deps);
      opts.deps.graph?.acknowledge(result.reportedRings); // no transaction here: a processed batch is final
      return result;
    } catch (err) {
      const e = asLendguardError(err, 'INTERNAL');
      const lines = `lines ${chunk[0]?.source.offset ?? '?'}–${chunk[chunk.length - 1]?.source.offset ?? '?'}`;
      if (!e.retriable) throw new ReplayError('state', `replay stopped at ${lines}: ${e.code}: ${e.message}`, { cause: e });
      if (attempt >= retries) {
        throw new ReplayError('state', `replay stopped at ${lines} after ${retries + 1} attempts: ${e.code}: ${e.message}`, { cause: e });
      }
      await sleep(backoffDelay(attempt, { initialMs: opts.retryInitialMs ?? 200, maxMs: opts.retryMaxMs ?? 5000 }));
    }
  }
}
