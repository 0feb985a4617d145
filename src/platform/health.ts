import { ageDays, type DatasetStamp } from '../domain/datasets.js';

/** Liveness/readiness state of one processor, read by the HTTP endpoints. */
export type HealthStatus = 'starting' | 'ready' | 'backing-off' | 'stopping' | 'failed';

export interface HealthSnapshot {
  status: HealthStatus;
  since: string;
  reason: string | null;
  details: Record<string, unknown>;
  /** Each enrichment dataset's build date and its age now, in whole days. */
  datasets: (DatasetStamp & { ageDays: number })[];
}

export class Health {
  private status: HealthStatus = 'starting';
  private since = Date.now();
  private reason: string | null = null;
  readonly details: Record<string, unknown> = {};
  private datasets: readonly DatasetStamp[] = [];

  set(status: HealthStatus, reason: string | null = null): void {
    if (status === this.status && reason === this.reason) return;
    if (this.status === 'stopping' || this.status === 'failed') return;
    this.status = status;
    this.reason = reason;
    this.since = Date.now();
  }

  /** The datasets loaded at start-up (plain data from the composition root); their age is computed at each snapshot. */
  setDatasets(stamps: readonly DatasetStamp[]): void {
    this.datasets = stamps.map(({ name, builtAt }) => ({ name, builtAt }));
  }

  get ready(): boolean {
    return this.status === 'ready';
  }

  get live(): boolean {
    return this.status !== 'failed';
  }

  snapshot(nowMs = Date.now()): HealthSnapshot {
    const datasets = this.datasets.map((d) => ({ ...d, ageDays: ageDays(d.builtAt, nowMs) }));
    return { status: this.status, since: new Date(this.since).toISOString(), reason: this.reason, details: this.details, datasets };
  }
}
