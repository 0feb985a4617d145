import type { ChainableCommander } from 'ioredis';
import { LendguardError } from '../platform/errors.js';
import { isCluster, type RedisClient } from './redis-client.js';
import { keySlot } from './slot.js';

/** One command of a round: the key that routes it, and how to add it to a pipeline. */
export interface RoundCommand {
  key: string;
  add(pipeline: ChainableCommander): void;
}

export type Reply = [Error | null, unknown];

async function exec(pipeline: ChainableCommander): Promise<Reply[]> {
  let results: Reply[] | null;
  try {
    results = await pipeline.exec();
  } catch (err) {
    throw new LendguardError('REDIS_UNAVAILABLE', `Redis pipeline failed: ${(err as Error).message}`, { cause: err });
  }
  if (!results) throw new LendguardError('REDIS_UNAVAILABLE', 'Redis pipeline returned no results');
  return results;
}

/**
 * Sends a round of commands in as few round trips as the topology allows, and answers in command order. On one
 * Redis: one pipeline. On a cluster: one pipeline per node (each command goes to the node that serves its key's
 * slot, as ioredis knows the slot map), all sent at once. Every key of one command must share a slot.
 */
export async function runRound(redis: RedisClient, commands: readonly RoundCommand[]): Promise<Reply[]> {
  if (commands.length === 0) return [];
  if (!isCluster(redis)) {
    const pipeline = redis.pipeline();
    for (const c of commands) c.add(pipeline);
    return exec(pipeline);
  }
  const node = nodeOf(redis);
  const out: Reply[] = new Array<Reply>(commands.length);
  const indexes = commands.map((_, i) => i);
  await Promise.all(
    chunksByNode(indexes, (i) => node((commands[i] as RoundCommand).key), Number.MAX_SAFE_INTEGER).map(async (indexes) => {
      const pipeline = redis.pipeline();
      for (const i of indexes) (commands[i] as RoundCommand).add(pipeline);
      const results = await exec(pipeline);
      indexes.forEach((i, j) => (out[i] = results[j] as Reply));
    }),
  );
  return out;
}

/** The node group that serves a key, as runRound routes it: one group ('') on a single Redis. */
export function nodeOf(redis: RedisClient): (key: string) => string {
  if (!isCluster(redis)) return () => '';
  return (key) => redis.slots[keySlot(key)]?.join(',') ?? '';
}

/** Items grouped by node (first-seen order kept within a node), cut into chunks of at most `size`. */
export function chunksByNode<T>(items: readonly T[], node: (item: T) => string, size: number): T[][] {
  const byNode = new Map<string, T[]>();
  for (const item of items) {
    const key = node(item);
    const list = byNode.get(key);
    if (list) list.push(item);
    else byNode.set(key, [item]);
  }
  const chunks: T[][] = [];
  for (const list of byNode.values()) for (let i = 0; i < list.length; i += size) chunks.push(list.slice(i, i + size));
  return chunks;
}

/** After a MOVED or ASK reply (slots moved: a failover, a reshard), the slot map is read again before the retry. */
export function refreshAfterRedirect(redis: RedisClient, replies: readonly Reply[]): void {
  if (isCluster(redis) && replies.some(([err]) => err && SLOTS_MOVED.test(err.message))) redis.refreshSlotsCache();
}

/** Replies that mean the slot map the call was routed by is out of date. */
export const SLOTS_MOVED = /^(MOVED|ASK)\b|non local key/;
