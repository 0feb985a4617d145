import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { RawApplication } from '../../src/domain/application.js';
import { spawnProcessor, testSetup, killedAfterAll } from '../helpers/processor.js';
import { collect, produceRaw, REDIS_URL } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * Personal data never leaves the ingest boundary unmasked: the raw identifiers of every application sent are
 * searched for in Redis (keys and values under the test's prefix), in the processor's logs (at debug level),
 * and in every output topic but the DLQ (which holds the raw input by design). Includes IPv6 addresses.
 */
describe('PII scan', () => {
  const children = killedAfterAll();

  it('finds no raw identifier in Redis, the logs or the output topics', { timeout: 180_000 }, async () => {
    const setup = await testSetup({ partitions: 2, extraEnv: { LENDGUARD_LOG_LEVEL: 'debug' } });
    const proc = await spawnProcessor(setup.env);
    children.push(proc);
    const apps: RawApplication[] = Array.from({ length: 40 }, (_, i) =>
      application(`${setup.id}-pii`, i, (a) => {
        a.applicant.name = `测试用户${i}号`;
        a.applicant.contacts = [`+86137${String(30_000_000 + i).slice(-8)}`, `+86136${String(40_000_000 + i).slice(-8)}`];
        if (i % 4 === 0) a.network.ip = `2408:8207:1:${i.toString(16)}::${(i + 1).toString(16)}`;
        if (i % 5 === 0) a.device.deviceId = 'shared-studio-phone-1'; // a ring, so ring alerts and link records carry it too
        if (i % 5 === 0) a.applicant.bankAccount = '6222020200999888777';
      }),
    );
    await produceRaw(setup.topics.applications, apps.map(asMessage));
    await collect(setup.topics.assessments, { count: apps.length, readCommitted: true, timeoutMs: 60_000 });

    const raw = new Set<string>();
    for (const a of apps) {
      for (const v of [
        a.applicant.nationalId,
        a.applicant.phone,
        a.applicant.phone.replace(/^\+86/, ''),
        a.applicant.name,
        a.applicant.email,
        a.applicant.bankAccount,
        a.applicant.address,
        a.applicant.employer,
        a.device.deviceId,
        a.network.ip,
        ...(a.applicant.contacts ?? []),
      ]) {
        if (typeof v === 'string' && v.length >= 6) raw.add(v);
      }
    }
    const haystacks: [string, string][] = [];
    for (const topic of [setup.topics.assessments, setup.topics.alerts, setup.topics.graphLinks]) {
      for (const r of await collect(topic, { readCommitted: true, idleMs: 2000 }))
        haystacks.push([topic, `${r.key ?? ''} ${String(r.value)} ${JSON.stringify(r.headers)}`]);
    }
    const redis = new Redis(REDIS_URL);
    for (const key of await redis.keys(`${setup.env.LENDGUARD_REDIS_KEY_PREFIX}*`)) {
      const type = await redis.type(key);
      const value =
        type === 'zset' ? await redis.zrange(key, 0, -1) : type === 'hash' ? await redis.hgetall(key) : type === 'string' ? await redis.get(key) : '';
      haystacks.push([`redis ${key}`, `${key} ${JSON.stringify(value)}`]);
    }
    await redis.quit();
    proc.child.kill('SIGTERM');
    await proc.exited;
    haystacks.push(['logs', proc.output()]);

    expect(haystacks.filter(([where]) => where === setup.topics.graphLinks).length).toBeGreaterThan(0);
    expect(haystacks.filter(([where]) => where.startsWith('redis')).length).toBeGreaterThan(0);
    const hits = haystacks.flatMap(([where, text]) => [...raw].filter((v) => text.includes(v)).map((v) => `${where}: ${v}`));
    expect(hits).toEqual([]);
  });
});
