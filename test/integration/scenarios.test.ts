import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawApplication } from '../../src/domain/application.js';
import type { Assessment } from '../../src/domain/assessment.js';
import type { Processor } from '../../src/main.js';
import { startInProcess, testSetup } from '../helpers/processor.js';
import { collect, produceRaw } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * Fraud scenarios through the real broker and Redis, on one partition so the order is known:
 * a device farm, a data-centre proxy burst, impossible travel, and clean traffic. Each scenario must
 * raise its own flags, and only those; clean traffic must raise none.
 */
// The X4BNet data-centre list shipped in data/iplists (it holds 43.136.0.0/13, Tencent Cloud).
const DATACENTER_LIST = fileURLToPath(new URL('../../data/iplists/datacenter-ipv4.txt', import.meta.url));
const T0 = Date.now() - 3 * 3600_000;
const at = (minutes: number): string => new Date(T0 + minutes * 60_000).toISOString();

describe('fraud scenarios on real Kafka and Redis', () => {
  let processor: Processor;
  let byId: Map<string, Assessment>;
  const p = `s${Date.now().toString(36)}`;
  const clean = Array.from({ length: 20 }, (_, i) => application(`${p}-clean`, i, (a) => (a.eventTime = at(i * 3))));
  const farm = Array.from({ length: 6 }, (_, k) =>
    application(`${p}-farm`, 100 + k, (a) => {
      a.device.deviceId = `farm-device-${p}`;
      a.network.ip = `123.123.200.${10 + k}`;
      a.eventTime = at(70 + k);
    }),
  );
  const burst = Array.from({ length: 8 }, (_, k) =>
    application(`${p}-burst`, 200 + k, (a) => {
      a.network.ip = '43.136.1.5'; // Tencent Cloud, Beijing
      a.eventTime = at(90 + k * 0.5);
    }),
  );
  const traveller = (k: number, patch: (a: RawApplication) => void) => application(`${p}-travel`, 300 + k, patch);
  const travel = [
    traveller(0, (a) => {
      a.applicant.nationalId = '110101198805051234';
      a.eventTime = at(120);
    }),
    traveller(1, (a) => {
      a.applicant.nationalId = '110101198805051234';
      a.device.deviceId = `travel-second-device-${p}`;
      a.network.ip = '110.152.1.1'; // Urumqi, 2,400 km from Beijing, 20 minutes later
      a.device.gps = { lat: 43.8, lon: 87.6, accuracyM: 30 };
      a.eventTime = at(140);
    }),
  ];

  beforeAll(async () => {
    const setup = await testSetup({ partitions: 1, extraEnv: { LENDGUARD_IP_LIST_DATACENTER: DATACENTER_LIST } });
    processor = await startInProcess(setup.config);
    const all = [...clean, ...farm, ...burst, ...travel];
    await produceRaw(setup.topics.applications, all.map(asMessage));
    const records = await collect(setup.topics.assessments, { count: all.length, readCommitted: true, timeoutMs: 60_000 });
    byId = new Map(records.map((r) => JSON.parse(String(r.value)) as Assessment).map((a) => [a.applicationId, a]));
  });
  afterAll(() => processor?.close());

  const codes = (a: RawApplication): string[] => byId.get(a.applicationId)?.flags.map((f) => f.code) ?? ['<missing>'];

  it('clean traffic raises no flag at all', () => {
    for (const a of clean) expect(codes(a), a.applicationId).toEqual([]);
    expect(byId.get(clean[0]?.applicationId as string)?.level).toBe('low');
  });

  it('a device farm: identity cycling from the 2nd application, many identities and phones from the 4th, velocity, the weekly limit and the graph at the 6th', () => {
    expect(codes(farm[0] as RawApplication)).toEqual([]);
    expect(codes(farm[1] as RawApplication)).toEqual(['DEVICE_IDENTITY_CYCLING']);
    // From four identities on one device the graph also sees a ring.
    expect(codes(farm[3] as RawApplication)).toEqual([
      'DEVICE_MANY_IDENTITIES',
      'DEVICE_IDENTITY_CYCLING',
      'DEVICE_MANY_PHONES',
      'RING_MEMBER',
      'CYCLING_ON_TAMPERED_DEVICE',
    ]);
    expect(codes(farm[5] as RawApplication)).toEqual([
      'DEVICE_MANY_IDENTITIES',
      'DEVICE_IDENTITY_CYCLING',
      'DEVICE_MANY_IDENTITIES_7D',
      'DEVICE_MANY_PHONES',
      'DEVICE_VELOCITY',
      'RING_MEMBER',
      'GRAPH_SHARED_WITH_MANY',
      'CYCLING_ON_TAMPERED_DEVICE',
      'RING_WITH_SHARED_PAYOUT',
    ]);
    const last = byId.get(farm[5]?.applicationId as string);
    expect(last?.level).toBe('critical');
    expect(last?.flags[0]?.reason).toMatch(/used by 6 identities in 24h \(limit 3\)/);
    expect(last?.flags[0]?.evidence['device.identities.24h']).toBe(6);
    // The graph binds the farm by its device: one ring of six identities.
    expect(last?.ring).toMatchObject({ size: 6, identities: 6 });
    expect(last?.ring?.binders[0]).toMatchObject({ kind: 'device', members: 6 });
  });

  it('a proxy burst from a data-centre IP: every one flagged as data-centre, many identities (and so an alert) from the 6th', () => {
    for (const a of burst.slice(0, 5)) expect(codes(a), a.applicationId).toEqual(['IP_DATACENTER']);
    for (const a of burst.slice(5)) expect(codes(a), a.applicationId).toEqual(['IP_MANY_IDENTITIES', 'IP_DATACENTER', 'HOSTING_AND_HIDING']);
    expect(byId.get(burst[5]?.applicationId as string)).toMatchObject({ alert: true, level: 'high' });
    const last = byId.get(burst[7]?.applicationId as string);
    expect(last?.enrichment['ip.datacenter']).toBe(true);
    expect(last?.flags[0]?.reason).toMatch(/used by 8 identities in 1h/);
  });

  it('impossible travel: Beijing, then Urumqi 20 minutes later on another device with another phone', () => {
    expect(codes(travel[0] as RawApplication)).toEqual([]);
    expect(codes(travel[1] as RawApplication)).toEqual(['IDENTITY_TAKEOVER_SIGNS', 'GEO_REGION_MISMATCH', 'TRAVEL_IDENTITY_IMPOSSIBLE', 'TAKEOVER_TRAVEL']);
    const flag = byId.get(travel[1]?.applicationId as string)?.flags.find((f) => f.code === 'TRAVEL_IDENTITY_IMPOSSIBLE');
    expect(Number(flag?.evidence['travel.identity.speedKmh'])).toBeGreaterThan(5000);
  });

  it('carries the geo data build date and the rules version on every assessment', () => {
    for (const a of byId.values()) {
      expect(a.enrichment['ip.geoBuildDate']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(a.rulesVersion).toMatch(/\+[0-9a-f]{8}$/);
    }
  });
});
