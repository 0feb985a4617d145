import { makeDevice, type Device } from '../devices.js';
import type { Background } from '../engine.js';
import { makeBankCard, makeMobile } from '../identity.js';
import { applicantOf, makeLoan, zoneFor } from '../people.js';
import type { Rng } from '../prng.js';
import { LEGIT, type Draft } from '../records.js';
import type { GroundTruth, Tag } from '../types.js';
import { Households, type Household, type RealPerson } from './households.js';
import { newMember } from './person.js';
import { whereFor, type Route } from './network.js';
import { REALISTIC } from './params.js';
import { BoundedSet, RingBuffer } from './ring-buffer.js';
import { Social } from './social.js';
import { pickPartner, type World } from './world.js';

/**
 * The realistic background: new applicants (members of households, employees of offices, with friends among
 * earlier applicants) and re-applications by remembered ones. Memory is bounded: at most `rememberedPeople` people
 * (plus the attachment pools' entries and pending households), the oldest forgotten first.
 */
export class RealisticPopulation implements Background {
  readonly people = new RingBuffer<RealPerson>(REALISTIC.rememberedPeople);
  private readonly households = new Households();
  private readonly issued = new BoundedSet(REALISTIC.issuedIds);
  private readonly social: Social;
  /** Who has applied from each device so far (weak: forgotten with the people and households that hold the device). */
  private readonly deviceUsers = new WeakMap<Device, { first: string; shared: boolean }>();

  constructor(
    private readonly rng: Rng,
    private readonly world: World,
  ) {
    this.social = new Social(world);
  }

  draft(t: number): Draft {
    const rng = this.rng;
    const { p, repeat } = this.pick(t);
    const device = this.deviceOf(p, t);
    const shared = this.sharedUse(p, device);
    const route = whereFor(rng, this.world, p, device, t);
    const truth = legitTruth(cohorts(p, route, shared, repeat));
    return { t, loan: makeLoan(rng, p.partners), applicant: applicantOf(rng, p), device, where: route.where, truth };
  }

  /** A remembered applicant (an account-takeover victim), or undefined early on. */
  remembered(rng: Rng): RealPerson | undefined {
    return this.people.size > 50 ? this.people.pick(rng) : undefined;
  }

  private pick(t: number): { p: RealPerson; repeat: boolean } {
    const rng = this.rng;
    if (this.people.size > 50 && rng.chance(REALISTIC.reapply)) {
      // Re-application: same identity, device(s) and address; often another partner (or product).
      const p = (rng.chance(REALISTIC.reapplyRecent) ? this.people.pickRecent(rng, REALISTIC.recentPeople) : this.people.pick(rng)) as RealPerson;
      if (p.partners.length < 4 && rng.chance(REALISTIC.reapplyNewPartner)) p.partners.push(pickPartner(rng));
      return { p, repeat: true };
    }
    return { p: this.newPerson(t), repeat: false };
  }

  private deviceOf(p: RealPerson, t: number): Device {
    const rng = this.rng;
    const shared = p.household.sharedDevice;
    // The household's tablet stays at home: a traveller applies from their own phone.
    const away = p.trip !== undefined && t < p.trip.until;
    if (shared && rng.chance(REALISTIC.sharedDeviceUse) && !away) return shared;
    return p.devices.length > 1 && rng.chance(0.2) ? (p.devices[1] as Device) : (p.devices[0] as Device);
  }

  /** Has another identity applied from `device` (a household's shared tablet, a second-hand phone)? Notes this use. */
  private sharedUse(p: RealPerson, device: Device): boolean {
    const users = this.deviceUsers.get(device);
    if (!users) this.deviceUsers.set(device, { first: p.nationalId, shared: false });
    else if (users.first !== p.nationalId) users.shared = true;
    return users?.shared ?? false;
  }

  private newPerson(t: number): RealPerson {
    const rng = this.rng;
    let hh = this.households.nextToJoin(rng);
    const founding = hh === undefined;
    hh ??= this.households.create(rng);
    const prospect = founding ? this.social.adoptProspect(rng) : undefined;
    if (prospect) hh.phones[0] = prospect.phone;
    const member = this.households.admit(hh);
    const p = this.member(hh, member, t);
    if (rng.chance(REALISTIC.recycledPhone)) this.recyclePhone(p);
    if (rng.chance(REALISTIC.secondHandDevice)) this.secondHandDevice(p);
    // A friend-to-be who applies now lists the one who listed them, more often than not.
    p.contacts = this.social.contactsFor(rng, p, p.office, prospect && rng.chance(0.6) ? prospect.by : undefined);
    this.people.push(p);
    this.social.join(p);
    if (p.office) {
      p.office.recent.push(p.phone);
      if (p.office.recent.length > 8) p.office.recent.shift();
    }
    return p;
  }

  private member(hh: Household, member: number, t: number): RealPerson {
    const rng = this.rng;
    const p = newMember(rng, t, hh, member, this.issued, member > 0 && rng.chance(REALISTIC.sharedSurname) ? hh.surname : undefined);
    if (member === 0) hh.surname = p.surname;
    if (rng.chance(REALISTIC.employed)) {
      p.office = this.world.hire(rng, hh.city);
      p.employer = p.office.name;
    }
    if (hh.shareCard && member === 0) hh.familyCard = p.bankAccount ??= makeBankCard(rng);
    if (hh.shareCard && member === 1 && hh.familyCard !== undefined) p.bankAccount = hh.familyCard;
    return p;
  }

  /** One of the older half of the remembered people (numbers and phones change hands after a while). */
  private older(): RealPerson | undefined {
    const n = this.people.size;
    return n < 100 ? undefined : this.people.newest(Math.floor(n / 2 + this.rng.next() * (n / 2)));
  }

  private recyclePhone(p: RealPerson): void {
    const old = this.older();
    if (!old) return;
    p.phone = old.phone;
    p.household.phones[p.member] = p.phone;
    old.phone = makeMobile(this.rng); // the old owner moved on to another number
  }

  private secondHandDevice(p: RealPerson): void {
    const old = this.older();
    if (!old || old.devices.length === 0) return;
    p.devices[0] = old.devices[0] as Device;
    old.devices[0] = makeDevice(this.rng, { timezone: zoneFor(this.rng, old.home) }); // the old owner has a new phone
  }
}

/** The cohorts a background record belongs to, from what the generator decided for it (docs/generator.md). */
function cohorts(p: RealPerson, route: Route, sharedDevice: boolean, repeat: boolean): Tag[] {
  const tags: Tag[] = [];
  if (p.household.joined >= 2) tags.push('family'); // another member of the household has applied
  if (route.nat === 'office' || (p.office?.capacity ?? 0) >= REALISTIC.officeTagStaff) tags.push('office');
  if (route.nat === 'cgnat') tags.push('cgnat');
  if (p.popular) tags.push('popular-contact');
  if (route.away) tags.push(route.away === 'abroad' ? 'traveller-abroad' : 'traveller-domestic');
  if (sharedDevice) tags.push('shared-device');
  if (repeat) tags.push('repeat');
  return tags;
}

/** `{ fraud: false, pattern: 'legit' }`, with the tags when there are any. */
function legitTruth(tags: Tag[]): GroundTruth {
  return tags.length > 0 ? { ...LEGIT, tags } : LEGIT;
}
