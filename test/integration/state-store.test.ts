import { Cluster, Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Sighting } from '../../src/features/sightings.js';
import type { ApplicationState, ApplicationStateResult, StateStore } from '../../src/pipeline/ports.js';
import { createKeyBuilder } from '../../src/state/keys.js';
import { createMemoryStateStore } from '../../src/state/memory-state-store.js';
import { createRedisStateStore } from '../../src/state/redis-state-store.js';
import { parseRedisUrl } from '../../src/platform/redis-url.js';
import { keySlot } from '../../src/state/slot.js';
import type { LendguardError } from '../../src/platform/errors.js';
import { randomId, REDIS_CLUSTER_URL, REDIS_URL } from '../helpers/services.js';

/**
 * One contract suite for the state port, run against real Redis, a real 3-master Redis Cluster (keys hash-tagged
 * by entity, one script call per slot) and the in-memory twin:
 * window counts are exact at the edges, replays never count twice, distinct counts are distinct,
 * keys expire with their longest window, sightings swap idempotently.
 */
const H = 3_600_000;
const T = Date.parse('2026-11-28T00:00:00Z');
const WINDOWS = [10 * 60_000, H];

/** An application that adds `member` to the counter of `entity` at `atMs`. */
const add = (entity: string, member: string, atMs: number): ApplicationState => ({
  applicationId: `app-${member}-${atMs}`,
  source: `in/0/app-${member}-${atMs}`,
  atMs,
  counters: [{ spec: 'device.apps', entity, member, windowMask: 0b11 }],
  sightingTargets: [],
  sighting: null,
});
/** An application seen at a place: swaps the last sighting of device `entity`. */
const seen = (entity: string, app: string, at: number, lat = 39.9, lon = 116.4): ApplicationState => ({
  applicationId: app,
  source: `in/0/${app}`,
  atMs: at,
  counters: [],
  sightingTargets: [{ kind: 'device', entity }],
  sighting: { app, at, lat, lon, acc: 1 },
});

async function counts(s: StateStore, apps: ApplicationState[], windowsMs = WINDOWS): Promise<number[][]> {
  const results = await s.apply({ windowsMs, applications: apps });
  return results.map((r) => r.counts[0] ?? []);
}
async function previous(s: StateStore, app: ApplicationState): Promise<Sighting | null> {
  const [r] = await s.apply({ windowsMs: WINDOWS, applications: [app] });
  return r?.previous[0] ?? null;
}

const redis = new Redis(REDIS_URL, { lazyConnect: true });
const seeds = parseRedisUrl(REDIS_CLUSTER_URL);
const cluster = new Cluster(seeds.kind === 'cluster' ? seeds.nodes : [], { lazyConnect: true });
const prefix = randomId('lgtest:');
beforeAll(async () => {
  await redis.connect();
  await cluster.connect();
});
afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  for (const node of cluster.nodes('master')) for (const key of await node.keys(`${prefix}*`)) await node.del(key);
  await cluster.quit();
});

const clusterKeys = () => createKeyBuilder(`${prefix}${randomId('')}:`, { hashTags: true });
const stores: [string, () => StateStore][] = [
  ['redis', () => createRedisStateStore(redis, createKeyBuilder(`${prefix}${randomId('')}:`), { sightingTtlMs: 60_000 })],
  ['cluster', () => createRedisStateStore(cluster, clusterKeys(), { sightingTtlMs: 60_000 })],
  ['memory', () => createMemoryStateStore()],
];

