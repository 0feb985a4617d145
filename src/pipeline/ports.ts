import type { VelocityObservation } from '../features/velocity.js';

/** Ports the pipeline owns; adapters in state/ and emit/ implement them. */

export interface VelocityStore {
  /** Records every observation and returns, for each, the counts per window (same order). */
  observe(observations: readonly VelocityObservation[]): Promise<number[][]>;
}

export interface OutputRecord {
  topic: string;
  key: string | null;
  value: Buffer | string;
  headers?: Record<string, string>;
}
