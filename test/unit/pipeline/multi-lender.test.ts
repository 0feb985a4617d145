import { describe, expect, it } from 'vitest';
import type { RawApplication } from '../../../src/domain/application.js';
import type { Assessment } from '../../../src/domain/assessment.js';
import { processBatch, type InputRecord, type PipelineDeps } from '../../../src/pipeline/process-batch.js';
import { fixedClock } from '../../../src/platform/clock.js';
import { bytes, exampleApp } from '../fixtures.js';
import { unitPipelineDeps } from '../fixtures.js';

/**
 * 多头 through the whole pipeline with the in-memory state store: partners, phones and bank cards per
 * identity over 1 h–30 d, new phone / new card, one phone or card under several IDs or names, and the
 * bureau figure from the input.
 */
const T0 = Date.parse('2026-11-28T03:15:42.123Z');
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

function deps(): PipelineDeps & { clock: ReturnType<typeof fixedClock> } {
  return unitPipelineDeps({ clock: fixedClock(T0) });
}

let offset = 0;
/** One application `id` at `atMs` (the record's timestamp too): the example's applicant changed by `patch`, a device per identity. */
function app(id: string, atMs: number, patch: (a: RawApplication) => void = () => undefined): InputRecord {
  const value = bytes(
    exampleApp((a) => {
      a.applicationId = id;
      a.eventTime = new Date(atMs).toISOString();
      a.applicant.email = `${id}@example.com`;
      a.applicant.contacts = [];
      patch(a);
      a.device.deviceId = `dev-${a.applicant.nationalId}`; // one device per identity: no device rule gets in the way
    }),
  );
  return { key: id, value, source: { topic: 'in', partition: 0, offset: String(offset++), timestampMs: atMs } };
}

/** Runs each record in its own batch at its own time; returns the assessments by application id. */
async function run(d: ReturnType<typeof deps>, records: InputRecord[]): Promise<Map<string, Assessment>> {
  const out = new Map<string, Assessment>();
  for (const r of records) {
    d.clock.set(r.source.timestampMs + 40);
    for (const a of (await processBatch([r], d)).assessments) out.set(a.applicationId, a);
  }
  return out;
}
/** An applicant of their own (ID, phone, card) `k` minutes after T0, with a bureau figure. */
const bureau = (id: string, k: number, count: number | null): InputRecord =>
  app(id, T0 + k * MIN, (a) => {
    a.applicant.nationalId = `1101011990030712${String(k).padStart(2, '0')}`;
    a.applicant.phone = `+86139000000${String(k).padStart(2, '0')}`;
    a.applicant.bankAccount = `62220202000000000${String(k).padStart(2, '0')}`;
    a.bureau = { multiLenderCount: count };
  });
const codes = (a: Assessment | undefined): string[] => a?.flags.map((f) => f.code) ?? ['<missing>'];

