import { afterAll, describe, expect, it } from 'vitest';
import { privateRedis, type PrivateRedis } from '../helpers/private-services.js';
import { spawnProcessor, testSetup, type ChildProcessor } from '../helpers/processor.js';
import { collect, produceRaw } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/** Redis with AUTH: the password in the URL works; a wrong one stops the processor with exit 78 and says why. */
describe('Redis with AUTH', () => {
  let redis: PrivateRedis | undefined;
  const children: ChildProcessor[] = [];
  afterAll(async () => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGKILL');
    await redis?.stop();
  });

  it('uses the password in LENDGUARD_REDIS_URL, and reports a wrong one', { timeout: 180_000 }, async () => {
    redis = await privateRedis({ password: 'redis-test-password' });
    await redis.start();
    const setup = await testSetup({ partitions: 1 });
    const proc = await spawnProcessor({ ...setup.env, LENDGUARD_REDIS_URL: redis.url });
    children.push(proc);
    await produceRaw(setup.topics.applications, [asMessage(application(`${setup.id}-auth`, 1))]);
    expect(await collect(setup.topics.assessments, { count: 1, readCommitted: true, timeoutMs: 60_000 })).toHaveLength(1);

    const wrong = await spawnProcessor(
      { ...setup.env, LENDGUARD_REDIS_URL: `redis://:wrong@127.0.0.1:${redis.port}`, LENDGUARD_KAFKA_GROUP_ID: `${setup.id}-wrong` },
      { waitReady: false },
    );
    children.push(wrong);
    expect((await wrong.exited).code).toBe(78);
    expect(wrong.output()).toMatch(/Redis refused the credentials in redis\.url .*(WRONGPASS|invalid)/);
  });
});
