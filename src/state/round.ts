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
  const byNode = new Map<string, number[]>();
  commands.forEach((c, i) => {
    const node = redis.slots[keySlot(c.key)]?.join(',') ?? '';
    const list = byNode.get(node);
    if (list) list.push(i);
    else byNode.set(node, [i]);
  });
  const out: Reply[] = new Array<Reply>(commands.length);
  await Promise.all(
    [...byNode.values()].map(async (indexes) => {
      const pipeline = redis.pipeline();
      for (const i of indexes) (commands[i] as RoundCommand).add(pipeline);
      const results = await exec(pipeline);
      indexes.forEach((i, j) => (out[i] = results[j] as Reply));
    }),
  );
  return out;
}

/** After a MOVED or ASK reply (slots moved: a failover, a reshard), the slot map is read again before the retry. */
export function refreshAfterRedirect(redis: RedisClient, replies: readonly Reply[]): void {
  if (isCluster(redis) && replies.some(([err]) => err && /^(MOVED|ASK)\b/.test(err.message))) redis.refreshSlotsCache();
}
