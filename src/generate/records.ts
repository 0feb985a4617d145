import type { GeoPoint, RawApplication } from '../domain/application.js';
import type { Device } from './devices.js';
import type { AbroadEntry, CityEntry } from './geo-table.js';
import { gpsNear, ipIn, makePerson, type Loan, type Person } from './people.js';
import type { Rng } from './prng.js';
import type { GeneratedApplication, GroundTruth } from './types.js';

/** Drafts (an application before it gets its id) and the helpers both profiles build them with. */

export interface Where {
  ip: string;
  gps?: GeoPoint;
  timezone?: string;
}

export interface Draft {
  t: number;
  loan: Loan;
  applicant: RawApplication['applicant'];
  device: Device;
  /** Device fields to drop (e.g. bots send no screen). */
  omit?: readonly ('screen' | 'language' | 'timezone' | 'rooted' | 'emulator')[];
  where: Where;
  truth: GroundTruth;
}

let dayStart = Number.NaN;
let dayPrefix = '';
const pad = (n: number, w: number): string => String(n).padStart(w, '0');

/** `new Date(Math.floor(t)).toISOString()` (same string), with the date part cached per UTC day. */
export function isoTime(t: number): string {
  const ms = Math.floor(t);
  if (!(ms >= 0 && ms < 253_402_300_800_000)) return new Date(ms).toISOString(); // outside 1970–9999
  const day = ms - (ms % 86_400_000);
  if (day !== dayStart) {
    dayStart = day;
    dayPrefix = new Date(day).toISOString().slice(0, 11);
  }
  const r = ms - day;
  return `${dayPrefix}${pad(Math.floor(r / 3_600_000), 2)}:${pad(Math.floor(r / 60_000) % 60, 2)}:${pad(Math.floor(r / 1000) % 60, 2)}.${pad(r % 1000, 3)}Z`;
}

export function toRecord(id: string, d: Draft): GeneratedApplication {
  const device: RawApplication['device'] = {
    deviceId: d.device.deviceId,
    userAgent: d.device.userAgent,
    platform: d.device.platform,
    timezone: d.where.timezone ?? d.device.timezone,
    language: d.device.language,
    screen: d.device.screen,
  };
  if (d.where.gps) device.gps = d.where.gps;
  device.rooted = d.device.rooted;
  device.emulator = d.device.emulator;
  if (d.omit) for (const k of d.omit) delete device[k];
  return {
    schemaVersion: 1,
    applicationId: id,
    eventTime: isoTime(d.t),
    partnerId: d.loan.partnerId,
    product: d.loan.product,
    amount: d.loan.amount,
    currency: 'CNY',
    termMonths: d.loan.termMonths,
    applicant: d.applicant,
    device,
    network: { ip: d.where.ip },
    _truth: d.truth,
  };
}

export const LEGIT: GroundTruth = { fraud: false, pattern: 'legit' };

export function atCity(rng: Rng, city: CityEntry, device: Device, gpsConsent: boolean, prefix?: string): Where {
  const w: Where = { ip: ipIn(rng, prefix ?? rng.pick(city.prefixes)) };
  const gpsLikely = device.platform === 'web' ? 0.05 : gpsConsent ? 0.95 : 0;
  if (rng.chance(gpsLikely)) w.gps = gpsNear(rng, city.lat, city.lon, 5);
  return w;
}

export function abroad(rng: Rng, place: AbroadEntry, device: Device, gpsConsent: boolean): Where {
  const w: Where = { ip: ipIn(rng, rng.pick(place.prefixes)) };
  if (device.platform !== 'web' && gpsConsent && rng.chance(0.9)) w.gps = gpsNear(rng, place.lat, place.lon, 8);
  // Phones switch zone automatically on arrival; some are set by hand and stay on Beijing time.
  if (rng.chance(0.7)) w.timezone = place.timezone;
  return w;
}

/** `n` sorted times in [start, start + dur]. */
export function timesIn(rng: Rng, n: number, start: number, dur: number): number[] {
  return Array.from({ length: n }, () => start + rng.next() * dur).sort((a, b) => a - b);
}

/** A bought identity set: sparse, often a virtual-operator number, no device of its own. */
export function bought(rng: Rng, t: number, home?: CityEntry): Person {
  return makePerson(rng, t, { sparse: true, virtualShare: 0.45, deviceCount: 0, ...(home ? { home } : {}) });
}

export function attackWhere(_rng: Rng, ip: string, gps?: GeoPoint, timezone?: string): Where {
  const w: Where = { ip };
  if (gps) w.gps = gps;
  if (timezone) w.timezone = timezone;
  return w;
}
