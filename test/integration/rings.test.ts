import { afterAll, describe, expect, it } from 'vitest';
import type { RawApplication } from '../../src/domain/application.js';
import type { Assessment } from '../../src/domain/assessment.js';
import { spawnProcessor, testSetup, waitFor, type ChildProcessor } from '../helpers/processor.js';
import { collect, produceRaw } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * Fraud rings on real Kafka and Redis with two processor instances in one group: ring members land
 * on different partitions (and so on different instances), each instance keeps a replica of the
 * global graph from fraud.graph-links, and the ring is still found and reported once. Clean
 * applicants behind one shared IP are not a ring. A confirmed-fraud label raises the risk of what
 * is linked to it.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('fraud rings across two instances', () => {
  const children: ChildProcessor[] = [];
  afterAll(() => {
    for (const c of children) if (c.child.exitCode === null) c.child.kill('SIGTERM');
  });

  it('finds a ring whose members are on different partitions, ignores a hub IP, and propagates a fraud label', { timeout: 180_000 }, async () => {
    const setup = await testSetup({ partitions: 4 });
    children.push(await spawnProcessor(setup.env), await spawnProcessor(setup.env));
    const p = setup.id;

    // Eight applicants, two shared devices and one shared (mule) bank account; camouflaged with
    // their own phones, e-mails, addresses, employers and ordinary IPs.
    const ring: RawApplication[] = Array.from({ length: 8 }, (_, k) =>
      application(`${p}-ring`, 500 + k, (a) => {
        a.device.deviceId = `ring-device-${p}-${k % 2}`;
        a.applicant.bankAccount = '6222020200999888777';
      }),
    );
    // Thirty clean applicants behind one carrier-NAT IP.
    const hub = Array.from({ length: 30 }, (_, k) => application(`${p}-hub`, 700 + k, (a) => (a.network.ip = '123.123.250.1')));
    for (const a of hub) await produceRaw(setup.topics.applications, [asMessage(a)]);
    for (const a of ring) {
      await produceRaw(setup.topics.applications, [asMessage(a)]);
      await sleep(300); // let each instance's replica see the other's links
    }
    const partitionsUsed = new Set(
      (await collect(setup.topics.applications, { count: 38, timeoutMs: 30_000 })).filter((r) => r.key?.includes('-ring-')).map((r) => r.partition),
    );
    expect(partitionsUsed.size).toBeGreaterThan(1); // the ring really spans partitions

    const assessments = async (count: number) =>
      new Map(
        (await collect(setup.topics.assessments, { count, readCommitted: true, timeoutMs: 60_000 }))
          .map((r) => JSON.parse(String(r.value)) as Assessment)
          .map((a) => [a.applicationId, a]),
      );
    const byId = await assessments(38);

    // The ring: found, and the last member's assessment names it and its binders.
    const last = byId.get(ring[7]?.applicationId as string);
    expect(last?.ring).toMatchObject({ size: 8, identities: 8 });
    expect(last?.ring?.binders.map((b) => b.kind)).toEqual(expect.arrayContaining(['bankAccount', 'device']));
    expect(last?.flags.map((f) => f.code)).toContain('RING_MEMBER');
    const ringId = last?.ring?.id as string;

    // Reported once when it formed (and then only on real growth), by whichever instance saw it.
    const alerts = (await collect(setup.topics.alerts, { readCommitted: true, idleMs: 2000 })).map(
      (r) => JSON.parse(String(r.value)) as { alertType: string; ringId?: string; event?: string; ring?: { size: number } },
    );
    const ringAlerts = alerts.filter((a) => a.alertType === 'ring' && a.ringId === ringId);
    expect(ringAlerts.filter((a) => a.event === 'formed')).toHaveLength(1);
    expect(ringAlerts.length).toBeLessThanOrEqual(3);

    // The hub: no ring, no ring flag, for any of the thirty.
    for (const a of hub) {
      const got = byId.get(a.applicationId);
      expect(got?.ring, a.applicationId).toBeNull();
      expect(got?.flags.map((f) => f.code)).not.toContain('RING_MEMBER');
    }
    expect(alerts.filter((a) => a.alertType === 'ring' && a.ringId?.includes('-hub-'))).toEqual([]);

    // A confirmed-fraud label on one member raises the risk of a new applicant using its device.
    await produceRaw(setup.topics.labels, [
      {
        key: ring[0]?.applicationId,
        value: JSON.stringify({ applicationId: ring[0]?.applicationId, label: 'fraud', at: new Date().toISOString(), by: 'analyst-1' }),
      },
    ]);
    await sleep(2000); // both replicas read the label
    const newcomer = application(`${p}-new`, 900, (a) => (a.device.deviceId = `ring-device-${p}-0`));
    await produceRaw(setup.topics.applications, [asMessage(newcomer)]);
    await waitFor(
      async () => (await assessments(39)).has(newcomer.applicationId),
      30_000,
      () => 'newcomer not assessed',
    );
    const assessed = (await assessments(39)).get(newcomer.applicationId);
    const flag = assessed?.flags.find((f) => f.code === 'GRAPH_KNOWN_FRAUD_NEARBY');
    expect(flag?.reason).toMatch(/linked to [1-9]\d* confirmed-fraud application/);
    expect(assessed?.score).toBeGreaterThanOrEqual(60);
  });
});
