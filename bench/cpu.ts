import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { REDIS_CLUSTER_PORTS, REDIS_URL, REPO_ROOT } from './harness.js';

/**
 * CPU time per application, per process, over the steady part of a throughput run. The rate alone is
 * noisy on a machine shared by the broker, Redis and the bench; CPU time per application is much
 * steadier, and it says WHICH process the time goes to (processor, broker or Redis).
 */
export interface CpuShare {
  name: string;
  /** CPU time (user + system, all threads) per application, µs. */
  usPerApp: number;
  /** Average cores busy over the steady window. */
  cores: number;
}

interface Sample {
  atMs: number;
  count: number;
  ticks: number[];
}

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of a process, in clock ticks; undefined once it has exited. */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/** The broker's pid from scripts/kafka.sh's pid file, and Redis's from INFO. Missing ones are left out. */
export async function servicePids(opts: { cluster?: boolean } = {}): Promise<{ name: string; pid: number }[]> {
  const out: { name: string; pid: number }[] = [];
  try {
    const pid = Number(readFileSync(join(REPO_ROOT, '.run/kafka/kafka.pid'), 'utf8').trim());
    if (cpuTicks(pid) !== undefined) out.push({ name: 'broker', pid });
  } catch {
    // broker not started by scripts/kafka.sh
  }
  const redisPid = async (url: string): Promise<number | undefined> => {
    const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const pid = Number(/^process_id:(\d+)/m.exec(await redis.info('server'))?.[1]);
      return cpuTicks(pid) !== undefined ? pid : undefined;
    } catch {
      return undefined; // Redis on another host, or not running: not measurable here
    } finally {
      redis.disconnect();
    }
  };
  const single = await redisPid(REDIS_URL);
  if (single !== undefined) out.push({ name: 'redis', pid: single });
  // The cluster's masters, each as `cluster:<port>` (bench/ab.ts sums them).
  for (const port of opts.cluster ? REDIS_CLUSTER_PORTS : []) {
    const pid = await redisPid(`redis://127.0.0.1:${port}`);
    if (pid !== undefined) out.push({ name: `cluster:${port}`, pid });
  }
  return out;
}

export class CpuMeter {
  private readonly samples: Sample[] = [];
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly processes: readonly { name: string; pid: number }[],
    private readonly count: () => number,
    everyMs = 500,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  private sample(): void {
    this.samples.push({ atMs: Date.now(), count: this.count(), ticks: this.processes.map((p) => cpuTicks(p.pid) ?? Number.NaN) });
  }

  stop(): void {
    this.sample();
    clearInterval(this.timer);
  }

  /** Per process, between the samples nearest 10 % and 90 % of `total` (the same window as the steady rate). */
  steady(total: number): CpuShare[] {
    const from = this.samples.find((s) => s.count >= total * 0.1);
    const to = [...this.samples].reverse().find((s) => s.count <= total * 0.9);
    if (!from || !to || to.count <= from.count || to.atMs <= from.atMs) return [];
    const apps = to.count - from.count;
    const seconds = (to.atMs - from.atMs) / 1000;
    const shares = this.processes.map((p, i) => {
      const ticks = (to.ticks[i] as number) - (from.ticks[i] as number);
      return {
        name: p.name,
        usPerApp: Math.round(((ticks / TICKS_PER_SECOND) * 1e6) / apps),
        cores: Math.round((ticks / TICKS_PER_SECOND / seconds) * 100) / 100,
      };
    });
    return shares.filter((s) => Number.isFinite(s.usPerApp));
  }
}
