import { describe, expect, it } from 'vitest';
import { createPseudonymiser, pseudonymiseApplication } from '../../../src/boundary/pseudonymise.js';
import type { Application, RawApplication } from '../../../src/domain/application.js';
import { countersFor, DEFAULT_VELOCITY, specsByName, stateWindows, velocityFeatures, windowMasks } from '../../../src/features/velocity.js';
import { exampleApp } from '../fixtures.js';

/** The 多头 counters: partners, phones, bank cards per identity, new phone / card, phones and cards across IDs and names. */
const p = createPseudonymiser('unit-test-key-123456');
const app = (patch: (a: RawApplication) => void = () => undefined): Application => pseudonymiseApplication(exampleApp(patch), p);
const D = 24 * 3600_000;
const byName = specsByName(DEFAULT_VELOCITY);

describe('多头 counters', () => {
  it('count partners, phones, bank accounts and devices per national ID, and phones and cards per ID and name', () => {
    const a = app();
    const nid = a.applicant.nationalId.id;
    const updates = new Map(countersFor(a, DEFAULT_VELOCITY).map((u) => [u.spec, u]));
    expect(updates.get('identity.partners')).toMatchObject({ entity: nid, member: 'partner-airline-installments' });
    expect(updates.get('identity.phones')).toMatchObject({ entity: nid, member: a.applicant.phone.id });
    expect(updates.get('identity.banks')).toMatchObject({ entity: nid, member: a.applicant.bankAccount?.id });
    expect(updates.get('identity.phone.apps')).toMatchObject({ entity: `${nid}:${a.applicant.phone.id}`, member: a.applicationId });
    expect(updates.get('identity.bank.apps')).toMatchObject({ entity: `${nid}:${a.applicant.bankAccount?.id}`, member: a.applicationId });
    expect(updates.get('phone.identities')).toMatchObject({ entity: a.applicant.phone.id, member: nid });
    expect(updates.get('phone.names')).toMatchObject({ entity: a.applicant.phone.id, member: a.applicant.nameId });
    expect(updates.get('bank.names')).toMatchObject({ entity: a.applicant.bankAccount?.id, member: a.applicant.nameId });
    expect(a.applicant.nameId).toMatch(/^nm_/);
  });

  it('count nothing they have no value for: no partner, no bank account, no name', () => {
    const a = app((r) => {
      delete r.partnerId;
      delete r.applicant.bankAccount;
      delete r.applicant.name;
    });
    const specs = new Set(countersFor(a, DEFAULT_VELOCITY).map((u) => u.spec));
    for (const s of ['identity.partners', 'identity.banks', 'identity.bank.apps', 'bank.names', 'phone.names']) expect(specs.has(s), s).toBe(false);
    expect(specs.has('identity.phone.apps')).toBe(true);
  });

  it('say "new phone" / "new bank card" when the pair has one application (this one) in 30 days, and only when counted', () => {
    const a = app();
    const updates = countersFor(a, DEFAULT_VELOCITY);
    const row = (spec: string, count: number): number[] => (spec === 'identity.phone.apps' ? [count] : spec === 'identity.bank.apps' ? [2] : []);
    expect(
      velocityFeatures(
        updates,
        updates.map((u) => row(u.spec, 1)),
        byName,
      ),
    ).toMatchObject({ 'identity.newPhone': true, 'identity.newBank': false, 'identity.phone.apps.30d': 1 });
    expect(
      velocityFeatures(
        updates,
        updates.map((u) => row(u.spec, 3)),
        byName,
      )['identity.newPhone'],
    ).toBe(false);
    const notCounted = velocityFeatures(
      updates,
      updates.map((u) => (u.spec.startsWith('identity.') ? [-1] : [])),
      byName,
    );
    expect('identity.newPhone' in notCounted).toBe(false);
  });

  it('count the 30-day window of a pair when a rule reads its "new" feature', () => {
    const masks = windowMasks(DEFAULT_VELOCITY, new Set(['identity.newBank', 'identity.partners.1h', 'identity.partners.30d']));
    expect(masks.get('identity.bank.apps')).toBe(0b1);
    expect(masks.get('identity.phone.apps')).toBe(0);
    expect(masks.get('identity.partners')).toBe(0b1001); // 1h and 30d of 1h, 24h, 7d, 30d
  });

  it("ask the store for the default windows and the 多头 counters' own", () => {
    const { windowsMs, counterWindowsMs } = stateWindows(DEFAULT_VELOCITY);
    expect(windowsMs).toEqual([600_000, 3600_000, D, 7 * D]);
    expect(counterWindowsMs).toEqual({
      'identity.devices': [600_000, 3600_000, D, 7 * D, 30 * D],
      'identity.partners': [3600_000, D, 7 * D, 30 * D],
      'identity.phones': [3600_000, D, 7 * D, 30 * D],
      'identity.banks': [3600_000, D, 7 * D, 30 * D],
      'identity.phone.apps': [30 * D],
      'identity.bank.apps': [30 * D],
    });
  });
});
