import type { Application } from '../domain/application.js';

/**
 * Sliding-window velocity definitions (pure). Each counter is a sorted set per entity: the member is
 * the application id (a count of applications) or another identifier's pseudonym (a distinct count),
 * and the score is the event time. Re-adding a member is a no-op, so a replay never counts twice.
 * A spec with several entities per application (contacts) reports the largest count.
 */
export interface VelocitySpec {
  /** Stable name, used in feature names and Redis keys, e.g. `device.apps`. */
  name: string;
  entities: (app: Application) => readonly (string | undefined)[];
  member: (app: Application) => string | undefined;
  windows: readonly WindowDef[];
}

export interface WindowDef {
  label: string;
  ms: number;
}

const MIN = 60_000;
const HOUR = 60 * MIN;
export const WINDOWS = {
  '10m': { label: '10m', ms: 10 * MIN },
  '1h': { label: '1h', ms: HOUR },
  '24h': { label: '24h', ms: 24 * HOUR },
  '7d': { label: '7d', ms: 7 * 24 * HOUR },
} as const satisfies Record<string, WindowDef>;

export const DEFAULT_WINDOWS: readonly WindowDef[] = [WINDOWS['10m'], WINDOWS['1h'], WINDOWS['24h'], WINDOWS['7d']];

const UNIT_MS: Record<string, number> = { s: 1000, m: MIN, h: HOUR, d: 24 * HOUR };

/** `10m`, `1h`, `24h`, `7d`, `30d` → a window whose label is the text itself (used in feature names). */
export function parseWindow(text: string): WindowDef {
  const m = /^(\d+)([smhd])$/.exec(text);
  if (!m) throw new Error(`window "${text}" is not a duration like 10m, 1h, 24h or 7d`);
  return { label: text, ms: Number(m[1]) * (UNIT_MS[m[2] as string] as number) };
}
const appId = (a: Application): string => a.applicationId;
const device = (a: Application) => [a.device.deviceId.id];
const identity = (a: Application) => [a.applicant.nationalId.id];
const ip = (a: Application) => [a.network.ipId.id];
const bank = (a: Application) => [a.applicant.bankAccount?.id];

/** Feature names are `<name>.<window>`, e.g. `device.identities.1h` (docs/rules.md lists them). */
export function velocitySpecs(windows: readonly WindowDef[] = DEFAULT_WINDOWS): VelocitySpec[] {
  const spec = (name: string, entities: VelocitySpec['entities'], member: VelocitySpec['member']): VelocitySpec => ({ name, entities, member, windows });
  return [
    spec('device.apps', device, appId),
    spec('device.identities', device, (a) => a.applicant.nationalId.id),
    spec('device.phones', device, (a) => a.applicant.phone.id),
    spec('identity.apps', identity, appId),
    spec('identity.devices', identity, (a) => a.device.deviceId.id),
    spec('phone.apps', (a) => [a.applicant.phone.id], appId),
    spec('email.apps', (a) => [a.applicant.email?.id], appId),
    spec('bank.apps', bank, appId),
    spec('bank.identities', bank, (a) => a.applicant.nationalId.id),
    spec('ip.apps', ip, appId),
    spec('ip.identities', ip, (a) => a.applicant.nationalId.id),
    spec('subnet.apps', (a) => [a.network.subnetId.id], appId),
    spec('partner.apps', (a) => [a.partnerId], appId),
    spec('contact.shared', (a) => a.applicant.contacts.map((c) => c.id), appId),
  ];
}

export const DEFAULT_VELOCITY: readonly VelocitySpec[] = velocitySpecs();

/** One counter update: add `member` to the set of `entity` (at the application's event time). */
export interface CounterUpdate {
  spec: string;
  entity: string;
  member: string;
  /** Bit i set = count window i (the member is always added). */
  windowMask: number;
}

/** Which windows of each counter to count: those some rule reads (every window when `reads` is absent). */
export function windowMasks(specs: readonly VelocitySpec[], reads?: ReadonlySet<string>): Map<string, number> {
  const masks = new Map<string, number>();
  for (const s of specs) {
    let mask = 0;
    s.windows.forEach((w, i) => {
      if (!reads || reads.has(`${s.name}.${w.label}`)) mask |= 1 << i;
    });
    masks.set(s.name, mask);
  }
  return masks;
}

export function countersFor(app: Application, specs: readonly VelocitySpec[], masks?: ReadonlyMap<string, number>): CounterUpdate[] {
  const out: CounterUpdate[] = [];
  for (const s of specs) {
    const member = s.member(app);
    if (!member) continue;
    const windowMask = masks?.get(s.name) ?? (1 << s.windows.length) - 1;
    for (const entity of new Set(s.entities(app))) if (entity) out.push({ spec: s.name, entity, member, windowMask });
  }
  return out;
}

/**
 * Turns the counts returned for `countersFor(app)` (one row per update, one column per window)
 * into named features, e.g. `device.identities.1h`. A spec with no entity for this application
 * (no e-mail, no contacts) yields no feature: rules read it as unknown. Several entities of one
 * spec (contacts) give the largest count.
 */
export function velocityFeatures(updates: readonly CounterUpdate[], counts: readonly (readonly number[])[], windows: readonly WindowDef[]): Record<string, number> {
  const features: Record<string, number> = {};
  updates.forEach((u, i) => {
    const row = counts[i] ?? [];
    windows.forEach((w, j) => {
      const count = row[j] ?? -1;
      if (count < 0) return; // not counted: no rule reads it
      const name = `${u.spec}.${w.label}`;
      features[name] = Math.max(features[name] ?? 0, count);
    });
  });
  return features;
}
