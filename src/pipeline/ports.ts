import type { Sighting, SightingRequest } from '../features/sightings.js';
import type { VelocityObservation } from '../features/velocity.js';

/** Ports the pipeline owns; adapters in state/ and emit/ implement them. */

export interface StateRequest {
  observations: readonly VelocityObservation[];
  sightings: readonly SightingRequest[];
}

export interface StateResult {
  /** Counts per window for each observation, in order. */
  counts: number[][];
  /** For each sighting, the one to compare it with (null for the first), in order. */
  previous: (Sighting | null)[];
}

/** Sliding-window counters and last sightings; one round trip per batch. */
export interface StateStore {
  apply(request: StateRequest): Promise<StateResult>;
}

export interface OutputRecord {
  topic: string;
  key: string | null;
  value: Buffer | string;
  headers?: Record<string, string>;
}
