/** Liveness/readiness state of one processor, read by the HTTP endpoints. */
export type HealthStatus = 'starting' | 'ready' | 'backing-off' | 'stopping' | 'failed';

export interface HealthSnapshot {
  status: HealthStatus;
  since: string;
  reason: string | null;
  details: Record<string, unknown>;
}

export class Health {
  private status: HealthStatus = 'starting';
  private since = Date.now();
  private reason: string | null = null;
  readonly details: Record<string, unknown> = {};

  set(status: HealthStatus, reason: string | null = null): void {
    if (status === this.status && reason === this.reason) return;
    if (this.status === 'stopping' || this.status === 'failed') return;
    this.status = status;
    this.reason = reason;
    this.since = Date.now();
  }

  get ready(): boolean {
    return this.status === 'ready';
  }

  get live(): boolean {
    return this.status !== 'failed';
  }

  snapshot(): HealthSnapshot {
    return { status: this.status, since: new Date(this.since).toISOString(), reason: this.reason, details: this.details };
  }
}
