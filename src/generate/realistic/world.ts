import { CN_CITIES, type CityEntry } from '../geo-table.js';
import { BIG_EMPLOYERS, makeLocalEmployer, makeMobile } from '../identity.js';
import { ipIn, PARTNER_WEIGHTS, PARTNERS } from '../people.js';
import { FixedWeights, type Rng } from '../prng.js';
import { EXTRA_PARTNER_WEIGHTS, EXTRA_PARTNERS, POPULAR_CONTACTS, REALISTIC } from './params.js';

/**
 * The fixed surroundings of the realistic profile: carrier-grade NAT pools per city, popular contact numbers,
 * offices (a bounded set per city, a full office replaced by a new one) and the partner table.
 */

export const REAL_PARTNERS: readonly string[] = [...PARTNERS, ...EXTRA_PARTNERS];
const PARTNER_TABLE = new FixedWeights(REAL_PARTNERS, [...PARTNER_WEIGHTS, ...EXTRA_PARTNER_WEIGHTS]);

export function pickPartner(rng: Rng): string {
  return PARTNER_TABLE.pick(rng);
}

export interface Office {
  name: string;
  city: CityEntry;
  /** The office's public NAT address(es). */
  nats: string[];
  capacity: number;
  hired: number;
  /** Phones of the last few staff (colleague contacts). */
  recent: string[];
}

interface CgnatPool {
  ips: string[];
  cumulative: number[];
}

export class World {
  readonly popular: { role: string; share: number; phone: string }[];
  private readonly cgnat = new Map<CityEntry, CgnatPool>();
  private readonly offices = new Map<CityEntry, Office[]>();
  /** Total capacity of each city's active offices. */
  private readonly capacity = new Map<CityEntry, number>();

  constructor(private readonly rng: Rng) {
    this.popular = POPULAR_CONTACTS.map((p) => ({ ...p, phone: makeMobile(rng) }));
    for (const city of CN_CITIES) {
      const n = Math.max(2, Math.round(city.weight * REALISTIC.cgnatPerWeight));
      const ips = Array.from({ length: n }, () => ipIn(rng, rng.pick(city.prefixes)));
      let sum = 0;
      this.cgnat.set(city, { ips, cumulative: ips.map((_, k) => (sum += 1 / (k + 1))) });
      const k = Math.max(6, Math.round(REALISTIC.officesPerWeight * city.weight));
      const offices = Array.from({ length: k }, () => this.newOffice(city));
      this.offices.set(city, offices);
      this.capacity.set(
        city,
        offices.reduce((sum, o) => sum + o.capacity, 0),
      );
    }
  }

  /** One of the city's CGNAT addresses (a few carry most of the traffic). */
  cgnatIp(rng: Rng, city: CityEntry): string {
    const pool = this.cgnat.get(city) as CgnatPool;
    const x = rng.next() * (pool.cumulative[pool.cumulative.length - 1] as number);
    let i = 0;
    while ((pool.cumulative[i] as number) <= x) i++;
    return pool.ips[i] as string;
  }

  cgnatIps(city: CityEntry): readonly string[] {
    return (this.cgnat.get(city) as CgnatPool).ips;
  }

  /** An office in `city` that takes on one more employee (chosen by size: big offices hire most). */
  hire(rng: Rng, city: CityEntry): Office {
    const list = this.offices.get(city) as Office[];
    let x = rng.next() * (this.capacity.get(city) as number);
    let i = 0;
    for (; i < list.length - 1; i++) {
      x -= (list[i] as Office).capacity;
      if (x < 0) break;
    }
    const office = list[i] as Office;
    office.hired++;
    if (office.hired >= office.capacity) {
      const next = this.newOffice(city);
      list[i] = next;
      this.capacity.set(city, (this.capacity.get(city) as number) - office.capacity + next.capacity);
    }
    return office;
  }

  /** Some office's NAT address in `city` (ring members' biased camouflage). */
  officeIp(rng: Rng, city: CityEntry): string {
    return rng.pick(rng.pick(this.offices.get(city) as Office[]).nats);
  }

  private newOffice(city: CityEntry): Office {
    const rng = this.rng;
    const r = rng.next();
    // Sizes: 2 % big (150–800 staff, a national name), 13 % medium (30–150), 85 % small (3–30).
    const big = r < 0.02;
    const capacity = big ? rng.int(150, 800) : r < 0.15 ? rng.int(30, 150) : rng.int(3, 30);
    const natCount = big ? rng.int(2, 4) : capacity >= 30 ? rng.int(1, 2) : 1;
    return {
      name: big ? rng.pick(BIG_EMPLOYERS) : makeLocalEmployer(rng, city.city),
      city,
      nats: Array.from({ length: natCount }, () => ipIn(rng, rng.pick(city.prefixes))),
      capacity,
      hired: 0,
      recent: [],
    };
  }
}
