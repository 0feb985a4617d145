import { makeDevice, type Device } from '../devices.js';
import type { AbroadEntry, CityEntry } from '../geo-table.js';
import { makeAddress, makeMobile } from '../identity.js';
import { CITY_TABLE, ipIn, type Person } from '../people.js';
import { FixedWeights, type Rng } from '../prng.js';
import { REALISTIC } from './params.js';
import type { Office } from './world.js';

/**
 * Households of 1–4 people: one address, one home router, sometimes a shared tablet/phone and a family bank card.
 * All members' numbers are fixed when the household is created, so the first applicant can already list a spouse
 * who applies later (or never). Members apply one by one: a new applicant joins a household that still has members
 * to come with probability pending / (pending + joinScale), which keeps the size mix in the output.
 */

const SIZES = new FixedWeights(REALISTIC.householdSizes, REALISTIC.householdWeights);

export interface Household {
  city: CityEntry;
  address: string;
  /** Home broadband address (absent: the household is on mobile data only). */
  router?: string;
  sharedDevice?: Device;
  surname: string;
  size: number;
  /** Members' numbers (11 digits), index = member number. */
  phones: string[];
  /** Members who have applied so far. */
  joined: number;
  /** Set when the second member applies with the founder's card. */
  shareCard: boolean;
  familyCard?: string;
  /** Index in the pending list (-1: not pending). */
  slot: number;
}

/** A background applicant of the realistic profile. */
export interface RealPerson extends Person {
  household: Household;
  member: number;
  office?: Office;
  /** Numbers of applicant friends (and friends-to-be) this person listed: friends of friends for triadic closure. */
  friends: string[];
  /** Lists one of the world's popular contacts. */
  popular: boolean;
  /** Away from home until `until` (event time): every application of the trip comes from there. */
  trip?: Trip;
  /** Event time of this person's last application (a trip starts only hours after it: travel takes time). */
  lastAt?: number;
}

/** A trip: another city in China, or abroad. */
export type Trip = { until: number } & ({ city: CityEntry } | { place: AbroadEntry });

export class Households {
  private readonly pending: Household[] = [];

  /** A household with members still to come, or undefined: found a new one. */
  nextToJoin(rng: Rng): Household | undefined {
    const n = this.pending.length;
    if (n === 0) return undefined;
    if (n < REALISTIC.pendingHouseholds && !rng.chance(n / (n + REALISTIC.joinScale))) return undefined;
    return this.pending[Math.floor(rng.next() * n)];
  }

  create(rng: Rng): Household {
    const city = CITY_TABLE.pick(rng);
    const size = SIZES.pick(rng);
    const hh: Household = {
      city,
      router: undefined,
      sharedDevice: undefined,
      address: makeAddress(rng, city.city, city.province),
      surname: '',
      size,
      phones: [],
      joined: 0,
      shareCard: size > 1 && rng.chance(REALISTIC.familyCard),
      familyCard: undefined,
      slot: -1,
    };
    for (let i = 0; i < size; i++) hh.phones.push(makeMobile(rng));
    if (rng.chance(REALISTIC.broadband)) hh.router = ipIn(rng, rng.pick(city.prefixes));
    if (size > 1 && rng.chance(REALISTIC.sharedDevice)) hh.sharedDevice = makeDevice(rng, { platform: rng.chance(0.6) ? 'android' : 'ios' });
    if (size > 1) hh.slot = this.pending.push(hh) - 1;
    return hh;
  }

  /** The next member number of `hh` (and forgets the household once everyone has applied). */
  admit(hh: Household): number {
    const member = hh.joined++;
    if (hh.joined >= hh.size && hh.slot >= 0) {
      const last = this.pending.pop() as Household;
      if (last !== hh) {
        this.pending[hh.slot] = last;
        last.slot = hh.slot;
      }
      hh.slot = -1;
    }
    return member;
  }

  get pendingCount(): number {
    return this.pending.length;
  }
}
