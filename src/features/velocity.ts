import type { Application } from '../domain/application.js';

/**
 * Sliding-window velocity definitions (pure). Each counter is a sorted set per entity: the member is
 * the application id (a count of applications) or another identifier's pseudonym (a distinct count),
 * and the score is the event time. Re-adding a member is a no-op, so a replay never counts twice.
 * A spec with several entities per application (contacts) reports the largest count.
 * Each spec has its own windows, and its sets are kept for its longest one: most counters use
 * `state.windows`, the 多头 (multi-lender) ones 1h–30d (MULTI_LENDER_WINDOWS).
 */
export interface VelocitySpec {
  /** Stable name, used in feature names and Redis keys, e.g. `device.apps`. */
  name: string;
  entities: (app: Application) => readonly (string | undefined)[];
  member: (app: Application) => string | undefined;
  windows: readonly WindowDef[];
  /**
   * A bool feature, true when this counter counts exactly one application over its longest window:
   * the entity (an identity+phone pair) has not been seen before this application (`identity.newPhone`).
   */
  firstSeen?: string;
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
  '30d': { label: '30d', ms: 30 * 24 * HOUR },
} as const satisfies Record<string, WindowDef>;

export const DEFAULT_WINDOWS: readonly WindowDef[] = [WINDOWS['10m'], WINDOWS['1h'], WINDOWS['24h'], WINDOWS['7d']];

/**
 * The windows of the 多头 counters (partners, phones, bank cards per identity), whatever `state.windows`
 * says: only these keys are kept 30 days, the others keep the retention of `state.windows`.
 */
export const MULTI_LENDER_WINDOWS: readonly WindowDef[] = [WINDOWS['1h'], WINDOWS['24h'], WINDOWS['7d'], WINDOWS['30d']];

/** Both lists, shortest first, each label once (identity.devices: the usual windows and 30d). */
export function unionWindows(a: readonly WindowDef[], b: readonly WindowDef[]): WindowDef[] {
  const byLabel = new Map([...a, ...b].map((w) => [w.label, w]));
  return [...byLabel.values()].sort((x, y) => x.ms - y.ms);
}

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
const phone = (a: Application) => [a.applicant.phone.id];
const nationalId = (a: Application): string => a.applicant.nationalId.id;
/** The pair of the identity and another identifier of the application (none without it); pseudonyms never contain ':'. */
const identityAnd = (other: (a: Application) => string | undefined) => (a: Application) => {
  const o = other(a);
  return [o ? `${nationalId(a)}:${o}` : undefined];
};

/** Feature names are `<name>.<window>`, e.g. `device.identities.1h` (docs/rules.md lists them). */
export function velocitySpecs(windows: readonly WindowDef[] = DEFAULT_WINDOWS): VelocitySpec[] {
  const spec = (name: string, entities: VelocitySpec['entities'], member: VelocitySpec['member'], own = windows): VelocitySpec => ({
    name,
    entities,
    member,
    windows: own,
  });
  const multi = MULTI_LENDER_WINDOWS;
  const longest = [multi[multi.length - 1] as WindowDef];
  return [
    spec('device.apps', device, appId),
    spec('device.identities', device, nationalId),
    spec('device.phones', device, (a) => a.applicant.phone.id),
    spec('identity.apps', identity, appId),
    spec('identity.devices', identity, (a) => a.device.deviceId.id, unionWindows(windows, multi)),
    spec('phone.apps', phone, appId),
    spec('email.apps', (a) => [a.applicant.email?.id], appId),
    spec('bank.apps', bank, appId),
    spec('bank.identities', bank, nationalId),
    spec('ip.apps', ip, appId),
    spec('ip.identities', ip, nationalId),
    spec('subnet.apps', (a) => [a.network.subnetId.id], appId),
    spec('partner.apps', (a) => [a.partnerId], appId),
    spec('contact.shared', (a) => a.applicant.contacts.map((c) => c.id), appId),
    // 多头: one identity across lenders, and one phone or card across identities and names.
    spec('identity.partners', identity, (a) => a.partnerId, multi),
    spec('identity.phones', identity, (a) => a.applicant.phone.id, multi),
    spec('identity.banks', identity, (a) => a.applicant.bankAccount?.id, multi),
    {
      ...spec(
        'identity.phone.apps',
        identityAnd((a) => a.applicant.phone.id),
        appId,
        longest,
      ),
      firstSeen: 'identity.newPhone',
    },
    {
      ...spec(
        'identity.bank.apps',
        identityAnd((a) => a.applicant.bankAccount?.id),
        appId,
        longest,
      ),
      firstSeen: 'identity.newBank',
    },
    spec('phone.identities', phone, nationalId),
    spec('phone.names', phone, (a) => a.applicant.nameId),
    spec('bank.names', bank, (a) => a.applicant.nameId),
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

/** Each spec's feature names, one per window (`device.identities.1h`): built once per spec, not per application. */
const featureNames = new WeakMap<VelocitySpec, readonly string[]>();
function namesOf(spec: VelocitySpec): readonly string[] {
  let names = featureNames.get(spec);
  if (!names) featureNames.set(spec, (names = spec.windows.map((w) => `${spec.name}.${w.label}`)));
  return names;
}

/** Which windows of each counter to count: those some rule reads (every window when `reads` is absent). */
export function windowMasks(specs: readonly VelocitySpec[], reads?: ReadonlySet<string>): Map<string, number> {
  const masks = new Map<string, number>();
  for (const s of specs) {
    let mask = 0;
    namesOf(s).forEach((name, i) => {
      if (!reads || reads.has(name)) mask |= 1 << i;
    });
    if (s.firstSeen && reads?.has(s.firstSeen)) mask |= 1 << (s.windows.length - 1);
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
 * spec (contacts) give the largest count. A `firstSeen` spec also gives its bool (count 1 over its
 * longest window). `specs` is `specsByName(…)`, built once per batch.
 */
export function velocityFeatures(
  updates: readonly CounterUpdate[],
  counts: readonly (readonly number[])[],
  specs: ReadonlyMap<string, VelocitySpec>,
): Record<string, number | boolean> {
  const features: Record<string, number | boolean> = {};
  updates.forEach((u, i) => {
    const row = counts[i] ?? [];
    const spec = specs.get(u.spec);
    if (!spec) return;
    const names = namesOf(spec);
    for (let j = 0; j < names.length; j++) {
      const count = row[j] ?? -1;
      if (count < 0) continue; // not counted: no rule reads it
      const name = names[j] as string;
      const was = features[name];
      features[name] = typeof was === 'number' && was > count ? was : count;
    }
    const last = row[names.length - 1] ?? -1;
    if (spec.firstSeen && last >= 0) features[spec.firstSeen] = last === 1;
  });
  return features;
}

export const specsByName = (specs: readonly VelocitySpec[]): Map<string, VelocitySpec> => new Map(specs.map((s) => [s.name, s]));

/**
 * The windows to send to the state store: the first spec's (state.windows) are the default, and the
 * longest of them is how long an application id is remembered; specs with other windows send their own.
 */
export function stateWindows(specs: readonly VelocitySpec[]): { windowsMs: number[]; counterWindowsMs: Record<string, number[]> } {
  const ms = (ws: readonly WindowDef[]): number[] => ws.map((w) => w.ms);
  const windowsMs = ms(specs[0]?.windows ?? []);
  const counterWindowsMs: Record<string, number[]> = {};
  for (const s of specs) {
    const own = ms(s.windows);
    if (own.join() !== windowsMs.join()) counterWindowsMs[s.name] = own;
  }
  return { windowsMs, counterWindowsMs };
}
