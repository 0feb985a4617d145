import { readFileSync } from 'node:fs';
import type { Redis } from 'ioredis';
import type { Sighting } from '../features/sightings.js';
import type { StateRequest, StateResult, StateStore } from '../pipeline/ports.js';
import { LendguardError } from '../platform/errors.js';
import type { KeyBuilder } from './keys.js';

const lua = (name: string): string => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');

type Command = (key: string, ...args: (string | number)[]) => unknown;
interface Scripts {
  lgWindowObserve: Command;
  lgSightingSwap: Command;
}

export interface RedisStateOptions {
  sightingTtlMs: number;
}

/** Redis adapter for the state port: every update of a batch goes in one pipelined round trip. */
export function createRedisStateStore(redis: Redis, keys: KeyBuilder, opts: RedisStateOptions): StateStore {
  redis.defineCommand('lgWindowObserve', { numberOfKeys: 1, lua: lua('window.lua') });
  redis.defineCommand('lgSightingSwap', { numberOfKeys: 1, lua: lua('sighting.lua') });

  return {
    async apply({ observations, sightings }: StateRequest): Promise<StateResult> {
      if (observations.length === 0 && sightings.length === 0) return { counts: [], previous: [] };
      const pipeline = redis.pipeline();
      const q = pipeline as unknown as Scripts;
      for (const o of observations) {
        q.lgWindowObserve(keys.velocity(o.spec, o.entity), o.member, o.atMs, Math.max(...o.windowsMs), ...o.windowsMs);
      }
      for (const s of sightings) {
        q.lgSightingSwap(keys.sighting(s.kind, s.entity), s.sighting.app, s.sighting.at, JSON.stringify(s.sighting), opts.sightingTtlMs);
      }
      let results: [Error | null, unknown][] | null;
      try {
        results = await pipeline.exec();
      } catch (err) {
        throw new LendguardError('REDIS_UNAVAILABLE', `Redis pipeline failed: ${(err as Error).message}`, { cause: err });
      }
      if (!results) throw new LendguardError('REDIS_UNAVAILABLE', 'Redis pipeline returned no results');
      const values = results.map(([err, value]) => {
        if (err) throw new LendguardError('REDIS_UNAVAILABLE', `Redis state update failed: ${err.message}`, { cause: err });
        return value;
      });
      return {
        counts: values.slice(0, observations.length) as number[][],
        previous: values.slice(observations.length).map((v) => (typeof v === 'string' ? (JSON.parse(v) as Sighting) : null)),
      };
    },
  };
}
