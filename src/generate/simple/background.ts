import type { Device } from '../devices.js';
import { ABROAD } from '../geo-table.js';
import { applicantOf, CITY_TABLE, makeLoan, makePerson, type Person } from '../people.js';
import type { Rng } from '../prng.js';
import { abroad, atCity, LEGIT, type Draft, type Where } from '../records.js';

/**
 * The `simple` profile's background: ordinary applicants, with repeat applications, households, colleagues,
 * travellers (unchanged from the original generator).
 */

export class Population {
  private readonly recent: Person[] = [];
  private next = 0;
  private static readonly CAP = 20_000;

  constructor(private readonly rng: Rng) {}

  private remember(p: Person): void {
    if (this.recent.length < Population.CAP) this.recent.push(p);
    else this.recent[this.next++ % Population.CAP] = p;
  }

  pick(t: number): Person {
    const rng = this.rng;
    if (this.recent.length > 50 && rng.chance(0.12)) return rng.pick(this.recent); // re-application, other partner/product
    let p: Person;
    const other = this.recent.length > 50 ? rng.pick(this.recent) : undefined;
    const r = rng.next();
    if (other && r < 0.08) {
      // Household: same address and city, list each other as contacts, sometimes share the family tablet/phone.
      p = makePerson(rng, t, { home: other.home, surname: rng.chance(0.6) ? other.surname : undefined });
      if (other.address) p.address = other.address;
      p.homePrefix = other.homePrefix;
      p.contacts = [other.phone, ...p.contacts.slice(0, 3)];
      if (!other.contacts.includes(p.phone) && other.contacts.length < 6) other.contacts.push(p.phone);
      if (rng.chance(0.25) && other.devices[0]) p.devices = [other.devices[0], ...p.devices];
    } else if (other && r < 0.14 && other.employer) {
      // Colleague: same employer and city; some list a colleague as emergency contact.
      p = makePerson(rng, t, { home: other.home });
      p.employer = other.employer;
      if (rng.chance(0.3)) p.contacts = [other.phone, ...p.contacts.slice(0, 3)];
    } else {
      p = makePerson(rng, t);
    }
    this.remember(p);
    return p;
  }

  draft(t: number): Draft {
    const rng = this.rng;
    const p = this.pick(t);
    const device = p.devices.length > 1 && rng.chance(0.2) ? (p.devices[1] as Device) : (p.devices[0] as Device);
    let where: Where;
    const r = rng.next();
    if (r < 0.012) {
      where = atCity(rng, CITY_TABLE.pick(rng), device, p.gpsConsent); // business trip / visiting family
    } else if (r < 0.015) {
      where = abroad(rng, rng.pick(ABROAD), device, p.gpsConsent); // holiday abroad
    } else {
      where = atCity(rng, p.home, device, p.gpsConsent, rng.chance(0.7) ? p.homePrefix : undefined);
    }
    return { t, loan: makeLoan(rng, p.partners), applicant: applicantOf(rng, p), device, where, truth: LEGIT };
  }
}