describe.each(stores)('state store contract (%s)', (_name, make) => {
  it('counts exactly at window edges: (t - w, t]', async () => {
    const s = make();
    await counts(s, [add('d', 'a1', T), add('d', 'a2', T + 5 * 60_000)]);
    // At T + 10 min the first one is exactly one window old: out of the 10-minute window, in the hour.
    expect(await counts(s, [add('d', 'a3', T + 10 * 60_000)])).toEqual([[2, 3]]);
    const s2 = make();
    await counts(s2, [add('d', 'a1', T)]);
    expect(await counts(s2, [add('d', 'a3', T + 10 * 60_000 - 1)])).toEqual([[2, 2]]); // 1 ms earlier: still in
  });

  it('never counts a replayed application twice', async () => {
    const s = make();
    const batch = [add('d', 'a1', T), add('d', 'a2', T + 1000)];
    await counts(s, batch);
    expect(await counts(s, batch)).toEqual([
      [1, 1],
      [2, 2],
    ]);
  });

  it('counts distinct members (identities per device), keeping each at its latest time', async () => {
    const s = make();
    const r = await counts(s, [add('d', 'id1', T), add('d', 'id2', T + 1), add('d', 'id1', T + 2), add('d', 'id3', T + 3)]);
    expect(r.map((c) => c[0])).toEqual([1, 2, 2, 3]);
  });

  it('keeps entities apart and answers a batch in order', async () => {
    const s = make();
    expect(await counts(s, [add('d1', 'a', T), add('d2', 'b', T), add('d1', 'c', T + 1)])).toEqual([
      [1, 1],
      [1, 1],
      [2, 2],
    ]);
  });

  it('answers a batch larger than one script call in order, a hot key and a sighting per application included', async () => {
    const s = make();
    const apps = Array.from({ length: 250 }, (_, i) => ({
      ...seen(`e${i % 7}`, `big${i}`, T + i * 1000),
      counters: [
        { spec: 'device.apps', entity: `e${i % 7}`, member: `big${i}`, windowMask: 0b11 },
        { spec: 'ip.apps', entity: 'hot', member: `big${i}`, windowMask: 0b10 },
      ],
    }));
    const results = await s.apply({ windowsMs: WINDOWS, applications: apps });
    expect(results.map((r) => r.counts)).toEqual(
      apps.map((_, i) => [
        [Math.floor(i / 7) + 1, Math.floor(i / 7) + 1],
        [-1, i + 1],
      ]),
    );
    expect(results.map((r) => r.previous[0]?.app ?? null)).toEqual(apps.map((_, i) => (i < 7 ? null : `big${i - 7}`)));
  });

  it('handles several counters and sightings of one application together', async () => {
    const s = make();
    const app: ApplicationState = {
      applicationId: 'x1',
      source: 'in/0/7',
      atMs: T,
      counters: [
        { spec: 'device.apps', entity: 'd', member: 'x1', windowMask: 0b11 },
        { spec: 'ip.apps', entity: 'i', member: 'x1', windowMask: 0b10 },
      ],
      sightingTargets: [
        { kind: 'device', entity: 'd' },
        { kind: 'identity', entity: 'n' },
      ],
      sighting: { app: 'x1', at: T, lat: 1, lon: 2, acc: 1 },
    };
    const [r] = await s.apply({ windowsMs: WINDOWS, applications: [app] });
    expect(r).toEqual({
      counts: [
        [1, 1],
        [-1, 1],
      ],
      previous: [null, null],
    }); // only the windows asked for are counted
  });

  it('returns the previous sighting, idempotently under replay', async () => {
    const s = make();
    expect(await previous(s, seen('d', 'a1', T))).toBeNull();
    expect(await previous(s, seen('d', 'a2', T + H, 31.2, 121.5))).toMatchObject({ app: 'a1', at: T, lat: 39.9, lon: 116.4 });
    expect(await previous(s, seen('d', 'a2', T + H, 31.2, 121.5))).toMatchObject({ app: 'a1' }); // replay
    expect(await previous(s, seen('d', 'a0', T - H))).toMatchObject({ app: 'a2' }); // older: compared with the newest, not stored
    expect(await previous(s, seen('d', 'a3', T + 2 * H))).toMatchObject({ app: 'a2' });
  });

  it('lets the first record with an application id own it: the same record again is a replay, another record a duplicate', async () => {
    const s = make();
    const first = { ...add('d', 'dup1', T), source: 'in/3/100' };
    const [a] = await s.apply({ windowsMs: WINDOWS, applications: [first] });
    expect(a?.duplicateOf).toBeUndefined();
    const [replay, resent] = await s.apply({
      windowsMs: WINDOWS,
      applications: [first, { ...first, source: 'in/5/7', counters: [{ ...first.counters[0]!, entity: 'other' }] }],
    });
    expect(replay).toEqual(a);
    expect(resent).toEqual({ counts: [], previous: [], duplicateOf: 'in/3/100' });
    expect(await counts(s, [add('other', 'probe', T)])).toEqual([[1, 1]]); // the duplicate counted nothing
  });

  it('counts each counter over its own windows (a 30-day 多头 counter next to the default ones), idempotently', async () => {
    const s = make();
    const request = (apps: ApplicationState[]) => ({ windowsMs: WINDOWS, counterWindowsMs: { 'identity.partners': OWN }, applications: apps });
    const batch = [multi('a1', 'p1', T), multi('a2', 'p2', T + 2 * H), multi('a3', 'p1', T + 10 * D), multi('a4', 'p3', T + 31 * D)];
    const expected = [
      [
        [1, 1],
        [1, 1, 1],
      ],
      [
        [1, 1],
        [1, 2, 2],
      ], // a1 is out of the hour but in the 30-day set
      [
        [1, 1],
        [1, 1, 2],
      ], // p1 again: still two distinct partners in 30 days
      [
        [1, 1],
        [1, 1, 2],
      ], // p2 is more than 30 days old, p1 (at 10 days) 21 days
    ];
    expect((await s.apply(request(batch))).map((r) => r.counts)).toEqual(expected);
    // A replay of the newest: the same counts. (An older one would see p1 at its later time and p2
    // trimmed, as with any distinct count: a replay is a batch retried before anything newer.)
    expect((await s.apply(request(batch.slice(3)))).map((r) => r.counts)).toEqual(expected.slice(3));
  });
});

