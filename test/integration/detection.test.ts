import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawApplication } from '../../src/domain/application.js';
import type { Assessment } from '../../src/domain/assessment.js';
import type { Processor } from '../../src/main.js';
import { detectionScenarios } from '../helpers/detection-scenarios.js';
import { startInProcess, testSetup } from '../helpers/processor.js';
import { collect, produceRaw } from '../helpers/services.js';
import { asMessage } from '../helpers/traffic.js';

/**
 * The patterns the default configuration must alert on, through the real broker and Redis with the shipped data
 * (ASN database, hosting-ASN classification, data-centre and VPN lists, all on by default) and the default rules:
 * an account takeover from abroad, a 多头 probe with fresh phones and cards, and scripted or headless browsers from
 * mainland Alibaba Cloud. A legitimate traveller abroad must stay below the alert level.
 */
describe('detection out of the box on real Kafka and Redis', () => {
  let processor: Processor;
  let byId: Map<string, Assessment>;
  const s = detectionScenarios(`d${Date.now().toString(36)}`, Date.now() - 3 * 3600_000);
  // The traveller's home application is three days before the rest; the topic is read in this order.
  const all = [s.traveller[0], ...s.takeover, ...s.probe, ...s.cloudBot, s.traveller[1]] as RawApplication[];

  beforeAll(async () => {
    const setup = await testSetup({ partitions: 1 });
    processor = await startInProcess(setup.config);
    // Its record is as old as it is (the partner produced it then): an application counts in the windows no more
    // than an hour before its record (processing.eventTime.maxLatenessMs).
    const stamped = (a: RawApplication) =>
      Date.parse(a.eventTime) < Date.now() - 86_400_000 ? { ...asMessage(a), timestamp: String(Date.parse(a.eventTime)) } : asMessage(a);
    await produceRaw(setup.topics.applications, all.map(stamped));
    const records = await collect(setup.topics.assessments, { count: all.length, readCommitted: true, timeoutMs: 60_000 });
    byId = new Map(records.map((r) => JSON.parse(String(r.value)) as Assessment).map((a) => [a.applicationId, a]));
  });
  afterAll(() => processor?.close());

  const get = (a: RawApplication | undefined): Assessment => {
    const found = byId.get(a?.applicationId ?? '');
    if (!found) throw new Error(`no assessment for ${a?.applicationId}`);
    return found;
  };
  const codes = (a: RawApplication | undefined): string[] => get(a).flags.map((f) => f.code);

  it('an account takeover from abroad, 15 minutes after the customer applied at home, alerts with the combination that explains it', () => {
    expect(get(s.takeover[0]).alert).toBe(false);
    const ato = get(s.takeover[1]);
    expect(ato).toMatchObject({ alert: true, level: 'critical' });
    expect(codes(s.takeover[1])).toEqual(
      expect.arrayContaining(['TRAVEL_IDENTITY_IMPOSSIBLE', 'IP_OUTSIDE_SERVICE_AREA', 'GEO_COUNTRY_MISMATCH', 'IDENTITY_TAKEOVER_SIGNS', 'TAKEOVER_TRAVEL']),
    );
    expect(ato.enrichment['ip.country']).toBe('JP');
    expect(ato.flags.find((f) => f.code === 'TAKEOVER_TRAVEL')?.reason).toMatch(/^impossible travel together with TRAVEL_IDENTITY_IMPOSSIBLE,/);
  });

  it('a 多头 probe: silent on the first partner, alerted from the second partner with a fresh phone and card', () => {
    expect(get(s.probe[0]).alert).toBe(false);
    expect(codes(s.probe[1])).toEqual(['MULTI_LENDER_NEW_BANK', 'MULTI_LENDER_NEW_PHONE', 'MULTI_LENDER_FRESH_CREDENTIALS']);
    expect(get(s.probe[1])).toMatchObject({ alert: true, level: 'high' });
    for (const a of s.probe.slice(2)) {
      expect(get(a)).toMatchObject({ alert: true, level: 'critical' });
      expect(codes(a)).toEqual(expect.arrayContaining(['MULTI_LENDER_PARTNERS_1H', 'MULTI_LENDER_PROBE']));
    }
    expect(get(s.probe[3]).features['identity.partners.1h']).toBe(4);
  });

  it('a python-requests script and a headless Chrome from mainland Alibaba Cloud (AS37963) alert as automation from hosting', () => {
    for (const a of s.cloudBot) {
      const got = get(a);
      expect(got).toMatchObject({ alert: true, level: 'critical' });
      expect(got.enrichment).toMatchObject({ 'ip.asn': 37963, 'ip.hosting': true, 'ip.datacenter': true, 'ip.country': 'CN' });
      expect(codes(a)).toEqual(expect.arrayContaining(['IP_DATACENTER', 'DEVICE_BOT', 'AUTOMATION_FROM_HOSTING']));
    }
    expect(get(s.cloudBot[0]).flags.find((f) => f.code === 'IP_DATACENTER')?.reason).toMatch(/\(AS37963 /);
  });

  it('a legitimate traveller in Tokyo (device on Tokyo time, home application days ago) stays below the alert level', () => {
    const trip = get(s.traveller[1]);
    expect(trip.enrichment['ip.country']).toBe('JP');
    expect(trip.alert).toBe(false);
    expect(trip.level).toBe('low');
    expect(codes(s.traveller[1])).toEqual(['IP_OUTSIDE_SERVICE_AREA', 'GEO_COUNTRY_MISMATCH']);
  });
});
