import { readFileSync } from 'node:fs';
import { ReplyError } from 'ioredis';
import type { Sighting } from '../features/sightings.js';
import type { ApplicationState, ApplicationStateResult, StateRequest, StateStore } from '../pipeline/ports.js';
import { LendguardError } from '../platform/errors.js';
import type { KeyBuilder } from './keys.js';
import { isCluster, type RedisClient } from './redis-client.js';
import { refreshAfterRedirect, runRound, type Reply, type RoundCommand } from './round.js';
import { keySlot } from './slot.js';

const ENTITY_LUA = readFileSync(new URL('./entity.lua', import.meta.url), 'utf8');

type Command = (numberOfKeys: number, ...keysAndArgs: (string | number)[]) => unknown;

/** Server replies that mean "not now" (loading, busy, out of memory, a replica during failover, slots that moved): retried. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|OOM|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|MOVED|ASK)\b/;

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

/** The keys of one application that share a slot, and where their answers go back. */
interface SlotGroup {
  counters: number[];
  sightings: number[];
}

/** An application's counters and sighting keys grouped by hash slot (one group on a single Redis). */
function slotGroups(app: ApplicationState, keys: KeyBuilder, slotOf: (key: string) => number): SlotGroup[] {
  const groups = new Map<number, SlotGroup>();
  const group = (key: string) => {
    const slot = slotOf(key);
    let g = groups.get(slot);
    if (!g) groups.set(slot, (g = { counters: [], sightings: [] }));
    return g;
  };
  app.counters.forEach((c, i) => group(keys.velocity(c.spec, c.entity)).counters.push(i));
  if (app.sighting) app.sightingTargets.forEach((s, i) => group(keys.sighting(s.kind, s.entity)).sightings.push(i));
  return [...groups.values()];
}

/**
 * Redis adapter for the state port, on one Redis or on Redis Cluster through the same code. A batch takes two
 * pipelined rounds:
 *   1. per application, SET NX GET on its owner key: the first record to carry an application id owns it, and
 *      a different record with that id is a duplicate that counts nothing (the lost-state marker rides along);
 *   2. per application and hash slot, one atomic call of entity.lua over the application's keys in that slot.
 *      On one Redis that is one call per application; on a cluster each entity's keys share a slot (a hash tag),
 *      and calls go to their nodes in one pipeline per node, all at once.
 * A batch retried after a failure in round 2 finds its own source in the owner keys and repeats round 2,
 * which is idempotent (entity.lua): nothing is counted twice.
 */
export function createRedisStateStore(redis: RedisClient, keys: KeyBuilder, opts: RedisStateOptions): StateStore {
  redis.defineCommand('lgApplyEntity', { lua: ENTITY_LUA });
  const slotOf = isCluster(redis) ? keySlot : () => 0;

  function entityCall(app: ApplicationState, g: SlotGroup, windows: WindowLists): RoundCommand {
    const counters = g.counters.map((i) => app.counters[i] as ApplicationState['counters'][number]);
    const targets = g.sightings.map((i) => app.sightingTargets[i] as ApplicationState['sightingTargets'][number]);
    const windowKeys = counters.map((c) => keys.velocity(c.spec, c.entity));
    const args: (string | number)[] = [
      ...windowKeys,
      ...targets.map((s) => keys.sighting(s.kind, s.entity)),
      counters.length,
      app.atMs,
      ...windows.args,
      ...counters.map((c) => c.member),
      ...counters.map((c) => c.windowMask),
      ...counters.map((c) => windows.indexOf(c.spec) + 1),
      app.applicationId,
      app.sighting ? JSON.stringify(app.sighting) : '',
      opts.sightingTtlMs,
    ];
    const key = windowKeys[0] ?? keys.sighting((targets[0] as { kind: string }).kind, (targets[0] as { entity: string }).entity);
    return { key, add: (p) => (p as unknown as { lgApplyEntity: Command }).lgApplyEntity(counters.length + targets.length, ...args) };
  }

  /** Round 1: the marker check, then the owner of each application id (its source, or null when this record took it). */
  async function owners(applications: readonly ApplicationState[], windows: WindowLists): Promise<(string | null)[]> {
    const marker = opts.marker;
    const commands: RoundCommand[] = applications.map((app) => {
      const key = keys.application(app.applicationId);
      return { key, add: (p) => p.call('SET', key, app.source, 'NX', 'PX', windows.ownerMs, 'GET') };
    });
    if (marker) commands.unshift({ key: keys.marker(), add: (p) => p.exists(keys.marker()) });
    let replies = await runRound(redis, commands);
    refreshAfterRedirect(redis, replies);
    if (marker) replies = await checkMarker(replies, marker);
    return replies.map(([err, owner]) => {
      if (err) throw stateCommandError(err, 'Redis state update failed');
      return typeof owner === 'string' ? owner : null;
    });
  }

  async function checkMarker(replies: Reply[], marker: NonNullable<RedisStateOptions['marker']>): Promise<Reply[]> {
    const [[err, exists], ...rest] = replies as [Reply, ...Reply[]];
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
      const owned = await owners(applications, windows);
      const calls: { app: number; group: SlotGroup; command: RoundCommand }[] = [];
      applications.forEach((app, i) => {
        if (owned[i] !== null && owned[i] !== app.source) return; // a duplicate: counts nothing
        for (const group of slotGroups(app, keys, slotOf)) calls.push({ app: i, group, command: entityCall(app, group, windows) });
      });
      const replies = await runRound(
        redis,
        calls.map((c) => c.command),
      );
      refreshAfterRedirect(redis, replies);
      const results: ApplicationStateResult[] = applications.map((app, i) => {
        const owner = owned[i];
        if (owner !== null && owner !== undefined && owner !== app.source) return { counts: [], previous: [], duplicateOf: owner };
        return { counts: new Array<number[]>(app.counters.length), previous: app.sighting ? new Array<Sighting | null>(app.sightingTargets.length) : [] };
      });
      calls.forEach(({ app, group }, j) => {
        const [err, value] = replies[j] as Reply;
        if (err) throw stateCommandError(err, 'Redis state update failed');
        scatter(results[app] as ApplicationStateResult, group, value as unknown[], applications[app] as ApplicationState, windows);
      });
      return results;
    },
  };
}

/** Puts one slot call's flat answer back in the application's counter and sighting order. */
function scatter(result: ApplicationStateResult, group: SlotGroup, flat: unknown[], app: ApplicationState, windows: WindowLists): void {
  let at = 0;
  for (const i of group.counters) {
    const width = windows.lengths[windows.indexOf((app.counters[i] as { spec: string }).spec)] as number;
    result.counts[i] = flat.slice(at, at + width) as number[];
    at += width;
  }
  for (const i of group.sightings) result.previous[i] = parseSighting(flat[at++]);
}