const D = 24 * H;
/** Own windows of a counter: 1 h, 24 h, 30 d (three columns next to the default two). */
const OWN = [H, D, 30 * D];
/** An application that counts itself on device `d` (default windows) and its partner on identity `n` (OWN). */
const multi = (app: string, partner: string, atMs: number): ApplicationState => ({
  applicationId: app,
  source: `in/0/${app}`,
  atMs,
  counters: [
    { spec: 'device.apps', entity: 'd', member: app, windowMask: 0b11 },
    { spec: 'identity.partners', entity: 'n', member: partner, windowMask: 0b111 },
  ],
  sightingTargets: [],
  sighting: null,
});

describe('redis specifics', () => {
  it('takes one round trip per batch on one Redis: owner keys, counting and the lost-state marker in one pipeline', async () => {
    const client = new Redis(REDIS_URL);
    let pipelines = 0;
    const pipeline = client.pipeline.bind(client);
    client.pipeline = (...args: Parameters<typeof pipeline>) => {
      pipelines += 1;
      return pipeline(...args);
    };
    try {
      const keyPrefix = `${prefix}${randomId('')}:`;
      let lost = 0;
      const s = createRedisStateStore(client, createKeyBuilder(keyPrefix), {
        sightingTtlMs: 60_000,
        marker: { onLost: () => void (lost += 1), nowMs: () => T },
      });
      const batch = Array.from({ length: 250 }, (_, i) => add(`d${i % 7}`, `m${i}`, T + i));
      const resent = { ...(batch[3] as ApplicationState), source: 'in/1/other' };
      const results = await s.apply({ windowsMs: WINDOWS, applications: [...batch, resent] });
      expect(pipelines).toBe(1);
      expect(lost).toBe(1); // a fresh prefix has no marker yet: reported once, then written
      expect(results[250]?.duplicateOf).toBe(batch[3]?.source);
      expect(results[249]?.counts[0]).toEqual([36, 36]); // d4: members 4, 11, …, 249
      pipelines = 0;
      const again = await s.apply({ windowsMs: WINDOWS, applications: batch });
      expect(pipelines).toBe(1);
      expect(lost).toBe(1);
      expect(again.map((r) => r.counts[0])).toEqual(results.slice(0, 250).map((r) => r.counts[0])); // a replay counts nothing twice
    } finally {
      client.disconnect();
    }
  });

  it('sets every key to expire after its longest window, and the data really expires', async () => {
    const keyPrefix = `${prefix}${randomId('')}:`;
    const s = createRedisStateStore(redis, createKeyBuilder(keyPrefix), { sightingTtlMs: 2000 });
    const app = { ...seen('d', 'a1', Date.now()), counters: [{ spec: 'device.apps', entity: 'd', member: 'a1', windowMask: 0b11 }] };
    await s.apply({ windowsMs: [1000, 2000], applications: [app] });
    const keys = await redis.keys(`${keyPrefix}*`);
    expect(keys.sort()).toEqual([`${keyPrefix}a:a1`, `${keyPrefix}s:device:d`, `${keyPrefix}v:device.apps:d`]);
    for (const k of keys) {
      const ttl = await redis.pttl(k);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(2000);
    }
    await new Promise((r) => setTimeout(r, 2300));
    expect(await redis.keys(`${keyPrefix}*`)).toEqual([]);
  });

  it('trims members older than the longest window, on one application in eight (by event second)', async () => {
    const keyPrefix = `${prefix}${randomId('')}:`;
    const s = createRedisStateStore(redis, createKeyBuilder(keyPrefix), { sightingTtlMs: 60_000 });
    // T + 2 h + 1 s is not a multiple of 8 s: no trim, but the stale member is not counted either.
    const [late] = await s.apply({ windowsMs: WINDOWS, applications: [add('d', 'old', T), add('d', 'late', T + 2 * H + 1000)] }).then((r) => r.slice(1));
    expect(late?.counts).toEqual([[1, 1]]);
    expect(await redis.zrange(`${keyPrefix}v:device.apps:d`, 0, -1)).toEqual(['old', 'late']);
    await s.apply({ windowsMs: WINDOWS, applications: [add('d', 'new', T + 2 * H + 8000)] });
    expect(await redis.zrange(`${keyPrefix}v:device.apps:d`, 0, -1)).toEqual(['late', 'new']);
  });

  it('keeps a counter with its own windows for its own longest one: TTL and trim; the application id for the default longest', async () => {
    const keys = createKeyBuilder(`${prefix}${randomId('')}:`);
    const s = createRedisStateStore(redis, keys, { sightingTtlMs: 60_000 });
    const request = (apps: ApplicationState[]) => ({ windowsMs: WINDOWS, counterWindowsMs: { 'identity.partners': OWN }, applications: apps });
    await s.apply(request([multi('old', 'p-old', T), multi('late', 'p-late', T + 2 * H + 1000)]));
    await s.apply(request([multi('new', 'p-new', T + 2 * H + 8000)])); // a trimming second
    expect(await redis.zrange(keys.velocity('device.apps', 'd'), 0, -1)).toEqual(['late', 'new']);
    expect(await redis.zrange(keys.velocity('identity.partners', 'n'), 0, -1)).toEqual(['p-old', 'p-late', 'p-new']);
    const ttl = async (key: string) => redis.pttl(key);
    expect(await ttl(keys.velocity('device.apps', 'd'))).toBeLessThanOrEqual(H);
    expect(await ttl(keys.velocity('identity.partners', 'n'))).toBeGreaterThan(29 * D);
    expect(await ttl(keys.application('new'))).toBeLessThanOrEqual(H);
    expect(await ttl(keys.application('new'))).toBeGreaterThan(H - 60_000);
    await redis.del(keys.velocity('identity.partners', 'n'));
  });
});

