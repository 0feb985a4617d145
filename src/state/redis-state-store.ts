import { readFileSync } from 'node:fs';
import { ReplyError } from 'ioredis';
import type { ApplicationState, ApplicationStateResult, StateRequest, StateStore } from '../pipeline/ports.js';
import { LendguardError } from '../platform/errors.js';
import type { KeyBuilder } from './keys.js';
import { isCluster, type RedisClient } from './redis-client.js';
import { chunksByNode, nodeOf, refreshAfterRedirect, runRound, SLOTS_MOVED, type RoundCommand } from './round.js';
import { duplicateOf, emptyResult, scatter, sectionsOf, windowLists, type Section, type WindowLists } from './sections.js';

const OWNERS_LUA = readFileSync(new URL('./owners.lua', import.meta.url), 'utf8');
const APPLY_LUA = readFileSync(new URL('./apply.lua', import.meta.url), 'utf8');

type Script = (...keysAndArgs: (string | number)[]) => unknown;
interface Scripts {
  lgOwners: Script;
  lgApply: Script;
}

/** Server replies that mean "not now" (loading, busy, out of memory, a replica during failover, slots that moved): retried. */
const TRANSIENT_REPLY = /^(LOADING|BUSY|OOM|READONLY|MASTERDOWN|TRYAGAIN|CLUSTERDOWN|NOREPLICAS|MOVED|ASK)\b/;

/**
 * What a failed state command means. A connection problem, a timeout or a transient reply: Redis is away,
 * retry (REDIS_UNAVAILABLE). Any other reply error (a bug in the script, a key of the wrong type written by
 * someone else): retrying would fail for ever, so it is fatal (STATE_SCRIPT_FAILED) and says which.
 */
