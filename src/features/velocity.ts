import type { Application } from '../domain/application.js';

/**
 * Sliding-window velocity definitions (pure). Each counter is a sorted set per entity: the member is
 * the application id (a count of applications) or another identifier's pseudonym (a distinct count),
 * and the score is the event time. Re-adding a member is a no-op, so a replay never counts twice.
 */
export interface VelocitySpec {
  /** Stable name, used in feature names and Redis keys, e.g. `device.apps`. */
  name: string;
  entity: (app: Application) => string | undefined;
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

const all = [WINDOWS['10m'], WINDOWS['1h'], WINDOWS['24h'], WINDOWS['7d']];
const appId = (a: Application): string => a.applicationId;

export const DEFAULT_VELOCITY: readonly VelocitySpec[] = [
  { name: 'device.apps', entity: (a) => a.device.deviceId.id, member: appId, windows: all },
  { name: 'device.identities', entity: (a) => a.device.deviceId.id, member: (a) => a.applicant.nationalId.id, windows: all },
  { name: 'identity.apps', entity: (a) => a.applicant.nationalId.id, member: appId, windows: all },
  { name: 'identity.devices', entity: (a) => a.applicant.nationalId.id, member: (a) => a.device.deviceId.id, windows: all },
  { name: 'phone.apps', entity: (a) => a.applicant.phone.id, member: appId, windows: all },
  { name: 'ip.apps', entity: (a) => a.network.ipId.id, member: appId, windows: all },
  { name: 'ip.identities', entity: (a) => a.network.ipId.id, member: (a) => a.applicant.nationalId.id, windows: all },
];

/** One counter update: add `member` at `atMs` to the set of `entity`, then count each window. */
export interface VelocityObservation {
  spec: string;
  entity: string;
  member: string;
  atMs: number;
  windowsMs: number[];
}

export function observationsFor(app: Application, specs: readonly VelocitySpec[]): VelocityObservation[] {
  const out: VelocityObservation[] = [];
  for (const spec of specs) {
    const entity = spec.entity(app);
    const member = spec.member(app);
    if (!entity || !member) continue;
    out.push({ spec: spec.name, entity, member, atMs: app.eventTimeMs, windowsMs: spec.windows.map((w) => w.ms) });
  }
  return out;
}

/** Turns the counts returned for `observationsFor(app)` into named features, e.g. `device.identities.1h`. */
export function velocityFeatures(
  observations: readonly VelocityObservation[],
  counts: readonly (readonly number[])[],
  specs: readonly VelocitySpec[],
): Record<string, number> {
  const features: Record<string, number> = {};
  observations.forEach((obs, i) => {
    const spec = specs.find((s) => s.name === obs.spec);
    const row = counts[i] ?? [];
    spec?.windows.forEach((w, j) => {
      features[`${obs.spec}.${w.label}`] = row[j] ?? 0;
    });
  });
  return features;
}
