import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { VelocityObservation } from '../features/velocity.js';
import type { VelocityStore } from '../pipeline/ports.js';
import { LendguardError } from '../platform/errors.js';
import type { KeyBuilder } from './keys.js';

const WINDOW_LUA = readFileSync(new URL('./window.lua', import.meta.url), 'utf8');

type WindowCommand = (key: string, ...args: (string | number)[]) => Promise<number[]>;

/** Redis adapter for sliding-window counters: one pipelined round trip per batch. */
export function createRedisVelocityStore(redis: Redis, keys: KeyBuilder): VelocityStore {
  redis.defineCommand('lgWindowObserve', { numberOfKeys: 1, lua: WINDOW_LUA });

  return {
    async observe(observations: readonly VelocityObservation[]): Promise<number[][]> {
      if (observations.length === 0) return [];
      const pipeline = redis.pipeline();
      const queue = pipeline as unknown as { lgWindowObserve: WindowCommand };
      for (const o of observations) {
        const retention = Math.max(...o.windowsMs);
        queue.lgWindowObserve(keys.velocity(o.spec, o.entity), o.member, o.atMs, retention, ...o.windowsMs);
      }
      let results: [Error | null, unknown][] | null;
      try {
        results = await pipeline.exec();
      } catch (err) {
        throw new LendguardError('REDIS_UNAVAILABLE', `Redis pipeline failed: ${(err as Error).message}`, { cause: err });
      }
      if (!results) throw new LendguardError('REDIS_UNAVAILABLE', 'Redis pipeline returned no results');
      return results.map(([err, value]) => {
        if (err) throw new LendguardError('REDIS_UNAVAILABLE', `Redis window update failed: ${err.message}`, { cause: err });
        return value as number[];
      });
    },
  };
}