export function stateCommandError(err: Error, what: string): LendguardError {
  if (err instanceof (ReplyError as new () => Error) && !TRANSIENT_REPLY.test(err.message) && !SLOTS_MOVED.test(err.message)) {
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

/** Applications per script call: one call holds Redis for about 50 µs per application. */
const CHUNK = 100;

/**
 * Redis adapter for the state port, on one Redis or on Redis Cluster through the same code. On one Redis a batch
 * is one pipelined round: each apply.lua call settles the owner keys of its applications and counts those that
 * are not duplicates, atomically. On a cluster, where an application's owner key and its entities' keys are on
 * different nodes, a batch takes two pipelined rounds of a few script calls each:
 *   1. owners.lua: per application, SET NX GET on its owner key. The first record to carry an application id
 *      owns it, and a different record with that id is a duplicate that counts nothing. The lost-state marker
 *      rides along.
 *   2. apply.lua: the windows and sightings of the applications that are not duplicates.
 * Every call carries up to CHUNK applications' keys of one node: on one Redis that is the whole batch in a
 * call or two (one round); on a cluster, where each entity's keys share a slot (a hash tag), an application's keys are
 * split by node and each node gets its calls, all nodes at once. A batch retried after a failure in round 2
 * (a slot that moved half-way included) finds its own source in the owner keys and repeats round 2, which is
 * idempotent: nothing is counted twice.
 */
export function createRedisStateStore(redis: RedisClient, keys: KeyBuilder, opts: RedisStateOptions): StateStore {
  redis.defineCommand('lgOwners', { lua: OWNERS_LUA, numberOfKeys: 1 });
  redis.defineCommand('lgApply', { lua: APPLY_LUA, numberOfKeys: 1 });
  const node = nodeOf(redis);
  const oneNode = !isCluster(redis);

  async function round(commands: RoundCommand[], what: string): Promise<unknown[]> {
    const replies = await runRound(redis, commands);
    refreshAfterRedirect(redis, replies);
    return replies.map(([err, value]) => {
      if (err) throw stateCommandError(err, what);
      return value;
    });
  }

  /** Round 1: the marker check, then the owner of each application id (its source, or '' when this record took it). */
  async function owners(applications: readonly ApplicationState[], ownerMs: number): Promise<string[]> {
    const pairs = applications.map((app, i) => ({ i, key: keys.application(app.applicationId), source: app.source }));
    const chunks = chunksByNode(pairs, (p) => node(p.key), CHUNK * 2);
    const commands: RoundCommand[] = chunks.map((chunk) => ({
      key: (chunk[0] as { key: string }).key,
      add: (p) => (p as unknown as Scripts).lgOwners((chunk[0] as { key: string }).key, ownerMs, ...chunk.flatMap((c) => [c.key, c.source])),
    }));
    const replies = await roundWithMarker(commands);
    const out = new Array<string>(applications.length);
    chunks.forEach((chunk, j) => chunk.forEach((c, k) => (out[c.i] = (replies[j] as string[])[k] as string)));
    return out;
  }

  /** A round that starts with the lost-state marker check (when configured); returns the other replies. */
  async function roundWithMarker(commands: RoundCommand[]): Promise<unknown[]> {
    const marker = opts.marker;
    if (marker) commands.unshift({ key: keys.marker(), add: (p) => p.exists(keys.marker()) });
    const replies = await round(commands, 'Redis state update failed');
    if (marker) await checkMarker(replies.shift(), marker);
    return replies;
  }

  async function checkMarker(exists: unknown, marker: NonNullable<RedisStateOptions['marker']>): Promise<void> {
    if (exists !== 0) return;
    await marker.onLost();
    try {
      await redis.set(keys.marker(), new Date(marker.nowMs()).toISOString());
    } catch (e) {
      throw new LendguardError('REDIS_UNAVAILABLE', `Redis state marker could not be written: ${(e as Error).message}`, { cause: e });
    }
  }

  /** Round 2 (on one Redis the only round): the sections, in calls of one node each; the marker check rides along when asked. */
  async function applySections(sections: Section[], windows: WindowLists, withMarker = false): Promise<unknown[][]> {
    const chunks = chunksByNode(sections, (s) => s.node, CHUNK);
    const head = [...windows.args, opts.sightingTtlMs, windows.ownerMs];
    const commands: RoundCommand[] = chunks.map((chunk) => ({
      key: (chunk[0] as Section).key,
      add: (p) => (p as unknown as Scripts).lgApply((chunk[0] as Section).key, ...head, ...chunk.flatMap((s) => s.args)),
    }));
    const replies = withMarker ? await roundWithMarker(commands) : await round(commands, 'Redis state update failed');
    const answers = new Map<Section, unknown[]>();
    chunks.forEach((chunk, j) => chunk.forEach((s, k) => answers.set(s, (replies[j] as unknown[][])[k] as unknown[])));
    return sections.map((s) => answers.get(s) as unknown[]);
  }

  /** One Redis: one round, each application's owner check and counting in the same call. */
  async function applyOneNode(applications: readonly ApplicationState[], windows: WindowLists): Promise<ApplicationStateResult[]> {
    const sections = applications.map((app, i) => sectionsOf(app, i, keys, windows, node, true)[0] as Section);
    const answers = await applySections(sections, windows, true);
    return applications.map((app, i) => {
      const answer = answers[i] as unknown[];
      const owner = duplicateOf(answer[0], app);
      if (owner !== undefined) return { counts: [], previous: [], duplicateOf: owner };
      const result = emptyResult(app);
      scatter(result, sections[i] as Section, answer, app, windows);
      return result;
    });
  }

  return {
    async apply(request: StateRequest): Promise<ApplicationStateResult[]> {
      const { applications } = request;
      if (applications.length === 0) return [];
      const windows = windowLists(request);
      if (oneNode) return applyOneNode(applications, windows);
      const owned = await owners(applications, windows.ownerMs);
      const duplicate = (i: number) => duplicateOf(owned[i], applications[i] as ApplicationState) !== undefined;
      const sections = applications.flatMap((app, i) => (duplicate(i) ? [] : sectionsOf(app, i, keys, windows, node)));
      const answers = await applySections(sections, windows);
      const results = applications.map((app, i): ApplicationStateResult =>
        duplicate(i) ? { counts: [], previous: [], duplicateOf: owned[i] } : emptyResult(app),
      );
      sections.forEach((s, j) =>
        scatter(results[s.app] as ApplicationStateResult, s, answers[j] as unknown[], applications[s.app] as ApplicationState, windows),
      );
      return results;
    },
  };
}
