import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assessment } from '../../src/domain/assessment.js';
import type { Processor } from '../../src/main.js';
import { httpGet, startInProcess, testSetup, type TestSetup } from '../helpers/processor.js';
import { collect, countByKey, produceRaw, type RawMessage } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';

/**
 * End to end on the real broker and Redis: a mix of good and bad records goes in; every record is
 * accounted for (exactly one committed assessment, or a dead letter with its reason and provenance).
 */
describe('pipeline: good and bad input, all accounted for', () => {
  let setup: TestSetup;
  let processor: Processor;

  beforeAll(async () => {
    setup = await testSetup({ partitions: 3 });
    processor = await startInProcess(setup.config);
  });
  afterAll(async () => {
    await processor?.close();
  });

  it('assesses every valid application once and dead-letters every bad record with its reason', async () => {
    const p = setup.id;
    // The 66 applications share 123.123.0.0/24, so SUBNET_BURST (over 30 in 10 min) fires for those
    // processed late; partitions run in parallel, so which ones is not fixed. The application
    // checked as clean gets a /24 of its own (still Beijing, like its declared region and GPS).
    const good = Array.from({ length: 60 }, (_, i) => application(p, i, i === 0 ? (a) => (a.network.ip = '123.123.200.1') : undefined));
    // A device farm: one device, six identities. One event time for all six: windows count by event
    // time, and partitions are processed in parallel, so the last one processed sees all six only
    // if none of the others is later than it.
    const farmAt = new Date(Date.now() - 1000).toISOString();
    const farm = Array.from({ length: 6 }, (_, i) =>
      application(p, 100 + i, (a) => {
        a.eventTime = farmAt;
        a.device.deviceId = `farm-${p}`;
        a.device.emulator = true;
      }),
    );
    const valid = [...good, ...farm];
    const bad: { msg: RawMessage; code: string }[] = [
      { msg: { key: `${p}-bad-json`, value: '{"schemaVersion":1,' }, code: 'INVALID_JSON' },
      { msg: { key: `${p}-bad-null`, value: null }, code: 'EMPTY_VALUE' },
      { msg: { key: `${p}-bad-version`, value: JSON.stringify({ ...application(p, 900), schemaVersion: 7 }) }, code: 'UNSUPPORTED_SCHEMA_VERSION' },
      { msg: { key: `${p}-bad-missing`, value: JSON.stringify({ ...application(p, 901), device: undefined }) }, code: 'SCHEMA_VIOLATION' },
      { msg: { key: `${p}-bad-ip`, value: JSON.stringify(application(p, 902, (a) => (a.network.ip = '10.0.0.300'))) }, code: 'INVALID_IP' },
      { msg: { key: `${p}-bad-big`, value: JSON.stringify({ ...application(p, 903), padding: 'x'.repeat(70_000) }) }, code: 'OVERSIZED_RECORD' },
      { msg: { key: `${p}-bad-field`, value: JSON.stringify(application(p, 904, (a) => (a.applicant.phone = '1'))) }, code: 'SCHEMA_VIOLATION' },
      { msg: { key: `${p}-bad-utf8`, value: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]) }, code: 'INVALID_ENCODING' },
    ];
    // Interleave bad records among the good ones.
    const messages: RawMessage[] = valid.map(asMessage);
    bad.forEach((b, i) => messages.splice(i * 8 + 3, 0, b.msg));
    await produceRaw(setup.topics.applications, messages);

    const assessments = await collect(setup.topics.assessments, { count: valid.length, readCommitted: true, timeoutMs: 45_000 });
    const dlq = await collect(setup.topics.dlq, { count: bad.length, readCommitted: true, timeoutMs: 20_000 });
    // Nothing more arrives afterwards: no duplicates.
    const all = await collect(setup.topics.assessments, { readCommitted: true, idleMs: 2000 });
    expect(all).toHaveLength(valid.length);
    const counts = countByKey(all);
    for (const a of valid) expect(counts.get(a.applicationId), a.applicationId).toBe(1);
    expect(assessments).toHaveLength(valid.length);

    // Every bad record is in the DLQ with the original bytes, a code, a message and the source.
    const byKey = new Map(dlq.map((r) => [r.key, r]));
    for (const b of bad) {
      const r = byKey.get(b.msg.key as string);
      expect(r, b.msg.key as string).toBeDefined();
      expect(r?.headers['dlq.error.code']).toBe(b.code);
      expect(String(r?.headers['dlq.error.message']).length).toBeGreaterThan(10);
      expect(r?.headers['dlq.source.topic']).toBe(setup.topics.applications);
      expect(Number(r?.headers['dlq.source.offset'])).toBeGreaterThanOrEqual(0);
      const original = b.msg.value === null ? Buffer.alloc(0) : Buffer.from(b.msg.value);
      // An oversized record keeps its first processing.maxRecordBytes, and says so.
      const kept = b.code === 'OVERSIZED_RECORD' ? original.subarray(0, 65536) : original;
      expect(Buffer.compare(r?.value ?? Buffer.alloc(0), kept)).toBe(0);
      if (b.code === 'OVERSIZED_RECORD') expect([r?.headers['dlq.value.truncated'], Number(r?.headers['dlq.value.bytes'])]).toEqual(['true', original.length]);
    }

    // The farm is flagged and alerted; its assessments name the evidence.
    const parsed = all.map((r) => JSON.parse(String(r.value)) as Assessment);
    // Partitions are processed in turn, so the farm application processed last has seen all six identities.
    const farmIds = new Set(farm.map((a) => a.applicationId));
    const farmAssessments = parsed.filter((a) => farmIds.has(a.applicationId));
    const peak = farmAssessments.reduce((best, a) => (Number(a.features['device.identities.24h']) > Number(best.features['device.identities.24h']) ? a : best));
    expect(peak.features['device.identities.24h']).toBe(6);
    expect(peak.flags.map((f) => f.code)).toEqual(expect.arrayContaining(['DEVICE_MANY_IDENTITIES', 'DEVICE_EMULATOR']));
    expect(peak.flags.find((f) => f.code === 'DEVICE_MANY_IDENTITIES')?.reason).toMatch(/used by 6 identities in 24h \(limit 3\)/);
    const clean = parsed.find((a) => a.applicationId === good[0]?.applicationId);
    expect(clean).toMatchObject({ level: 'low', score: 0, flags: [] });
    expect(clean?.latency.sinceRecordMs).toBeGreaterThanOrEqual(0);
    expect(clean?.rulesVersion).toMatch(/^\d{4}-\d{2}-\d{2}\.\d+\+[0-9a-f]{8}$/);

    // No raw identifier appears on any output topic.
    const outputText = all.map((r) => String(r.value)).join('\n');
    for (const a of valid.slice(0, 10)) {
      for (const raw of [a.applicant.nationalId, a.applicant.phone, a.device.deviceId, a.applicant.bankAccount as string, a.network.ip]) {
        expect(outputText).not.toContain(`"${raw}"`);
      }
    }

    // Metrics and readiness over HTTP.
    const port = processor.httpPort() as number;
    expect((await httpGet(port, '/readyz')).status).toBe(200);
    const metrics = (await httpGet(port, '/metrics')).body;
    expect(metrics).toMatch(/lendguard_dead_lettered_total\{code="INVALID_JSON"\} 1/);
    expect(metrics).toMatch(
      new RegExp(`lendguard_records_in_total\\{topic="${setup.topics.applications.replace(/\./g, '\\.')}"\\} ${valid.length + bad.length}`),
    );
    expect(metrics).toMatch(/lendguard_assessment_latency_seconds_count \d+/);
    expect(metrics).toMatch(/lendguard_consumer_lag\{/);
    expect(metrics).toMatch(/lendguard_heap_used_ratio 0\.\d+/);
    const health = JSON.parse((await httpGet(port, '/healthz')).body) as {
      details: { memory: { heapUsedMiB: number; heapLimitMiB: number; graphApplications: number; graphRings: number } };
    };
    expect(health.details.memory.heapLimitMiB).toBeGreaterThan(health.details.memory.heapUsedMiB);
    expect(health.details.memory.graphApplications).toBeGreaterThanOrEqual(0); // refreshed every 30 s
    expect(health.details.memory.graphRings).toBeGreaterThanOrEqual(0);
  });

  it('sends high-risk assessments, and a ring alert once per ring change, to the alerts topic', async () => {
    const alerts = (await collect(setup.topics.alerts, { readCommitted: true, idleMs: 1500 })).map((r) => ({
      key: r.key,
      value: JSON.parse(String(r.value)) as Record<string, unknown>,
    }));
    const applications = alerts.filter((a) => a.value.alertType === 'application');
    expect(applications.length).toBeGreaterThan(0);
    for (const { value } of applications) expect(['high', 'critical']).toContain(value.level);
    // The six emulators on one device form one ring: it is reported once when it forms, not once per member.
    const rings = alerts.filter((a) => a.value.alertType === 'ring');
    expect(rings.length).toBeGreaterThan(0);
    expect(new Set(rings.map((r) => `${String(r.key)}|${String(r.value.event)}|${JSON.stringify((r.value.ring as { size: number }).size)}`)).size).toBe(
      rings.length,
    );
    for (const { key, value } of rings) {
      expect(key).toBe(value.ringId);
      expect(value).toMatchObject({
        event: expect.stringMatching(/^(formed|grew|touched-known-fraud)$/),
        ring: { binders: expect.any(Array), members: expect.any(Array) },
      });
    }
  });
});