describe('redis cluster specifics', () => {
  it('computes the slot Redis computes (CLUSTER KEYSLOT), hash tags and odd braces included', async () => {
    const samples = [
      '',
      'a',
      'foo',
      '{user1000}.following',
      'foo{}{bar}',
      'foo{{bar}}zap',
      'foo{bar}{zap}',
      '{}x',
      'x{',
      '}{y}',
      '身份证{号}',
      'lg:v:identity.apps:{Zk3_9}',
    ];
    for (let i = 0; i < 200; i++) samples.push(randomId(`k${i}:`));
    for (const key of samples) expect([key, keySlot(key)]).toEqual([key, await cluster.call('CLUSTER', 'KEYSLOT', key)]);
  });

  it('keeps one entity in one slot and spreads entities over every master', async () => {
    const keys = clusterKeys();
    const s = createRedisStateStore(cluster, keys, { sightingTtlMs: 60_000 });
    const apps = Array.from({ length: 60 }, (_, i) => ({
      ...seen(`dev${i}`, `spread${i}`, T + i),
      counters: [
        { spec: 'device.apps', entity: `dev${i}`, member: `spread${i}`, windowMask: 0b11 },
        { spec: 'ip.apps', entity: 'shared-ip', member: `spread${i}`, windowMask: 0b11 },
      ],
    }));
    const results = await s.apply({ windowsMs: WINDOWS, applications: apps });
    expect(results.map((r) => r.counts[1]?.[1])).toEqual(apps.map((_, i) => i + 1)); // one hot key, in order across the batch
    expect(keySlot(keys.velocity('device.apps', 'dev7'))).toBe(keySlot(keys.sighting('device', 'dev7')));
    const perMaster = await Promise.all(
      cluster.nodes('master').map(async (node) => (await node.keys(`${keys.marker().replace(/meta:initialised$/, '')}*`)).length),
    );
    expect(perMaster).toHaveLength(3);
    for (const n of perMaster) expect(n).toBeGreaterThan(10);
  });

  it('keeps counting exactly when a slot moves to another master mid-call: the failed call is retriable, the retry lands', async () => {
    const keys = clusterKeys();
    const s = createRedisStateStore(cluster, keys, { sightingTtlMs: 60_000 });
    const key = keys.velocity('device.apps', 'moving');
    const slot = keySlot(key);
    const source = await masterOf(slot);
    // Another entity on the same master, first in the call: the call is routed there, then meets the moved key.
    let stay = 0;
    while (keySlot(keys.velocity('device.apps', `stay${stay}`)) === slot || (await masterOf(keySlot(keys.velocity('device.apps', `stay${stay}`)))) !== source)
      stay++;
    const app = (member: string, at: number): ApplicationState => ({
      applicationId: member,
      source: `in/0/${member}`,
      atMs: at,
      counters: [
        { spec: 'device.apps', entity: `stay${stay}`, member, windowMask: 0b11 },
        { spec: 'device.apps', entity: 'moving', member, windowMask: 0b11 },
      ],
      sightingTargets: [],
      sighting: null,
    });
    const request = (member: string, at: number) => ({ windowsMs: WINDOWS, applications: [app(member, at)] });
    expect((await s.apply(request('m1', T)))[0]?.counts).toEqual([
      [1, 1],
      [1, 1],
    ]);

    const moved = await moveSlot(slot);
    try {
      let result: ApplicationStateResult[] | undefined;
      const errors: string[] = [];
      for (let i = 0; i < 20 && !result; i++) {
        result = await s.apply(request('m2', T + 1)).catch(async (err: LendguardError) => {
          errors.push(err.code);
          await new Promise((r) => setTimeout(r, 200));
          return undefined;
        });
      }
      expect(errors.length).toBeGreaterThan(0); // the stale call really failed
      expect(new Set(errors)).toEqual(new Set(['REDIS_UNAVAILABLE']));
      const twice = [
        [2, 2],
        [2, 2],
      ];
      expect(result?.[0]?.counts).toEqual(twice); // the half-applied call counted nothing twice
      expect((await s.apply(request('m2', T + 1)))[0]?.counts).toEqual(twice);
      expect(await moved.target.exists(key)).toBe(1);
    } finally {
      await moveSlot(slot, source);
    }
  });
});

