/**
 * Token buckets by key (a user, a client address): `perMinute` tokens a minute up to `burst`. `take` answers 0 when
 * a token was taken, else how many seconds until one is there (the Retry-After). Full buckets are forgotten, so the
 * map holds only keys that spent something recently (and at most `maxKeys`).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly opts: { perMinute: number; burst: number; maxKeys?: number },
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): number {
    const now = this.now();
    const bucket = this.refilled(key, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.buckets.set(key, bucket);
      return 0;
    }
    this.buckets.set(key, bucket);
    return Math.max(1, Math.ceil(((1 - bucket.tokens) * 60_000) / this.opts.perMinute / 1000));
  }

  /** Seconds until `key` has a token again (0: it has one), without taking it. */
  wait(key: string): number {
    const bucket = this.refilled(key, this.now());
    return bucket.tokens >= 1 ? 0 : Math.max(1, Math.ceil(((1 - bucket.tokens) * 60_000) / this.opts.perMinute / 1000));
  }

  private refilled(key: string, now: number): { tokens: number; at: number } {
    const b = this.buckets.get(key);
    if (!b) {
      if (this.buckets.size >= (this.opts.maxKeys ?? 100_000)) this.forgetFull(now);
      return { tokens: this.opts.burst, at: now };
    }
    const tokens = Math.min(this.opts.burst, b.tokens + ((now - b.at) * this.opts.perMinute) / 60_000);
    return { tokens, at: now };
  }

  private forgetFull(now: number): void {
    for (const [key] of this.buckets) if (this.refilled(key, now).tokens >= this.opts.burst) this.buckets.delete(key);
    if (this.buckets.size >= (this.opts.maxKeys ?? 100_000)) this.buckets.clear();
  }
}
