import { describe, expect, it } from 'vitest';
import { createPseudonymiser, mask, maskIp, normalise, pseudonymiseApplication } from '../../../src/boundary/pseudonymise.js';
import { exampleApp } from '../fixtures.js';

const p = createPseudonymiser('test-key-0123456789');

describe('pseudonymisation', () => {
  it('is keyed: same input, same key → same id; another key → another id', () => {
    expect(p('phone', '+8613812345678').id).toBe(p('phone', '+86 138-1234-5678').id);
    // A mainland mobile written with or without the country code is one number.
    for (const form of ['13812345678', '8613812345678', '008613812345678', '138 1234 5678'])
      expect(p('phone', form).id, form).toBe(p('phone', '+8613812345678').id);
    expect(p('phone', '+85291234567').id).not.toBe(p('phone', '91234567').id); // not a mainland mobile: left as written
    expect(createPseudonymiser('another-key-0123456789')('phone', '+8613812345678').id).not.toBe(p('phone', '+8613812345678').id);
  });

  it('separates kinds, but a contact and a phone with the same number share one pseudonym', () => {
    expect(p('phone', '13900001111').id).not.toBe(p('nationalId', '13900001111').id);
    const app = pseudonymiseApplication(
      exampleApp((a) => (a.applicant.contacts = [a.applicant.phone])),
      p,
    );
    expect(app.applicant.contacts[0]?.id).toBe(app.applicant.phone.id);
  });

  it('masks in the usual back-office style', () => {
    expect(mask('phone', normalise('phone', '+8613812345678'))).toBe('138****5678');
    expect(mask('nationalId', '110101199003071234')).toBe('110**********1234');
    expect(mask('bankAccount', '6222020200112233445')).toBe('**********3445');
    expect(mask('email', 'zhangsan@example.com')).toBe('z***@example.com');
    expect(maskIp('123.123.123.123')).toBe('123.123.123.*');
    expect(maskIp('2408:8207:1:2::1')).toBe('2408:8207:1::/48');
  });

  it('leaves no raw identifier in what crosses the boundary (apart from IP/GPS kept in memory)', () => {
    const raw = exampleApp();
    const app = pseudonymiseApplication(raw, p);
    const { network: _network, device, ...rest } = app;
    const text = JSON.stringify({ ...rest, device: { ...device, gps: undefined } });
    for (const value of [
      raw.applicant.nationalId,
      raw.applicant.phone,
      '13812345678',
      raw.applicant.email,
      raw.applicant.bankAccount,
      raw.applicant.address,
      raw.applicant.name,
      raw.device.deviceId,
      ...(raw.applicant.contacts ?? []),
    ]) {
      expect(text).not.toContain(value as string);
    }
    expect(app.applicant.nameMasked).toBe('Z******');
  });

  it('gives a name a pseudonym for distinct counts, one however it is spaced, cased or dotted', () => {
    const nameId = (name?: string) =>
      pseudonymiseApplication(
        exampleApp((a) => {
          if (name === undefined) delete a.applicant.name;
          else a.applicant.name = name;
        }),
        p,
      ).applicant.nameId;
    expect(nameId('Zhang San')).toMatch(/^nm_[\w-]{22}$/);
    for (const same of ['zhang  san', 'ZhangSan', ' ZHANG SAN ']) expect(nameId(same), same).toBe(nameId('Zhang San'));
    expect(nameId('阿依古丽·买买提')).toBe(nameId('阿依古丽•买买提'));
    expect(nameId('张三')).not.toBe(nameId('张四'));
    expect(nameId(undefined)).toBeUndefined();
    expect(nameId('  ')).toBeUndefined();
  });

  it('passes the bureau multi-lender count on, and nothing else the provider sent', () => {
    const bureauOf = (bureau: unknown) => pseudonymiseApplication({ ...exampleApp(), bureau } as never, p).bureau;
    expect(bureauOf({ multiLenderCount: 7, provider: 'x' })).toEqual({ multiLenderCount: 7 });
    expect(bureauOf({ multiLenderCount: null })).toBeUndefined();
    expect(bureauOf(undefined)).toBeUndefined();
  });

  it('masks IPv6 to its /48 and never shows the host; one pseudonym per address however it is written', () => {
    expect(maskIp('fe80::1%eth0')).toBe('fe80:0:0::/48');
    expect(maskIp('FE80::ABCD')).toBe('fe80:0:0::/48');
    expect(maskIp('::1')).toBe('0:0:0::/48');
    expect(maskIp('2001:db8:85a3:8d3:1319:8a2e:370:7348')).toBe('2001:db8:85a3::/48');
    expect(maskIp('123.45.67.89')).toBe('123.45.67.*');
    expect(maskIp('123.45.67.0/24')).toBe('123.45.67.*');
    expect(maskIp('::ffff:123.45.67.89')).toBe('123.45.67.*');
    for (const leak of ['fe80::1%eth0', 'FE80::ABCD', '::1']) expect(maskIp(leak)).not.toContain(leak.toLowerCase().replace(/%.*/, ''));
    const id = (ip: string): string => p('ip', ip).id;
    expect(id('::')).toBe(id('0:0:0:0:0:0:0:0'));
    expect(id('FE80::ABCD')).toBe(id('fe80:0:0:0:0:0:0:abcd'));
    expect(id('fe80::1%eth0')).toBe(id('fe80::1'));
    expect(id('::ffff:1.2.3.4')).toBe(id('1.2.3.4'));
    expect(id(' 1.2.3.4 ')).toBe(id('1.2.3.4'));
  });
});
