import type { Sighting, SightingTarget } from '../features/sightings.js';
import type { CounterUpdate } from '../features/velocity.js';

/** Ports the pipeline owns; adapters in state/ and emit/ implement them. */

/** Everything one application changes in state. */
export interface ApplicationState {
  applicationId: string;
  /**
   * The record that carries it (`topic/partition/offset`). The first record with an application id
   * owns it; a record from elsewhere with the same id is a duplicate (a retry of the same record is not).
   */
  source: string;
  atMs: number;
  counters: readonly CounterUpdate[];
  /** Entities whose last sighting this application replaces (only used when `sighting` is set). */
  sightingTargets: readonly SightingTarget[];
  sighting: Sighting | null;
}

export interface StateRequest {
  /** Window lengths, the same for every counter. */
  windowsMs: readonly number[];
  applications: readonly ApplicationState[];
}

export interface ApplicationStateResult {
  /** One row per counter, one count per window (-1 for a window not asked for). */
  counts: number[][];
  /** For each sighting target, the sighting to compare with (null for none); empty without a sighting. */
  previous: (Sighting | null)[];
  /** Set (to the owning record's source) when another record already carried this application id: nothing was updated. */
  duplicateOf?: string;
}

/** Sliding-window counters and last sightings; one round trip per batch, one atomic step per application. */
export interface StateStore {
  apply(request: StateRequest): Promise<ApplicationStateResult[]>;
}

export interface OutputRecord {
  topic: string;
  key: string | null;
  value: Buffer | string;
  headers?: Record<string, string>;
}
