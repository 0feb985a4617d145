import type { DeclaredRegion, GeoPoint, RawApplication } from '../domain/application.js';
import { makeDevice, type Device } from './devices.js';
import { CN_CITIES, cidrRange, numberToIpv4, type CityEntry } from './geo-table.js';
import {
  birthDate,
  formatPhone,
  makeAddress,
  makeBankCard,
  makeEmail,
  makeEmployer,
  makeGivenName,
  makeMobile,
  makeNationalId,
  makeSurname,
} from './identity.js';
import { WeightedTable, type Rng } from './prng.js';

/** Synthetic people, what they apply for, and where from (pure). */

export interface Person {
  surname: string;
  given: string;
  male: boolean;
  nationalId: string;
  /** 11-digit national number; formatted per record. */
  phone: string;
  email?: string;
  bankAccount?: string;
  address?: string;
  employer?: string;
  home: CityEntry;
  declared?: DeclaredRegion;
  /** 11-digit national numbers. */
  contacts: string[];
  devices: Device[];
  homePrefix: string;
  partners: string[];
  gpsConsent: boolean;
}

export const CITY_TABLE = new WeightedTable(CN_CITIES, (c) => c.weight);

export const PARTNERS = [
  'partner-ecommerce-mall',
  'partner-short-video',
  'partner-ride-hailing',
  'partner-food-delivery',
  'partner-phone-maker',
  'partner-telco-wallet',
  'partner-airline-installments',
  'partner-travel-ota',
  'direct-app',
] as const;
export const PARTNER_WEIGHTS = [25, 15, 12, 12, 8, 6, 4, 4, 14];

interface ProductSpec {
  product: string;
  weight: number;
  median: number;
  sigma: number;
  min: number;
  max: number;
  terms: readonly number[];
  termWeights: readonly number[];
}

export const PRODUCTS: readonly ProductSpec[] = [
  { product: 'cash-installment', weight: 40, median: 6000, sigma: 0.8, min: 500, max: 200_000, terms: [3, 6, 12, 24, 36], termWeights: [10, 25, 40, 15, 10] },
  { product: 'consumer-installment', weight: 30, median: 2500, sigma: 0.9, min: 100, max: 50_000, terms: [3, 6, 9, 12], termWeights: [30, 30, 10, 30] },
  { product: 'small-cash', weight: 14, median: 1500, sigma: 0.5, min: 500, max: 5000, terms: [1, 3], termWeights: [60, 40] },
  { product: 'credit-line', weight: 10, median: 20_000, sigma: 0.7, min: 1000, max: 300_000, terms: [12, 24, 36], termWeights: [40, 35, 25] },
  { product: 'car-loan', weight: 3, median: 120_000, sigma: 0.4, min: 30_000, max: 600_000, terms: [24, 36, 60], termWeights: [30, 45, 25] },
  { product: 'sme-loan', weight: 3, median: 80_000, sigma: 0.8, min: 10_000, max: 1_000_000, terms: [6, 12, 24, 36], termWeights: [15, 45, 25, 15] },
];
const PRODUCT_TABLE = new WeightedTable(PRODUCTS, (p) => p.weight);

export interface Loan {
  partnerId: string;
  product: string;
  amount: number;
  termMonths: number;
}

function roundAmount(rng: Rng, x: number): number {
  const step = x < 2000 ? 100 : x < 20_000 ? (rng.chance(0.6) ? 1000 : 500) : x < 100_000 ? 5000 : 10_000;
  return Math.max(step, Math.round(x / step) * step);
}

/** A legitimate request: log-normal amounts per product, rounded the way people type them. */
export function makeLoan(rng: Rng, partners: readonly string[]): Loan {
  const spec = PRODUCT_TABLE.pick(rng);
  const raw = Math.min(spec.max, Math.max(spec.min, rng.logNormal(spec.median, spec.sigma)));
  return {
    partnerId: rng.pick(partners),
    product: spec.product,
    amount: roundAmount(rng, raw),
    termMonths: rng.weighted(spec.terms, spec.termWeights),
  };
}

/** Fraudsters ask for the most they think will pass: round, high amounts on cash products. */
export function makeFraudLoan(rng: Rng): Loan {
  const product = rng.weighted(['cash-installment', 'small-cash', 'credit-line', 'consumer-installment'], [50, 20, 20, 10]);
  const amount = product === 'small-cash' ? rng.pick([3000, 5000]) : rng.pick([10_000, 20_000, 30_000, 50_000, 50_000, 100_000, 200_000]);
  const terms = product === 'small-cash' ? [1, 3] : [12, 24, 36];
  return { partnerId: rng.weighted(PARTNERS, PARTNER_WEIGHTS), product, amount, termMonths: rng.pick(terms) };
}

export function declaredRegion(rng: Rng, city: CityEntry): DeclaredRegion {
  const zh = rng.chance(0.6);
  return { country: 'CN', region: zh ? city.provinceZh : city.province, city: zh ? city.cityZh : city.city };
}

export interface PersonOptions {
  home?: CityEntry;
  /** Share of numbers from virtual-operator segments (bought SIMs). */
  virtualShare?: number;
  /** Bought identity sets: fewer optional fields, fewer contacts. */
  sparse?: boolean;
  surname?: string;
  deviceCount?: number;
}

