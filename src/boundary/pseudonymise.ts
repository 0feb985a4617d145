import { createHmac, createSecretKey } from 'node:crypto';
import type { Application, IdentifierKind, Pseudonym, RawApplication } from '../domain/application.js';
import { canonicalIp, classifyIp, maskIp } from '../enrich/ip.js';

/**
 * The ingest boundary: every personal identifier becomes a keyed HMAC plus a masked display form.
 * Pure apart from the key, which the caller passes in. Raw values do not survive this function
 * (except the IP and GPS, which stay in memory for enrichment and are only ever output masked or derived).
 */

const PREFIX: Record<IdentifierKind, string> = {
  nationalId: 'nid',
  name: 'nm',
  phone: 'ph',
  email: 'em',
  bankAccount: 'ba',
  deviceId: 'dev',
  address: 'adr',
  employer: 'emp',
  ip: 'ip',
};

/** Normalise so that trivially different spellings of one identifier give one pseudonym. */
export function normalise(kind: IdentifierKind, raw: string): string {
  const value = raw.trim();
  switch (kind) {
    case 'phone': {
      // One number, however it is written: a mainland mobile with or without +86 / 0086 / 86 is one value.
      const compact = value.replace(/[\s\-().]/g, '').replace(/^00/, '+');
      const mainland = /^(?:\+?86)?(1\d{10})$/.exec(compact);
      return mainland ? `+86${mainland[1]}` : compact;
    }
    case 'email':
    case 'employer':
      return value.toLowerCase();
    case 'nationalId':
      return value.replace(/\s/g, '').toUpperCase();
    case 'name':
      // "Zhang San", "zhang  san" and "ZhangSan" are one name; so are 阿依古丽·买买提 and 阿依古丽•买买提.
      return value
        .normalize('NFKC')
        .toLowerCase()
        .replace(/[\s·•・.]/g, '');
    case 'bankAccount':
      return value.replace(/[\s-]/g, '');
    case 'address':
      return value.toLowerCase().replace(/\s+/g, ' ');
    case 'ip':
      return canonicalIp(value);
    default:
      return value;
  }
}

function stars(n: number): string {
  return '*'.repeat(Math.max(2, Math.min(n, 10)));
}

/** Masked display forms in the usual style of Chinese lending back offices (e.g. 138****5678). */
export function mask(kind: IdentifierKind, normalised: string): string {
  const v = normalised;
  switch (kind) {
    case 'phone': {
      const local = v.replace(/^\+86/, '');
      return local.length >= 7 ? `${local.slice(0, 3)}****${local.slice(-4)}` : `${local.slice(0, 1)}${stars(local.length - 1)}`;
    }
    case 'nationalId':
      return v.length >= 8 ? `${v.slice(0, 3)}${stars(v.length - 7)}${v.slice(-4)}` : stars(v.length);
    case 'bankAccount':
      return v.length >= 8 ? `${stars(v.length - 4)}${v.slice(-4)}` : stars(v.length);
    case 'email': {
      const at = v.indexOf('@');
      return at > 0 ? `${v.slice(0, 1)}***${v.slice(at)}` : stars(v.length);
    }
    case 'ip':
      return maskIp(v);
    case 'name':
      return maskName(v);
    default:
      return v.length > 4 ? `${v.slice(0, 2)}${stars(v.length - 2)}` : stars(v.length);
  }
}

export { maskIp };

export type Pseudonymiser = (kind: IdentifierKind, raw: string) => Pseudonym;

export function createPseudonymiser(key: string): Pseudonymiser {
  // One key object for every HMAC: a string key is encoded and imported again on each call (about a quarter of an HMAC's cost).
  const secret = createSecretKey(Buffer.from(key, 'utf8'));
  return (kind, raw) => {
    const value = normalise(kind, raw);
    // Contacts are phones: one namespace, so "my contact is your phone" links in the graph.
    const digest = createHmac('sha256', secret).update(`${PREFIX[kind]}:${value}`).digest('base64url').slice(0, 22);
    return { id: `${PREFIX[kind]}_${digest}`, masked: mask(kind, value) };
  };
}

function maskName(name: string): string {
  const chars = [...name.trim()];
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(Math.min(chars.length - 1, 6))}`;
}

export function pseudonymiseApplication(raw: RawApplication, p: Pseudonymiser): Application {
  const a = raw.applicant;
  const opt = (kind: IdentifierKind, value: string | undefined): Pseudonym | undefined => (value ? p(kind, value) : undefined);
  return {
    applicationId: raw.applicationId,
    eventTime: raw.eventTime,
    eventTimeMs: Date.parse(raw.eventTime),
    partnerId: raw.partnerId,
    product: raw.product,
    amount: raw.amount,
    currency: raw.currency,
    termMonths: raw.termMonths,
    applicant: {
      nationalId: p('nationalId', a.nationalId),
      phone: p('phone', a.phone),
      nameMasked: a.name ? maskName(a.name) : undefined,
      nameId: a.name?.trim() ? p('name', a.name).id : undefined,
      email: opt('email', a.email),
      bankAccount: opt('bankAccount', a.bankAccount),
      address: opt('address', a.address),
      employer: opt('employer', a.employer),
      declaredRegion: a.declaredRegion,
      contacts: (a.contacts ?? []).map((c) => p('phone', c)),
    },
    device: {
      deviceId: p('deviceId', raw.device.deviceId),
      userAgent: raw.device.userAgent,
      platform: raw.device.platform,
      timezone: raw.device.timezone,
      language: raw.device.language,
      screen: raw.device.screen,
      gps: raw.device.gps,
      rooted: raw.device.rooted,
      emulator: raw.device.emulator,
    },
    network: { ip: raw.network.ip, ipId: p('ip', raw.network.ip), subnetId: p('ip', classifyIp(raw.network.ip).subnet) },
    // Only the known figures: whatever else a provider sends stays out.
    bureau: typeof raw.bureau?.multiLenderCount === 'number' ? { multiLenderCount: raw.bureau.multiLenderCount } : undefined,
  };
}
