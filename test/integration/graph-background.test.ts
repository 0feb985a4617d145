import { afterAll, describe, expect, it } from 'vitest';
import type { RawApplication } from '../../src/domain/application.js';
import type { Assessment } from '../../src/domain/assessment.js';
import { httpGet, spawnProcessor, testSetup, type ChildProcessor } from '../helpers/processor.js';
import { collect, produceRaw } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * A background shaped like real lending traffic, on the real broker and Redis: households sharing an
 * address, a router and a tablet; applicants listing each other's phones (one giant connected component);
 * a shop everyone lists; offices behind one NAT; a carrier-NAT IP shared by hundreds. None of it is a ring,
 * and the graph's work per application stays bounded (read off /metrics, not timed). A mule-account ring
 * mixed in is still found.
 */
const DAY = 86_400_000;
const metric = (text: string, name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);

/** A deterministic pseudo-random stream, so the background is the same on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function background(prefix: string, n: number, startMs: number): RawApplication[] {
  const r = rng(7);
  const phone = (i: number): string => `+86139${String(10_000_000 + i).slice(-8)}`;
  const apps: RawApplication[] = [];
  let household = 0;
  let left = 0;
  for (let i = 0; i < n; i++) {
    if (left === 0) {
      household = i;
      left = 1 + Math.floor(r() * 4); // 1–4 people
    }
    left--;
    const home = household;
    apps.push(
      application(prefix, i, (a) => {
        a.eventTime = new Date(startMs + Math.floor((i * 6 * DAY) / n)).toISOString();
        a.applicant.address = `Room ${home}, 8 Wangjing Street, Chaoyang District, Beijing`;
        a.network.ip = r() < 0.7 ? `123.123.${(home >> 8) & 255}.${home & 255}` : r() < 0.5 ? '123.123.250.1' : `123.123.${200 + (i % 20)}.9`;
        if (home !== i && r() < 0.3) a.device.deviceId = `dev-${prefix}-${home}`; // the family tablet
        if (i % 25 < 20) a.applicant.employer = `Office ${i % 10} Ltd`;
        const friends = i > 10 ? [phone(Math.floor(r() * i)), phone(Math.floor(r() * i))] : [];
        const family = home !== i ? [phone(home)] : [];
        a.applicant.contacts = [...family, ...friends, ...(r() < 0.05 ? ['+8613800138000'] : [])];
        a.applicant.phone = phone(i);
      }),
    );
  }
  return apps;
}

describe('identity graph on a realistic background', () => {
  const children: ChildProcessor[] = [];
  afterAll(() => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGTERM');
  });

  it(
    'forms no ring from families, offices, NAT, a popular contact and a giant contact component, with bounded work; finds the mule ring',
    { timeout: 180_000 },
    async () => {
      const setup = await testSetup({ partitions: 3 });
      const proc = await spawnProcessor(setup.env);
      children.push(proc);
      const start = Date.now() - 6 * DAY - 60_000;
      const legit = background(`${setup.id}-bg`, 1200, start);
      // Six strangers paying into one mule account, camouflaged with everything else their own.
      const ring = Array.from({ length: 6 }, (_, k) =>
        application(`${setup.id}-ring`, 5000 + k, (a) => {
          a.applicant.bankAccount = '6222020200999888777';
          a.eventTime = new Date(Date.now() - 60_000 + k * 5000).toISOString();
        }),
      );
      const all = [...legit, ...ring];
      for (let i = 0; i < all.length; i += 100) await produceRaw(setup.topics.applications, all.slice(i, i + 100).map(asMessage));

      const assessed = (await collect(setup.topics.assessments, { count: all.length, readCommitted: true, timeoutMs: 120_000 })).map(
        (r) => JSON.parse(String(r.value)) as Assessment,
      );
      expect(assessed).toHaveLength(all.length);
      const byId = new Map(assessed.map((a) => [a.applicationId, a]));

      // The background: linked, but never a ring or a burst.
      const legitIds = new Set(legit.map((a) => a.applicationId));
      const flagged = assessed.filter((a) => legitIds.has(a.applicationId) && a.flags.some((f) => f.code === 'RING_MEMBER' || f.code === 'GRAPH_BURST'));
      expect(flagged.map((a) => a.applicationId)).toEqual([]);
      const linked = assessed.filter((a) => legitIds.has(a.applicationId) && Number(a.features['graph.linkedApps'] ?? 0) > 0).length;
      expect(linked).toBeGreaterThan(legit.length * 0.8); // it really is one linked background

      // The ring: its members are flagged from the fourth identity on (partitions run in parallel, so which
      // member comes fourth varies); the ring alert names the members so far, so every member is flagged
      // by its own assessment or by the alert, and nobody else is.
      const ringFlagged = ring.filter((a) => byId.get(a.applicationId)?.flags.some((f) => f.code === 'RING_MEMBER')).map((a) => a.applicationId);
      expect(ringFlagged.length).toBeGreaterThanOrEqual(2);
      const alerts = (await collect(setup.topics.alerts, { readCommitted: true, idleMs: 2000 })).map(
        (r) => JSON.parse(String(r.value)) as { alertType: string; ring?: { members: string[] } },
      );
      const named = alerts.filter((a) => a.alertType === 'ring').flatMap((a) => a.ring?.members ?? []);
      expect(named.length).toBeGreaterThanOrEqual(4);
      expect([...new Set([...named, ...ringFlagged])].sort()).toEqual(ring.map((a) => a.applicationId).sort());

      // Work: the most member entries read for any one application is bounded by the hub limits, not by the
      // 1,200-application component (the shop and the NAT IPs are hubs, never read past their limits).
      const metrics = (await httpGet(proc.port, '/metrics')).body;
      const max = metric(metrics, 'lendguard_graph_work_max_entries');
      const total = metric(metrics, 'lendguard_graph_work_entries');
      expect(max).toBeGreaterThan(0);
      expect(max).toBeLessThanOrEqual(120);
      expect(total / all.length).toBeLessThan(60);
    },
  );
});
