import { makeDevice, type Device } from '../devices.js';
import type { CityEntry } from '../geo-table.js';
import { makeBankCard, makeMobile } from '../identity.js';
import { applicantOf, CITY_TABLE, ipIn, makeFraudLoan, makeLoan, makePerson, type Person } from '../people.js';
import type { Rng } from '../prng.js';
import { bought, timesIn, type Draft } from '../records.js';
import type { CampaignPlan } from '../engine.js';
import type { GroundTruth } from '../types.js';
import { mobileIp, placeAt } from './network.js';
import { ringIdOf, ringSlots } from './ring-members.js';
import { REAL_PARTNERS, type World } from './world.js';

/** Attacks new in the realistic profile: 多头 (multi-lender: sprees and probes) and account takeover. */

const MIN = 60_000;
/** Share of multi-lender campaigns that are an intermediary probing a bought identity (the rest: a borrower's spree). */
const PROBE_SHARE = 0.4;

/** 多头: one identity applying to 4–10 different partners, either a borrower's spree or a probe of a bought identity. */
export function multiLender(c: CampaignPlan, world: World): Generator<Draft> {
  return c.rng.chance(PROBE_SHARE) ? probe(c, world) : spree(c, world);
}

/** A genuine 多头 borrower: same ID and phone, mostly the same device, from home or mobile, within hours. */
function* spree(c: CampaignPlan, world: World): Generator<Draft> {
  const rng = c.rng;
  const p = makePerson(rng, c.startMs, { deviceCount: 2 });
  const router = ipIn(rng, rng.pick(p.home.prefixes));
  const partners = rng.shuffle([...REAL_PARTNERS]);
  const truth: GroundTruth = { fraud: true, pattern: 'multi-lender', tags: ['spree'] };
  const times = timesIn(rng, c.size, c.startMs, c.durationMs);
  for (let k = 0; k < times.length; k++) {
    const t = times[k] as number;
    if (c.from !== undefined && t < c.from) continue;
    const device = rng.chance(0.85) ? (p.devices[0] as Device) : (p.devices[1] as Device);
    const ip = rng.chance(0.6) ? router : mobileIp(rng, world, p.home);
    const loan = makeLoan(rng, [partners[k % partners.length] as string]);
    yield { t, loan, applicant: applicantOf(rng, p), device, where: placeAt(rng, p.home, device, p.gpsConsent, ip), truth };
  }
}

/**
 * An intermediary probing a bought identity across lenders within 15–60 min: a new phone (often a virtual
 * operator's) and a new bank card on every application, their own device 70 % of the time (else another one), from
 * one address or over the mobile network of their city.
 */
function* probe(c: CampaignPlan, world: World): Generator<Draft> {
  const rng = c.rng;
  const p = bought(rng, c.startMs);
  const city = CITY_TABLE.pick(rng);
  const own = makeDevice(rng, { rooted: rng.chance(0.3) });
  const fixedIp = rng.chance(0.5) ? ipIn(rng, rng.pick(city.prefixes)) : undefined;
  const partners = rng.shuffle([...REAL_PARTNERS]);
  const truth: GroundTruth = { fraud: true, pattern: 'multi-lender', tags: ['probe'] };
  const times = timesIn(rng, c.size, c.startMs, Math.min(c.durationMs, rng.range(15, 60) * MIN));
  for (let k = 0; k < times.length; k++) {
    const t = times[k] as number;
    if (c.from !== undefined && t < c.from) continue;
    const device = k === 0 || rng.chance(0.7) ? own : makeDevice(rng, { rooted: rng.chance(0.3) });
    const applicant = applicantOf(rng, { ...p, phone: makeMobile(rng, 0.6), bankAccount: makeBankCard(rng) });
    const loan = { ...makeFraudLoan(rng), partnerId: partners[k % partners.length] as string };
    const where = placeAt(rng, city, device, rng.chance(0.5), fixedIp ?? mobileIp(rng, world, city));
    yield { t, loan, applicant, device, where, truth };
  }
}

/** Where remembered applicants come from (the realistic background). */
export interface VictimSource {
  remembered(rng: Rng): Person | undefined;
}

interface Takeover {
  p: Person;
  device: Device;
  city: CityEntry;
}

function takeOver(rng: Rng, victim: Person, mule: string, device: Device, fraudCity: CityEntry): Takeover {
  const p: Person = { ...victim, bankAccount: mule };
  // The fraudster copies the leaked contact list or types a few numbers of their own; sometimes their own phone.
  p.contacts = rng.chance(0.6) ? [...victim.contacts] : Array.from({ length: rng.int(1, 2) }, () => makeMobile(rng));
  if (rng.chance(0.3)) p.phone = makeMobile(rng, 0.4);
  if (rng.chance(0.4)) delete p.email;
  const city = rng.chance(0.6) && fraudCity !== victim.home ? fraudCity : victim.home;
  return { p, device, city };
}

/**
 * Account takeover: 2–5 existing legit applicants' identities used by one fraudster campaign: new device, new IP
 * (often another city), payout to one mule account shared by the campaign's victims (`ringId` names the campaign).
 */
export function* accountTakeover(c: CampaignPlan, world: World, victims: VictimSource): Generator<Draft> {
  const rng = c.rng;
  const truth: GroundTruth = { fraud: true, pattern: 'account-takeover', ringId: ringIdOf(rng, 'ato') };
  const mule = makeBankCard(rng);
  const fraudCity = CITY_TABLE.pick(rng);
  const shared = rng.chance(0.3) ? makeDevice(rng, { platform: 'android', rooted: rng.chance(0.4) }) : undefined;
  const n = Math.min(c.size, Math.max(c.members ?? 2, Math.ceil(c.size / 2)));
  const seen = new Set<string>();
  const taken: Takeover[] = [];
  for (let i = 0; i < n; i++) {
    let v = victims.remembered(rng);
    for (let tries = 0; v && seen.has(v.nationalId) && tries < 3; tries++) v = victims.remembered(rng);
    if (!v || seen.has(v.nationalId)) v = makePerson(rng, c.startMs, { deviceCount: 1 }); // a customer of before the stream
    seen.add(v.nationalId);
    taken.push(takeOver(rng, v, mule, shared ?? makeDevice(rng, { rooted: rng.chance(0.2) }), fraudCity));
  }
  for (const s of ringSlots(rng, c.size, n, c.startMs, c.durationMs, 2)) {
    if (c.from !== undefined && s.t < c.from) continue;
    const { p, device, city } = taken[s.member] as Takeover;
    const ip = rng.chance(0.7) ? mobileIp(rng, world, city) : ipIn(rng, rng.pick(city.prefixes));
    yield { t: s.t, loan: makeFraudLoan(rng), applicant: applicantOf(rng, p), device, where: placeAt(rng, city, device, rng.chance(0.5), ip), truth };
  }
}
