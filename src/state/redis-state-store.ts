import { readFileSync } from 'node:fs';
import { ReplyError, type Redis } from 'ioredis';
import type { Sighting } from '../features/sightings.js';
import type { ApplicationState, ApplicationStateResult, StateRequest, StateStore } from '../pipeline/ports.js';
import { LendguardError } from '../platform/errors.js';
import type { KeyBuilder } from './keys.js';

const APPLICATION_LUA = readFileSync(new URL('./application.lua', import.meta.url), 'utf8');

type Command = (numberOfKeys: number, ...keysAndArgs: (string | number)[]) => unknown;

/** Server replies that mean "not now" (loading, busy, out of memory, a replica during failover): retried. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|OOM|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|NOREPLICAS)\b/;

/**
 * What a failed state command means. A connection problem, a timeout or a transient reply: Redis is away,
 * retry (REDIS_UNAVAILABLE). Any other reply error (a bug in the script, a key of the wrong type written by
 * someone else): retrying would fail for ever, so it is fatal (STATE_SCRIPT_FAILED) and says which.
 */
export function stateCommandError(err: Error, what: string): LendguardError {
  if (err instanceof (ReplyError as new () => Error) && !TRANSIENT_REPLY.test(err.message)) {
    return new LendguardError('STATE_SCRIPT_FAILED', `${what}: Redis refused the state script: ${err.message}`, { cause: err });
  }
  return new LendguardError('REDIS_UNAVAILABLE', `${what}: ${err.message}`, { cause: err });
}

/**
 * The state script needs Redis 7.0 or later (SET with both NX and GET). On an older server every
 * batch would fail for ever as if Redis were down, so the version is checked at start-up: a fatal
 * CONFIG_INVALID naming the version found. `info` is the text of `INFO server`.
 */
export function assertRedisVersion(info: string): void {
  const version = /^redis_version:(\S+)/m.exec(info)?.[1];
  const major = Number(version?.split('.')[0]);
  if (version === undefined || !Number.isFinite(major)) return; // a proxy that hides it: the script will tell
  if (major < 7) throw new LendguardError('CONFIG_INVALID', `Redis ${version} is too old: lendguard's state script needs Redis 7.0 or later`);
}

export interface RedisStateOptions {
  sightingTtlMs: number;
  /**
   * Lost-state check on every batch: the pipeline starts with EXISTS on the marker key (written at start-up,
   * no expiry). When it is gone, Redis lost this group's state while the processor ran (a restart without
   * persistence, a flush, an eviction): `onLost` is awaited before the batch's results are used. It throws
   * to refuse (the batch fails with its error), or reports and returns; the store then writes the marker again.
   */
  marker?: { onLost: () => Promise<void> | void; nowMs: () => number };
}

function parseSighting(value: unknown): Sighting | null {
  return typeof value === 'string' && value !== '' ? (JSON.parse(value) as Sighting) : null;
}

/** The window lists of a request as the script takes them: list 0 is the default one. */
interface WindowLists {
  ownerMs: number;
  /** L, then each list as its length and its window lengths. */
  args: number[];
  lengths: number[];
  /** A counter's list index (0-based). */
  indexOf(spec: string): number;
}

function windowLists({ windowsMs, counterWindowsMs = {} }: StateRequest): WindowLists {
  const lists: (readonly number[])[] = [windowsMs];
  const bySpec = new Map<string, number>();
  for (const [spec, list] of Object.entries(counterWindowsMs)) {
    let i = lists.findIndex((l) => l.join() === list.join());
    if (i < 0) i = lists.push(list) - 1;
    bySpec.set(spec, i);
  }
  return {
    ownerMs: Math.max(...windowsMs),
    args: [lists.length, ...lists.flatMap((l) => [l.length, ...l])],
    lengths: lists.map((l) => l.length),
    indexOf: (spec) => bySpec.get(spec) ?? 0,
  };
}

/**
 * Redis adapter for the state port: one atomic script call per application (application.lua),
 * every call of a batch in one pipelined round trip. The script touches several keys, so on Redis
 * Cluster they would have to share a hash slot; this adapter targets a single Redis (or a
 * primary/replica pair).
 */
export function createRedisStateStore(redis: Redis, keys: KeyBuilder, opts: RedisStateOptions): StateStore {
  redis.defineCommand('lgApplyApplication', { lua: APPLICATION_LUA });

  function args(app: ApplicationState, windows: WindowLists): (string | number)[] {
    const targets = app.sighting ? app.sightingTargets : [];
    return [
      app.counters.length + targets.length + 1,
      ...app.counters.map((c) => keys.velocity(c.spec, c.entity)),
      ...targets.map((s) => keys.sighting(s.kind, s.entity)),
      keys.application(app.applicationId),
      app.counters.length,
      app.atMs,
      windows.ownerMs,
      ...windows.args,
      ...app.counters.map((c) => c.member),
      ...app.counters.map((c) => c.windowMask),
      ...app.counters.map((c) => windows.indexOf(c.spec) + 1),
      app.applicationId,
      app.sighting ? JSON.stringify(app.sighting) : '',
      opts.sightingTtlMs,
      app.source,
    ];
  }

  async function checkMarker(results: [Error | null, unknown][], marker: NonNullable<RedisStateOptions['marker']>): Promise<[Error | null, unknown][]> {
    const [[err, exists], ...rest] = results as [[Error | null, unknown], ...[Error | null, unknown][]];
    if (err) throw stateCommandError(err, 'Redis state check failed');
    if (exists === 0) {
      await marker.onLost();
      try {
        await redis.set(keys.marker(), new Date(marker.nowMs()).toISOString());
      } catch (e) {
        throw new LendguardError('REDIS_UNAVAILABLE', `Redis state marker could not be written: ${(e as Error).message}`, { cause: e });
      }
    }
    return rest;
  }

  return {
    async apply(request: StateRequest): Promise<ApplicationStateResult[]> {
      const { applications } = request;
      if (applications.length === 0) return [];
      const windows = windowLists(request);
      const pipeline = redis.pipeline();
      if (opts.marker) pipeline.exists(keys.marker());
      const q = pipeline as unknown as { lgApplyApplication: Command };
      for (const app of applications) {
        const [numberOfKeys, ...rest] = args(app, windows);
        q.lgApplyApplication(numberOfKeys as number, ...rest);
      }
      let results: [Error | null, unknown][] | null;
      try {
        results = await pipeline.exec();
      } catch (err) {
        throw new LendguardError('REDIS_UNAVAILABLE', `Redis pipeline failed: ${(err as Error).message}`, { cause: err });
      }
      if (!results) throw new LendguardError('REDIS_UNAVAILABLE', 'Redis pipeline returned no results');
      if (opts.marker) results = await checkMarker(results, opts.marker);
      return results.map(([err, value], i) => {
        if (err) throw stateCommandError(err, 'Redis state update failed');
        const [owner, ...flat] = value as unknown[];
        if (typeof owner === 'string' && owner !== '') return { counts: [], previous: [], duplicateOf: owner };
        const app = applications[i] as ApplicationState;
        let at = 0;
        const counts = app.counters.map((c) => {
          const width = windows.lengths[windows.indexOf(c.spec)] as number;
          at += width;
          return flat.slice(at - width, at) as number[];
        });
        return { counts, previous: flat.slice(at).map(parseSighting) };
      });
    },
  };
}
