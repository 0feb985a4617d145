import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/domain/alert.js';
import type { Processor } from '../../src/main.js';
import { startInProcess, testSetup, type TestSetup } from '../helpers/processor.js';
import { collect, produceRaw, type CollectedRecord, type RawMessage } from '../helpers/services.js';
import { application, asMessage } from '../helpers/traffic.js';
import { violations, type Contract } from '../helpers/contract-validators.js';

/**
 * The output contracts (contracts/*.schema.json) against what a processor on the real broker and Redis commits:
 * clean applicants, a device farm, a ring on two devices and a mule account, and bad records. Every record on
 * the assessments, alerts, graph-links and dead-letter topics, read committed, conforms to its schema.
 */
describe('output contracts on the real broker', () => {
  let setup: TestSetup;
  let processor: Processor;

  beforeAll(async () => {
    setup = await testSetup({ partitions: 3 });
    processor = await startInProcess(setup.config);
  });
  afterAll(async () => {
    await processor?.close();
  });

  it('every committed assessment, alert, link record and dead letter conforms to its contract', { timeout: 120_000 }, async () => {
    const p = setup.id;
    const clean = Array.from({ length: 20 }, (_, i) => application(p, i, i % 2 === 0 ? (a) => delete a.partnerId : undefined));
    const farm = Array.from({ length: 6 }, (_, i) =>
      application(p, 100 + i, (a) => {
        a.device.deviceId = `farm-${p}`;
        a.device.emulator = true;
      }),
    );
    const ring = Array.from({ length: 8 }, (_, i) =>
      application(p, 200 + i, (a) => {
        a.device.deviceId = `ring-${p}-${i % 2}`;
        a.applicant.bankAccount = '6222020200999888777';
      }),
    );
    const valid = [...clean, ...farm, ...ring];
    const bad: RawMessage[] = [
      { key: `${p}-bad-json`, value: '{"schemaVersion":1,' },
      { key: `${p}-bad-null`, value: null },
      { key: `${p}-bad-missing`, value: JSON.stringify({ ...application(p, 900), device: undefined }) },
      { key: `${p}-bad-big`, value: JSON.stringify({ ...application(p, 901), padding: 'x'.repeat(70_000) }) },
      { key: `${p}-bad-utf8`, value: Buffer.from([0x7b, 0xc3, 0x28, 0x7d]) },
    ];
    const messages = valid.map(asMessage);
    bad.forEach((b, i) => messages.splice(i * 6 + 2, 0, b));
    await produceRaw(setup.topics.applications, messages);
    // A resend of an application already sent: a duplicate, dead-lettered once the first is assessed.
    await produceRaw(setup.topics.applications, [asMessage(clean[1] as (typeof clean)[number])]);

    const committed = { readCommitted: true, timeoutMs: 60_000 };
    const assessments = await collect(setup.topics.assessments, { ...committed, count: valid.length });
    const links = await collect(setup.topics.graphLinks, { ...committed, count: valid.length });
    const dlq = await collect(setup.topics.dlq, { ...committed, count: bad.length + 1 });
    const alerts = await collect(setup.topics.alerts, { readCommitted: true, idleMs: 2000 });

    const json = (r: CollectedRecord): unknown => JSON.parse(String(r.value));
    const check = (name: Contract, records: readonly CollectedRecord[], read: (r: CollectedRecord) => unknown) =>
      violations(
        name,
        records.map((r) => ({ what: `${String(r.key)}@${r.partition}/${r.offset}`, value: read(r) })),
      );
    const found = [
      ...check('assessment', assessments, json),
      ...check('alert', alerts, json),
      ...check('graph-link', links, json),
      ...check('dead-letter', dlq, (r) => r.headers),
    ];
    expect(found).toEqual([]);

    // What was validated covers the cases: both alert types, every dead-letter code sent, a link record per application.
    const parsed = alerts.map((r) => json(r) as Alert);
    expect(parsed.filter((a) => a.alertType === 'application').length).toBeGreaterThan(0);
    const ringAlerts = parsed.filter((a) => a.alertType === 'ring');
    expect(ringAlerts.length).toBeGreaterThan(0);
    expect(ringAlerts.map((a) => a.event)).toContain('formed');
    const codes = new Set(dlq.map((r) => r.headers['dlq.error.code']));
    expect(codes).toEqual(new Set(['INVALID_JSON', 'EMPTY_VALUE', 'SCHEMA_VIOLATION', 'OVERSIZED_RECORD', 'INVALID_ENCODING', 'DUPLICATE_APPLICATION']));
    expect(new Set(links.map((r) => r.key))).toEqual(new Set(valid.map((a) => a.applicationId)));
    for (const r of links) expect(typeof r.headers['lendguard-origin']).toBe('string');
  });
});
