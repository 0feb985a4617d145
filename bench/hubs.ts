import type { GeneratedApplication } from '../src/generate/index.js';

/**
 * Which legitimate applications sit on a legitimate hub, read off the raw records (not the generator's
 * internals, so the same classes can be computed for any labelled traffic): a household address, an office
 * NAT, a carrier NAT, a popular contact. An application can be in several.
 */
export type HubClass =
  | 'family (shared address, 2–4 identities)'
  | 'office NAT (IP of 5–49 identities, mostly one employer)'
  | 'carrier NAT (IP of ≥ 50 identities)'
  | 'popular contact (listed by ≥ 1 % of applications)';

const digits = (phone: string): string => phone.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');

export function legitHubs(traffic: readonly GeneratedApplication[]): Map<string, HubClass[]> {
  const byAddress = new Map<string, Set<string>>();
  const byIp = new Map<string, { ids: Set<string>; employers: Map<string, number> }>();
  const byContact = new Map<string, number>();
  for (const a of traffic) {
    const nid = a.applicant.nationalId;
    const address = a.applicant.address?.toLowerCase().replace(/\s+/g, ' ');
    if (address) (byAddress.get(address) ?? byAddress.set(address, new Set()).get(address))?.add(nid);
    const ip = byIp.get(a.network.ip) ?? { ids: new Set<string>(), employers: new Map<string, number>() };
    ip.ids.add(nid);
    const employer = a.applicant.employer?.toLowerCase();
    if (employer) ip.employers.set(employer, (ip.employers.get(employer) ?? 0) + 1);
    byIp.set(a.network.ip, ip);
    for (const c of new Set((a.applicant.contacts ?? []).map(digits))) byContact.set(c, (byContact.get(c) ?? 0) + 1);
  }
  const popular = traffic.length * 0.01;
  const out = new Map<string, HubClass[]>();
  for (const a of traffic) {
    if (a._truth.fraud) continue;
    const classes: HubClass[] = [];
    const address = a.applicant.address?.toLowerCase().replace(/\s+/g, ' ');
    const n = address ? (byAddress.get(address)?.size ?? 0) : 0;
    if (n >= 2 && n <= 4) classes.push('family (shared address, 2–4 identities)');
    const ip = byIp.get(a.network.ip);
    const ids = ip?.ids.size ?? 0;
    if (ids >= 50) classes.push('carrier NAT (IP of ≥ 50 identities)');
    else if (ids >= 5 && ip) {
      const top = Math.max(0, ...ip.employers.values());
      if (top * 2 >= ids) classes.push('office NAT (IP of 5–49 identities, mostly one employer)');
    }
    if ((a.applicant.contacts ?? []).some((c) => (byContact.get(digits(c)) ?? 0) >= popular)) classes.push('popular contact (listed by ≥ 1 % of applications)');
    if (classes.length > 0) out.set(a.applicationId, classes);
  }
  return out;
}
