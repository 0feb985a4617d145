import type { Application } from '../domain/application.js';

/**
 * What the application itself says about the applicant's profile (pure, no state):
 *   phone.virtualOperator  the number is in a virtual-operator segment (170, 171, 162, 165, 167): cheap SIMs sold in
 *                          bulk with bought identity sets; a weak signal alone (a few % of honest numbers are there too)
 *   app.contacts           how many emergency contacts the applicant listed
 *   app.thinProfile        no e-mail, no employer and at most one contact: the sparse record a bought identity set
 *                          makes; weak alone (some honest applicants leave optional fields empty)
 */
const VIRTUAL_SEGMENTS = new Set(['170', '171', '162', '165', '167']);

/** The first three digits of the national number, from the masked form (`152****5389`). */
export function isVirtualOperator(maskedPhone: string): boolean {
  return /^1\d\d\*/.test(maskedPhone) && VIRTUAL_SEGMENTS.has(maskedPhone.slice(0, 3));
}

export function profileFeatures(app: Application): { 'phone.virtualOperator': boolean; 'app.contacts': number; 'app.thinProfile': boolean } {
  const a = app.applicant;
  const contacts = a.contacts.length;
  return {
    'phone.virtualOperator': isVirtualOperator(a.phone.masked),
    'app.contacts': contacts,
    'app.thinProfile': !a.email && !a.employer && contacts <= 1,
  };
}
