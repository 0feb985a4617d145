import { CN_CITIES, type CityEntry } from '../geo-table.js';
import { makeMobile } from '../identity.js';
import { CITY_TABLE } from '../people.js';
import { FixedWeights, type Rng } from '../prng.js';
import type { RealPerson } from './households.js';
import { REALISTIC } from './params.js';
import { RingBuffer } from './ring-buffer.js';
import type { Office, World } from './world.js';

/**
 * Who lists whom. Every applicant lists 1–5 contacts: household members, popular numbers, applicant friends and
 * ordinary (non-applicant) numbers. Friends are drawn by preferential attachment: each city keeps a bounded pool
 * with one entry per applicant plus one more each time someone lists them, so the much-listed are listed more.
 * Some friends are colleagues, some a friend's friend (triadic closure), some friends-to-be: numbers that a later
 * applicant will turn out to own.
 */

interface Prospect {
  phone: string;
  by: string;
}

/** Adds `x` to a contact list of at most 5 (not the applicant's own number, no duplicates); true if added. */
function addContact(out: string[], p: RealPerson, x: string): boolean {
  const add = out.length < 5 && x !== p.phone && !out.includes(x);
  if (add) out.push(x);
  return add;
}

const CONTACT_COUNTS = new FixedWeights(REALISTIC.contactCounts, REALISTIC.contactWeights);
const FRIEND_COUNTS = new FixedWeights(REALISTIC.friendCounts, REALISTIC.friendWeights);
const TOTAL_WEIGHT = CN_CITIES.reduce((s, c) => s + c.weight, 0);

export class Social {
  private readonly attach = new Map<CityEntry, RingBuffer<RealPerson>>();
  private readonly prospects: Prospect[] = [];

  constructor(private readonly world: World) {
    for (const c of CN_CITIES) this.attach.set(c, new RingBuffer(Math.max(200, Math.round((REALISTIC.attachEntries * c.weight) / TOTAL_WEIGHT))));
  }

  /** A new applicant becomes someone others can list. */
  join(p: RealPerson): void {
    this.attach.get(p.home)?.push(p);
  }

  /** A friend-to-be whose number a new household founder takes over (removed from the pool). */
  adoptProspect(rng: Rng): Prospect | undefined {
    const n = this.prospects.length;
    if (n === 0 || !rng.chance(REALISTIC.adoptProspect)) return undefined;
    const i = Math.floor(rng.next() * n);
    const p = this.prospects[i] as Prospect;
    this.prospects[i] = this.prospects[n - 1] as Prospect;
    this.prospects.pop();
    return p;
  }

  /** The contact list of a new applicant (at most 5: family first, then popular numbers, friends, others), and their `friends`. */
  contactsFor(rng: Rng, p: RealPerson, office: Office | undefined, extra?: string): string[] {
    const want = CONTACT_COUNTS.pick(rng);
    const out: string[] = [];
    const hh = p.household;
    if (hh.size > 1) {
      addContact(out, p, hh.phones[p.member === 0 ? 1 : 0] as string); // spouse / parent
      if (hh.size > 2 && rng.chance(0.35)) addContact(out, p, hh.phones[rng.int(0, hh.size - 1)] as string); // a child / sibling
    }
    // At most one popular number (listing two of them is rare enough to leave out): one draw instead of eight.
    let x = rng.next();
    for (const pc of this.world.popular) {
      x -= pc.share;
      if (x < 0) {
        p.popular = addContact(out, p, pc.phone);
        break;
      }
    }
    if (extra !== undefined) addContact(out, p, extra);
    p.friends = this.friends(rng, p, office);
    for (const f of p.friends) addContact(out, p, f);
    while (out.length < want) addContact(out, p, makeMobile(rng));
    return out;
  }

  private friends(rng: Rng, p: RealPerson, office: Office | undefined): string[] {
    const n = FRIEND_COUNTS.pick(rng);
    const out: string[] = [];
    let last: RealPerson | undefined;
    for (let i = 0; i < n; i++) {
      if (office && office.recent.length > 0 && rng.chance(REALISTIC.colleagueFriend)) {
        out.push(rng.pick(office.recent));
      } else if (last && last.friends.length > 0 && rng.chance(REALISTIC.triadicClosure)) {
        out.push(rng.pick(last.friends));
      } else if (rng.chance(REALISTIC.prospectFriend)) {
        const phone = makeMobile(rng);
        out.push(phone);
        if (this.prospects.length < REALISTIC.prospects) this.prospects.push({ phone, by: p.phone });
      } else {
        const city = rng.chance(REALISTIC.sameCityFriend) ? p.home : CITY_TABLE.pick(rng);
        const pool = this.attach.get(city);
        const friend = pool?.pick(rng);
        if (!pool || !friend || friend === p || friend.phone === p.phone) continue;
        out.push(friend.phone);
        pool.push(friend); // listed once more: more likely to be listed again
        last = friend;
      }
    }
    return out;
  }
}