async function masterOf(slot: number): Promise<Redis> {
  for (const m of cluster.nodes('master')) if (await ownsSlot(m, slot)) return m;
  throw new Error(`no master owns slot ${slot}`);
}

/** Moves a slot (and its keys) to another master, as a reshard does; `to` picks the master. */
async function moveSlot(slot: number, to?: Redis): Promise<{ source: Redis; target: Redis }> {
  const masters = cluster.nodes('master');
  const ids = new Map<Redis, string>();
  for (const m of masters) ids.set(m, String(await m.call('CLUSTER', 'MYID')));
  const source = await masterOf(slot);
  const target = to ?? masters.find((m) => m !== source);
  if (!target) throw new Error('the cluster has a single master: nowhere to move a slot');
  const { host, port } = target.options;
  await target.call('CLUSTER', 'SETSLOT', slot, 'IMPORTING', ids.get(source) as string);
  await source.call('CLUSTER', 'SETSLOT', slot, 'MIGRATING', ids.get(target) as string);
  for (;;) {
    const inSlot = (await source.call('CLUSTER', 'GETKEYSINSLOT', slot, 100)) as string[];
    if (inSlot.length === 0) break;
    await source.call('MIGRATE', host as string, port as number, '', 0, 5000, 'KEYS', ...inSlot);
  }
  for (const m of masters) await m.call('CLUSTER', 'SETSLOT', slot, 'NODE', ids.get(target) as string);
  return { source, target };
}

async function ownsSlot(node: Redis, slot: number): Promise<boolean> {
  const id = String(await node.call('CLUSTER', 'MYID'));
  const ranges = (await node.call('CLUSTER', 'SLOTS')) as [number, number, [string, number, string]][];
  return ranges.some(([from, to, master]) => slot >= from && slot <= to && master[2] === id);
}
