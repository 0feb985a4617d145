import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SightingRequest } from '../../src/features/sightings.js';
import type { VelocityObservation } from '../../src/features/velocity.js';
import type { StateStore } from '../../src/pipeline/ports.js';
import { createKeyBuilder } from '../../src/state/keys.js';
import { createMemoryStateStore } from '../../src/state/memory-state-store.js';
import { createRedisStateStore } from '../../src/state/redis-state-store.js';
import { randomId, REDIS_URL } from '../helpers/services.js';

/**
 * One contract suite for the state port, run against real Redis and against the in-memory twin:
 * window counts are exact at the edges, replays never count twice, distinct counts are distinct,
 * keys expire with their longest window, sightings swap idempotently.
 */
const H = 3_600_000;
const T = Date.parse('2026-11-28T00:00:00Z');
const obs = (entity: string, member: string, atMs: number, windowsMs = [10 * 60_000, H]): VelocityObservation => ({ spec: 'device.apps', entity, member, atMs, windowsMs });
const sight = (entity: string, app: string, at: number, lat = 39.9, lon = 116.4): SightingRequest => ({ kind: 'device', entity, sighting: { app, at, lat, lon, acc: 1 } });

const redis = new Redis(REDIS_URL, { lazyConnect: true });
const prefix = randomId('lgtest:');
beforeAll(() => redis.connect());
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

const stores: [string, () => StateStore][] = [
  ['redis', () => createRedisStateStore(redis, createKeyBuilder(`${prefix}${randomId('')}:`), { sightingTtlMs: 60_000 })],
  ['memory', () => createMemoryStateStore()],
];

describe.each(stores)('state store contract (%s)', (_name, make) => {
  it('counts exactly at window edges: (t - w, t]', async () => {
    const s = make();
    await s.apply({ observations: [obs('d', 'a1', T)], sightings: [] });
    await s.apply({ observations: [obs('d', 'a2', T + 5 * 60_000)], sightings: [] });
    // At T + 10 min the first one is exactly one window old: out of the 10-minute window, in the hour.
    const r = await s.apply({ observations: [obs('d', 'a3', T + 10 * 60_000)], sightings: [] });
    expect(r.counts).toEqual([[2, 3]]);
    // One millisecond earlier it would still be in.
    const s2 = make();
    await s2.apply({ observations: [obs('d', 'a1', T)], sightings: [] });
    expect((await s2.apply({ observations: [obs('d', 'a3', T + 10 * 60_000 - 1)], sightings: [] })).counts).toEqual([[2, 2]]);
  });

  it('never counts a replayed application twice', async () => {
    const s = make();
    const batch = [obs('d', 'a1', T), obs('d', 'a2', T + 1000)];
    await s.apply({ observations: batch, sightings: [] });
    const again = await s.apply({ observations: batch, sightings: [] });
    expect(again.counts).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('counts distinct members (identities per device), keeping each at its latest time', async () => {
    const s = make();
    const r = await s.apply({ observations: [obs('d', 'id1', T), obs('d', 'id2', T + 1), obs('d', 'id1', T + 2), obs('d', 'id3', T + 3)], sightings: [] });
    expect(r.counts.map((c) => c[0])).toEqual([1, 2, 2, 3]);
  });

  it('keeps entities apart and answers a batch in order', async () => {
    const s = make();
    const r = await s.apply({ observations: [obs('d1', 'a', T), obs('d2', 'b', T), obs('d1', 'c', T + 1)], sightings: [] });
    expect(r.counts).toEqual([
      [1, 1],
      [1, 1],
      [2, 2],
    ]);
  });

  it('returns the previous sighting, idempotently under replay', async () => {
    const s = make();
    const first = await s.apply({ observations: [], sightings: [sight('d', 'a1', T)] });
    expect(first.previous).toEqual([null]);
    const second = await s.apply({ observations: [], sightings: [sight('d', 'a2', T + H, 31.2, 121.5)] });
    expect(second.previous[0]).toMatchObject({ app: 'a1', at: T, lat: 39.9, lon: 116.4 });
    const replay = await s.apply({ observations: [], sightings: [sight('d', 'a2', T + H, 31.2, 121.5)] });
    expect(replay.previous[0]).toMatchObject({ app: 'a1' });
    const older = await s.apply({ observations: [], sightings: [sight('d', 'a0', T - H)] });
    expect(older.previous[0]).toMatchObject({ app: 'a2' }); // compared with the newest, does not replace it
    const next = await s.apply({ observations: [], sightings: [sight('d', 'a3', T + 2 * H)] });
    expect(next.previous[0]).toMatchObject({ app: 'a2' });
  });
});

describe('redis specifics', () => {
  it('sets every key to expire after its longest window, and the data really expires', async () => {
    const keyPrefix = `${prefix}${randomId('')}:`;
    const s = createRedisStateStore(redis, createKeyBuilder(keyPrefix), { sightingTtlMs: 300 });
    await s.apply({ observations: [obs('d', 'a1', Date.now(), [100, 250])], sightings: [sight('d', 'a1', Date.now())] });
    const keys = await redis.keys(`${keyPrefix}*`);
    expect(keys.sort()).toEqual([`${keyPrefix}s:device:d`, `${keyPrefix}v:device.apps:d`]);
    for (const k of keys) {
      const ttl = await redis.pttl(k);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(300);
    }
    await new Promise((r) => setTimeout(r, 450));
    expect(await redis.keys(`${keyPrefix}*`)).toEqual([]);
  });

  it('trims members older than the longest window', async () => {
    const keyPrefix = `${prefix}${randomId('')}:`;
    const s = createRedisStateStore(redis, createKeyBuilder(keyPrefix), { sightingTtlMs: 60_000 });
    await s.apply({ observations: [obs('d', 'old', T), obs('d', 'new', T + 2 * H)], sightings: [] });
    expect(await redis.zrange(`${keyPrefix}v:device.apps:d`, 0, -1)).toEqual(['new']);
  });
});
