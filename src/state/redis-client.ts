import { Redis } from 'ioredis';
import type { Config } from '../platform/config.js';

/**
 * The ioredis client from config. Redis fails fast while disconnected (no offline queue) so the pipeline can
 * back off and retry whole batches; the client itself keeps reconnecting in the background.
 */
export function createRedis(config: Config): Redis {
  return new Redis(config.redis.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    commandTimeout: config.redis.commandTimeoutMs,
    connectTimeout: 3000,
    retryStrategy: (times) => Math.min(200 * 2 ** Math.min(times, 5), 5000),
    lazyConnect: false,
  });
}
