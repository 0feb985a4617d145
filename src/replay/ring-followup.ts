import type { Truth } from './truth.js';

/**
 * Labelled records that their own assessment did not alert, until a ring alert names them (pure).
 *
 * Memory: one Map entry per such record, its application id → a single number packing the record's
 * event time (whole seconds) and the index of its label among the distinct labels seen (fraud, pattern,
 * tags). About 85–100 bytes a record (measured: 85 bytes with 21-character ids), released when a ring
 * alert names the record. A replay's identity graph holds about 1.1 KB per application (docs/benchmarks.md)
 * and evicts nothing, so any earlier member can be named and entries are not aged out. Labels beyond LABEL_SLOTS
 * distinct ones are not followed (counted in `notFollowed`); delays are kept as a histogram of whole
 * minutes (bounded by the file's time span, not by its records).
 */

/** Distinct labels that can be followed: the packed number must stay exact (2^33 s × 2^20 = 2^53). */
export const LABEL_SLOTS = 2 ** 20;
const MAX_SECONDS = 2 ** 33 - 1;

const labelKey = (t: Truth): string => [t.fraud ? '1' : '0', t.pattern, ...(t.tags ?? [])].join('\u0000');

export interface Delays {
  median: number;
  p90: number;
}

/** Nearest-rank percentile of a histogram (value → count); null when it is empty. */
export function percentile(histogram: ReadonlyMap<number, number>, p: number): number | null {
  let total = 0;
  for (const c of histogram.values()) total += c;
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  for (const value of [...histogram.keys()].sort((a, b) => a - b)) {
    seen += histogram.get(value) ?? 0;
    if (seen >= rank) return value;
  }
  return null;
}

export class RingFollowUp {
  private readonly waiting = new Map<string, number>();
  private readonly labels: Truth[] = [];
  private readonly labelIndex = new Map<string, number>();
  private readonly delayMinutes = new Map<number, number>();
  /** Labelled, not-alerted records that could not be followed (more than LABEL_SLOTS distinct labels). */
  notFollowed = 0;

  /** A labelled record its assessment did not alert. A resent id keeps its first entry. */
  watch(applicationId: string, eventTimeMs: number, truth: Truth): void {
    if (this.waiting.has(applicationId)) return;
    const label = this.label(truth);
    if (label === undefined) {
      this.notFollowed++;
      return;
    }
    const seconds = Math.min(MAX_SECONDS, Math.max(0, Math.floor(eventTimeMs / 1000)));
    this.waiting.set(applicationId, seconds * LABEL_SLOTS + label);
  }

  /**
   * A ring alert at `atMs` (event time) named this application. Returns its label the first time a
   * watched record is named (and records the delay), undefined otherwise (alerted, unlabelled, unknown,
   * or already named).
   */
  named(applicationId: string, atMs: number): Truth | undefined {
    const packed = this.waiting.get(applicationId);
    if (packed === undefined) return undefined;
    this.waiting.delete(applicationId);
    const label = packed % LABEL_SLOTS;
    const eventMs = ((packed - label) / LABEL_SLOTS) * 1000;
    // A file not sorted by event time can name a record "before" it applied: count that as no delay.
    const minutes = Math.max(0, Math.round((atMs - eventMs) / 60_000));
    this.delayMinutes.set(minutes, (this.delayMinutes.get(minutes) ?? 0) + 1);
    return this.labels[label];
  }

  /** Median and p90 of the delays in whole minutes; null when nothing was named. */
  delays(): Delays | null {
    const median = percentile(this.delayMinutes, 0.5);
    const p90 = percentile(this.delayMinutes, 0.9);
    return median === null || p90 === null ? null : { median, p90 };
  }

  /** Records still waiting (for tests and diagnostics). */
  get waitingCount(): number {
    return this.waiting.size;
  }

  private label(truth: Truth): number | undefined {
    const key = labelKey(truth);
    let i = this.labelIndex.get(key);
    if (i === undefined) {
      if (this.labels.length >= LABEL_SLOTS) return undefined;
      i = this.labels.length;
      // What the summary counts by: not the ring id, which differs from record to record.
      this.labels.push(truth.tags ? { fraud: truth.fraud, pattern: truth.pattern, tags: truth.tags } : { fraud: truth.fraud, pattern: truth.pattern });
      this.labelIndex.set(key, i);
    }
    return i;
  }
}