export function makePerson(rng: Rng, nowMs: number, opts: PersonOptions = {}): Person {
  const home = opts.home ?? CITY_TABLE.pick(rng);
  const sparse = opts.sparse ?? false;
  // Many people live far from where they were born (the ID's division code says where they were registered).
  const birthplace = rng.chance(0.7) ? home : CITY_TABLE.pick(rng);
  const male = rng.chance(0.52);
  const born = birthDate(rng, nowMs);
  const surname = opts.surname ?? makeSurname(rng);
  const given = makeGivenName(rng, male);
  const contactCount = sparse ? rng.weighted([0, 1, 2], [50, 30, 20]) : rng.weighted([0, 1, 2, 3, 4, 5], [10, 15, 30, 25, 12, 8]);
  const deviceCount = opts.deviceCount ?? (rng.chance(0.15) ? 2 : 1);
  const devices: Device[] = [];
  for (let i = 0; i < deviceCount; i++) devices.push(makeDevice(rng, { timezone: zoneFor(rng, home) }));
  const p: Person = {
    surname,
    given,
    male,
    nationalId: makeNationalId(rng, birthplace.divisionCode, born, male),
    phone: makeMobile(rng, opts.virtualShare ?? 0.01),
    home,
    contacts: Array.from({ length: contactCount }, () => makeMobile(rng)),
    devices,
    homePrefix: rng.pick(home.prefixes),
    partners: rng.chance(0.7) ? [rng.weighted(PARTNERS, PARTNER_WEIGHTS)] : [rng.weighted(PARTNERS, PARTNER_WEIGHTS), rng.weighted(PARTNERS, PARTNER_WEIGHTS)],
    gpsConsent: rng.chance(0.7),
  };
  if (rng.chance(sparse ? 0.3 : 0.6)) p.email = makeEmail(rng, surname, given, born.getUTCFullYear());
  if (rng.chance(sparse ? 0.95 : 0.9)) p.bankAccount = makeBankCard(rng);
  if (rng.chance(sparse ? 0.6 : 0.85)) p.address = makeAddress(rng, home.city, home.province);
  if (rng.chance(sparse ? 0.3 : 0.7)) p.employer = makeEmployer(rng, home.city);
  if (rng.chance(0.9)) p.declared = declaredRegion(rng, home);
  return p;
}

/** Most phones in Xinjiang still run on Beijing time; some use Asia/Urumqi (UTC+6). */
export function zoneFor(rng: Rng, city: CityEntry): string {
  return city.province === 'Xinjiang' && rng.chance(0.2) ? 'Asia/Urumqi' : 'Asia/Shanghai';
}

export function applicantOf(rng: Rng, p: Person): RawApplication['applicant'] {
  const a: RawApplication['applicant'] = {
    nationalId: p.nationalId,
    name: `${p.surname} ${p.given}`,
    phone: formatPhone(rng, p.phone),
  };
  if (p.email !== undefined) a.email = p.email;
  if (p.bankAccount !== undefined) a.bankAccount = p.bankAccount;
  if (p.address !== undefined) a.address = p.address;
  if (p.employer !== undefined) a.employer = p.employer;
  if (p.declared !== undefined) a.declaredRegion = { ...p.declared };
  a.contacts = p.contacts.map((c) => formatPhone(rng, c));
  return a;
}

const RANGES = new Map<string, { first: number; size: number }>();

/** A host address inside `cidr` (never .0 or .255). */
export function ipIn(rng: Rng, cidr: string): string {
  let range = RANGES.get(cidr);
  if (range === undefined) RANGES.set(cidr, (range = cidrRange(cidr)));
  const { first, size } = range;
  if (size <= 256) return numberToIpv4(first + rng.int(1, Math.min(254, size - 2)));
  const block = rng.int(0, size / 256 - 1);
  return numberToIpv4(first + block * 256 + rng.int(1, 254));
}

/** The /24 of `ip` with another host number. */
export function sameSlash24(rng: Rng, ip: string): string {
  return `${ip.slice(0, ip.lastIndexOf('.'))}.${rng.int(1, 254)}`;
}

/** A point uniformly within `maxKm` of lat/lon (what a phone's location service reports). */
export function gpsNear(rng: Rng, lat: number, lon: number, maxKm: number): GeoPoint {
  const r = maxKm * Math.sqrt(rng.next());
  const theta = rng.next() * 2 * Math.PI;
  const dLat = (r * Math.cos(theta)) / 111.32;
  const dLon = (r * Math.sin(theta)) / (111.32 * Math.cos((lat * Math.PI) / 180));
  return {
    lat: Math.round((lat + dLat) * 1e5) / 1e5,
    lon: Math.round((lon + dLon) * 1e5) / 1e5,
    accuracyM: Math.round(Math.min(500, Math.max(3, rng.logNormal(25, 0.7)))),
  };
}

export function distanceKm(aLat: number, aLon: number, bLat: number, bLon: number): number {
  const r = Math.PI / 180;
  const x = Math.sin(((bLat - aLat) * r) / 2) ** 2 + Math.cos(aLat * r) * Math.cos(bLat * r) * Math.sin(((bLon - aLon) * r) / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.sqrt(x));
}
