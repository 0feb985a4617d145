import type { Application, Pseudonym } from '../../../src/domain/application.js';
import { linksFor } from '../../../src/graph/links.js';
import { IdentityStore } from '../../../src/graph/store.js';

export const T0 = Date.UTC(2026, 5, 1, 8, 0, 0);
export const MIN = 60_000;

const p = (id: string): Pseudonym => ({ id, masked: `${id.slice(0, 4)}****` });

export interface Parts {
  device?: string;
  ip?: string;
  subnet?: string;
  phone?: string;
  nid?: string;
  email?: string | null;
  bank?: string | null;
  address?: string | null;
  employer?: string | null;
  contacts?: string[];
}

/** A pseudonymised application; every identifier unique to it unless given. */
export function application(id: string, atMs: number, o: Parts = {}): Application {
  const opt = (v: string | null | undefined, fallback: string): Pseudonym | undefined => (v === null ? undefined : p(v ?? fallback));
  return {
    applicationId: id,
    eventTime: new Date(atMs).toISOString(),
    eventTimeMs: atMs,
    applicant: {
      nationalId: p(o.nid ?? `nid_${id}`),
      phone: p(o.phone ?? `ph_${id}`),
      email: opt(o.email, `em_${id}`),
      bankAccount: opt(o.bank, `ba_${id}`),
      address: opt(o.address, `adr_${id}`),
      employer: opt(o.employer, `emp_${id}`),
      contacts: (o.contacts ?? [`ph_c1_${id}`, `ph_c2_${id}`]).map(p),
    },
    device: { deviceId: p(o.device ?? `dev_${id}`) },
    network: { ip: '10.0.0.1', ipId: p(o.ip ?? `ip_${id}`), subnetId: p(o.subnet ?? `ip_net_${id}`) },
  };
}

export function storeOf(apps: readonly Application[]): IdentityStore {
  const g = new IdentityStore();
  for (const a of apps) g.applyLinks(linksFor(a));
  return g;
}

/** 8 applicants (distinct identities): 0–3 on device A, 4–7 on device B, all paying into one bank account. */
export function ringOfEight(prefix = 'r', at = T0): Application[] {
  return Array.from({ length: 8 }, (_, i) =>
    application(`${prefix}${i}`, at + i * MIN, { device: `dev_${prefix}_${i < 4 ? 'A' : 'B'}`, bank: `ba_${prefix}_mule` }),
  );
}
