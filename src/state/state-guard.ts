import { LendguardError } from '../platform/errors.js';
import type { Logger } from '../platform/logger.js';
import type { RedisClient } from './redis-client.js';

/**
 * Detects lost state at start-up. The sliding windows and the record of which application ids were seen live
 * only in Redis; a Redis that restarted without persistence comes back empty while the consumer group's
 * committed offsets say work was done. Then duplicate detection and every window start again from zero (a
 * resent application would be assessed twice, a device burst would count from 1).
 *
 * The first start writes a marker key (no expiry). At later starts, a missing marker with committed offsets
 * is lost state: warn loudly (default) or refuse to start (`state.onLost: refuse`), and write the marker again.
 * While the processor runs, the state store checks the same marker on every batch (`lostWhileRunning`).
 */
export async function checkStateNotLost(
  redis: RedisClient,
  markerKey: string,
  committedRecords: () => Promise<number>,
  opts: { onLost: 'warn' | 'refuse'; logger: Logger; nowMs: number },
): Promise<'fresh' | 'kept' | 'lost'> {
  const marker = await redis.get(markerKey);
  if (marker !== null) return 'kept';
  const committed = await committedRecords();
  const outcome = committed > 0 ? 'lost' : 'fresh';
  if (outcome === 'lost') {
    const message =
      `Redis holds no state for this processor group, but ${committed} input records were already committed: Redis restarted without ` +
      'persistence, or was flushed. Duplicate detection and the sliding windows start again from empty. Run Redis with AOF ' +
      '(appendonly yes, appendfsync everysec) or replication (README "Operating")';
    if (opts.onLost === 'refuse') throw new LendguardError('STATE_LOST', `${message}; set state.onLost=warn to start anyway`);
    opts.logger.error({ committed, markerKey }, message);
  }
  await redis.set(markerKey, new Date(opts.nowMs).toISOString());
  return outcome;
}

export const LOST_WHILE_RUNNING =
  "Redis lost this processor group's state while it ran (its marker key is gone): Redis restarted without persistence, was " +
  'flushed, or evicted keys (maxmemory-policy must be noeviction or volatile-*). Duplicate detection and the sliding windows ' +
  'start again from empty. Run Redis with AOF (appendonly yes, appendfsync everysec) or replication (README "Operating")';

/** What the state store does when the marker vanishes mid-run: refuse (STATE_LOST, fatal) or report and go on. */
export function lostWhileRunning(opts: { onLost: 'warn' | 'refuse'; logger: Logger; count: () => void }): () => void {
  return () => {
    opts.count();
    if (opts.onLost === 'refuse') throw new LendguardError('STATE_LOST', `${LOST_WHILE_RUNNING}; stopping (state.onLost=refuse)`);
    opts.logger.error({}, LOST_WHILE_RUNNING);
  };
}
