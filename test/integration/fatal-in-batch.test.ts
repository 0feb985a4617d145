import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { spawnProcessor, testSetup, killedAfterAll } from '../helpers/processor.js';
import { collect, produceRaw, REDIS_URL } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * The error policy end to end: a fatal error raised inside a batch (kafkajs wraps it on the way) stops the
 * process with its documented exit code, instead of restarting the consumer or retrying for ever. The error
 * is real: a key under the processor's prefix holds the wrong type, so Redis refuses the state script
 * (WRONGTYPE), which no retry can fix: STATE_SCRIPT_FAILED, exit code 1 (docs/errors.md).
 */
describe('a fatal error inside a batch', () => {
  const children = killedAfterAll();

  it('stops the process with its exit code, names the cause, and commits nothing of the batch', { timeout: 120_000 }, async () => {
    const setup = await testSetup({ partitions: 1 });
    const app = application(setup.id, 1);
    const redis = new Redis(REDIS_URL);
    const ownerKey = `${setup.env.LENDGUARD_REDIS_KEY_PREFIX}a:${app.applicationId}`;
    await redis.hset(ownerKey, 'planted', 'by someone else');
    try {
      const child = await spawnProcessor(setup.env);
      children.push(child);
      await produceRaw(setup.topics.applications, [asMessage(app)]);
      const exit = await Promise.race([child.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 60_000))]);
      expect(exit, child.output().slice(-2000)).toEqual({ code: 1, signal: null });
      expect(child.output()).toMatch(/STATE_SCRIPT_FAILED/);
      expect(child.output()).toMatch(/WRONGTYPE/);
      expect(await collect(setup.topics.assessments, { readCommitted: true, idleMs: 1500, timeoutMs: 10_000 })).toHaveLength(0);
    } finally {
      await redis.del(ownerKey);
      await redis.quit();
    }
  });
});
