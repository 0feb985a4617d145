import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { spawnProcessor, testSetup, killedAfterAll } from '../helpers/processor.js';
import { collect, produceRaw, REDIS_URL } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * A Redis that restarts without persistence comes back empty: duplicate detection and every window start
 * again. The processor notices at start-up (its marker key is gone while the group has committed offsets) and
 * says so loudly, or refuses to start when told to. Emptied here by deleting this test's own keys only.
 */
describe('state lost between runs', () => {
  const children = killedAfterAll();

  it('is reported at start-up, or refused with state.onLost=refuse', { timeout: 180_000 }, async () => {
    const setup = await testSetup({ partitions: 1 });
    const first = await spawnProcessor(setup.env);
    children.push(first);
    await produceRaw(
      setup.topics.applications,
      [1, 2, 3].map((i) => asMessage(application(`${setup.id}-a`, i))),
    );
    await collect(setup.topics.assessments, { count: 3, readCommitted: true, timeoutMs: 60_000 });
    first.child.kill('SIGTERM');
    await first.exited;

    const redis = new Redis(REDIS_URL);
    const keys = await redis.keys(`${setup.env.LENDGUARD_REDIS_KEY_PREFIX}*`);
    expect(keys).toContain(`${setup.env.LENDGUARD_REDIS_KEY_PREFIX}meta:initialised`);
    await redis.del(...keys); // what a restart without persistence leaves
    await redis.quit();

    const refused = await spawnProcessor({ ...setup.env, LENDGUARD_STATE_ON_LOST: 'refuse' }, { waitReady: false });
    children.push(refused);
    expect((await refused.exited).code).toBe(78);
    expect(refused.output()).toMatch(/Redis holds no state for this processor group, but 3 input records were already committed/);

    const warned = await spawnProcessor(setup.env);
    children.push(warned);
    expect(warned.output()).toMatch(/Redis holds no state for this processor group/);
    warned.child.kill('SIGTERM');
    await warned.exited;
  });
});
