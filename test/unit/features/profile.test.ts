import { describe, expect, it } from 'vitest';
import { createPseudonymiser, pseudonymiseApplication } from '../../../src/boundary/pseudonymise.js';
import { isVirtualOperator, profileFeatures } from '../../../src/features/profile.js';
import { exampleApp } from '../fixtures.js';

const p = createPseudonymiser('test-key');
const features = (patch: Parameters<typeof exampleApp>[0]) => profileFeatures(pseudonymiseApplication(exampleApp(patch), p));

describe('profile features', () => {
  it('knows the virtual-operator segments from the masked number, in every input format', () => {
    for (const phone of ['+8617012345678', '17112345678', '+86 162-1234-5678', '16512345678', '+8616712345678']) {
      expect([phone, features((a) => void (a.applicant.phone = phone))['phone.virtualOperator']]).toEqual([phone, true]);
    }
    for (const phone of ['+8613812345678', '15212345678', '+8619912345678', '16612345678']) {
      expect([phone, features((a) => void (a.applicant.phone = phone))['phone.virtualOperator']]).toEqual([phone, false]);
    }
    expect(isVirtualOperator('170****5678')).toBe(true);
    expect(isVirtualOperator('1***')).toBe(false); // too short to tell
  });

  it('calls a profile thin only with no e-mail, no employer and at most one contact', () => {
    const thin = (patch: Parameters<typeof exampleApp>[0]) => features(patch)['app.thinProfile'];
    const strip = (a: ReturnType<typeof exampleApp>) => {
      delete a.applicant.email;
      delete a.applicant.employer;
      a.applicant.contacts = ['+8613900000001'];
    };
    expect(thin(strip)).toBe(true);
    expect(thin((a) => (strip(a), void delete a.applicant.contacts))).toBe(true);
    expect(thin((a) => (strip(a), void (a.applicant.email = 'x@example.com')))).toBe(false);
    expect(thin((a) => (strip(a), void (a.applicant.employer = 'Acme')))).toBe(false);
    expect(thin((a) => (strip(a), void (a.applicant.contacts = ['+8613900000001', '+8613900000002'])))).toBe(false);
    expect(features((a) => void (a.applicant.contacts = ['+8613900000001', '+8613900000002']))['app.contacts']).toBe(2);
  });
});