describe('多头 in the pipeline', () => {
  it('a probe: one ID through three partners within an hour, each time with a new phone and bank card, alerts', async () => {
    const probe = [0, 1, 2].map((k) =>
      app(`probe-${k}`, T0 + k * 15 * MIN, (a) => {
        a.partnerId = `partner-${k}`;
        a.applicant.phone = `+8613912340${k}00`;
        a.applicant.bankAccount = `62220202001122300${k}`;
      }),
    );
    const byId = await run(deps(), probe);
    expect(byId.get('probe-0')?.features).toMatchObject({ 'identity.partners.1h': 1, 'identity.newPhone': true, 'identity.newBank': true });
    expect(codes(byId.get('probe-0'))).toEqual([]); // a first application is new to everything, and nothing more
    // The second partner with a fresh phone and card already alerts (a combination of the two).
    expect(codes(byId.get('probe-1'))).toEqual(['MULTI_LENDER_NEW_BANK', 'MULTI_LENDER_NEW_PHONE', 'MULTI_LENDER_FRESH_CREDENTIALS']);
    expect(byId.get('probe-1')).toMatchObject({ level: 'high', alert: true });
    const last = byId.get('probe-2');
    expect(last?.features).toMatchObject({
      'identity.partners.1h': 3,
      'identity.partners.30d': 3,
      'identity.phones.7d': 3,
      'identity.banks.7d': 3,
      'identity.devices.30d': 1,
    });
    expect(codes(last)).toEqual([
      'MULTI_LENDER_PARTNERS_1H',
      'MULTI_LENDER_PARTNERS_24H',
      'MULTI_LENDER_NEW_BANK',
      'MULTI_LENDER_NEW_PHONE',
      'IDENTITY_MANY_PHONES',
      'IDENTITY_MANY_BANKS',
      'MULTI_LENDER_PROBE',
      'MULTI_LENDER_FRESH_CREDENTIALS',
    ]);
    expect(last).toMatchObject({ level: 'critical', alert: true });
    expect(last?.flags[0]?.reason).toBe('national ID 110**********1234 applied through 3 partners within 1h (limit 2)');
  });

  it('the same ID with its usual phone and card at other partners: not new, and no probe combination fires', async () => {
    const byId = await run(
      deps(),
      [0, 1, 2].map((k) => app(`usual-${k}`, T0 + k * 5 * MIN, (a) => (a.partnerId = `partner-${k}`))),
    );
    const last = byId.get('usual-2');
    expect(last?.features).toMatchObject({ 'identity.partners.1h': 3, 'identity.newPhone': false, 'identity.newBank': false, 'identity.phone.apps.30d': 3 });
    // Three partners within the hour is 多头 borrowing (high), but nothing says the identity was bought.
    expect(codes(last)).toEqual(['MULTI_LENDER_PARTNERS_1H', 'MULTI_LENDER_PARTNERS_24H']);
    expect(last).toMatchObject({ level: 'high' });
  });

  it('counts partners over 30 days, not only 7: an ID back after 10 and 20 days', async () => {
    const d = deps();
    const byId = await run(
      d,
      [0, 10, 20].map((days, k) => app(`slow-${k}`, T0 + days * DAY, (a) => (a.partnerId = `partner-${k}`))),
    );
    const slow = byId.get('slow-2')?.features ?? {};
    expect(slow).toMatchObject({ 'identity.partners.24h': 1, 'identity.partners.30d': 3, 'identity.devices.30d': 1 });
    expect('identity.partners.7d' in slow).toBe(false); // no rule reads it: not counted
    // 20 days later the phone is still known to the ID (within 30 days)…
    expect(byId.get('slow-2')?.features['identity.newPhone']).toBe(false);
    // …but after more than 30 days without it, it is new again.
    const later = await run(d, [app('slow-3', T0 + 51 * DAY)]);
    expect(later.get('slow-3')?.features).toMatchObject({ 'identity.newPhone': true, 'identity.partners.30d': 1 });
  });

  it('one phone under three IDs; one card under more names than IDs; a family card is not that', async () => {
    const byId = await run(deps(), [
      app('phone-a', T0, (a) => (a.applicant.bankAccount = '6222020200000000001')),
      app('phone-b', T0 + MIN, (a) => {
        a.applicant.nationalId = '110101199003075678';
        a.applicant.name = 'Li Si';
        a.applicant.bankAccount = '6222020200000000002';
      }),
      app('phone-c', T0 + 1.5 * MIN, (a) => {
        a.applicant.nationalId = '110101199003079999';
        a.applicant.name = 'Li Si';
        a.applicant.bankAccount = '6222020200000000003';
      }),
      // A family card: two IDs, two names.
      app('family-a', T0 + 2 * MIN, (a) => {
        a.applicant.nationalId = '110101199201011111';
        a.applicant.phone = '+8613700000001';
        a.applicant.name = 'Wang Wu';
        a.applicant.bankAccount = '6222020200000000009';
      }),
      app('family-b', T0 + 3 * MIN, (a) => {
        a.applicant.nationalId = '110101199201012222';
        a.applicant.phone = '+8613700000002';
        a.applicant.name = 'Wang Liu';
        a.applicant.bankAccount = '6222020200000000009';
      }),
      // One ID and card, another name: a mismatched identity set.
      app('mismatch', T0 + 4 * MIN, (a) => {
        a.applicant.nationalId = '110101199201011111';
        a.applicant.phone = '+8613700000001';
        a.applicant.name = 'Zhao Qi';
        a.applicant.bankAccount = '6222020200000000009';
      }),
    ]);
    expect(byId.get('phone-b')?.features).toMatchObject({ 'phone.identities.7d': 2, 'phone.names.7d': 2 });
    expect(codes(byId.get('phone-b'))).toEqual([]); // two IDs on one phone: a couple, a parent and child
    expect(byId.get('phone-c')?.features).toMatchObject({ 'phone.identities.7d': 3, 'phone.names.7d': 2 });
    expect(codes(byId.get('phone-c'))).toEqual(['PHONE_SHARED_BY_IDENTITIES']);
    expect(byId.get('family-b')?.features).toMatchObject({ 'bank.identities.7d': 2, 'bank.names.7d': 2 });
    expect(codes(byId.get('family-b'))).toEqual(['BANK_SHARED_BY_IDENTITIES']);
    expect(byId.get('mismatch')?.features).toMatchObject({ 'bank.identities.7d': 2, 'bank.names.7d': 3, 'phone.names.7d': 2, 'phone.identities.7d': 1 });
    expect(codes(byId.get('mismatch'))).toEqual(['BANK_SHARED_BY_IDENTITIES', 'BANK_SHARED_BY_NAMES', 'PHONE_SHARED_BY_NAMES']);
  });

  it('reads the bureau figure when sent: absent, null and low counts fire nothing; a bad one is a dead letter', async () => {
    const d = deps();
    const byId = await run(d, [
      app('bureau-none', T0),
      bureau('bureau-null', 1, null),
      bureau('bureau-3', 2, 3),
      bureau('bureau-9', 3, 9),
      bureau('bureau-20', 4, 20),
    ]);
    for (const id of ['bureau-none', 'bureau-null', 'bureau-3']) expect(codes(byId.get(id)), id).toEqual([]);
    expect(codes(byId.get('bureau-9'))).toEqual(['BUREAU_MULTI_LENDER']);
    const severe = byId.get('bureau-20')?.flags[0];
    expect(severe).toMatchObject({ code: 'BUREAU_MULTI_LENDER_SEVERE', evidence: { 'bureau.multiLenderCount': 20 } });
    expect(severe?.reason).toBe('bureau reports national ID 110**********1204 at 20 lenders (severe above 15)');
    d.clock.set(T0 + 10 * MIN);
    const bad = await processBatch([bureau('bureau-bad', 10, -2)], d);
    expect(bad.deadLettered.map((x) => x.code)).toEqual(['SCHEMA_VIOLATION']);
  });
});
