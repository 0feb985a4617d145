import { makeDevice, type Device } from '../devices.js';
import { birthDate, makeBankCard, makeEmail, makeGivenName, makeNationalId, makeSurname } from '../identity.js';
import { CITY_TABLE, declaredRegion, zoneFor } from '../people.js';
import type { Rng } from '../prng.js';
import type { Household, RealPerson } from './households.js';
import type { BoundedSet } from './ring-buffer.js';
import { pickPartner } from './world.js';

/**
 * A new background applicant, member `member` of `hh`: the same identity rules as `makePerson` (national ID of the
 * birthplace, 30 % registered elsewhere; 15 % with two devices; 60 % with e-mail, 90 % with a card), but number and
 * address come from the household, and contacts and employer are filled in by the caller. `issued` holds the
 * national IDs and e-mail addresses given out lately: a new one is never one of them.
 */
export function newMember(rng: Rng, t: number, hh: Household, member: number, issued: BoundedSet, surname?: string): RealPerson {
  const home = hh.city;
  const birthplace = rng.chance(0.7) ? home : CITY_TABLE.pick(rng);
  const male = rng.chance(0.52);
  const born = birthDate(rng, t);
  const sn = surname ?? makeSurname(rng);
  const given = makeGivenName(rng, male);
  const devices: Device[] = [makeDevice(rng, { timezone: zoneFor(rng, home) })];
  if (rng.chance(0.15)) devices.push(makeDevice(rng, { timezone: zoneFor(rng, home) }));
  // Random IDs collide now and then (500 sequence numbers per county, day and sex): real ones do not.
  let nationalId = makeNationalId(rng, birthplace.divisionCode, born, male);
  for (let i = 0; i < 8 && issued.has(nationalId); i++) nationalId = makeNationalId(rng, birthplace.divisionCode, born, male);
  issued.add(nationalId);
  // Name-based addresses collide for common names (two Zhang Weis given weizhang@163.com); a real mailbox has one owner.
  let email = rng.chance(0.6) ? makeEmail(rng, sn, given, born.getUTCFullYear()) : undefined;
  for (let i = 0; i < 8 && email !== undefined && issued.has(email); i++) email = makeEmail(rng, sn, given, born.getUTCFullYear());
  if (email !== undefined) issued.add(email);
  const p: RealPerson = {
    surname: sn,
    given,
    male,
    nationalId,
    phone: hh.phones[member] as string,
    email,
    bankAccount: rng.chance(0.9) ? makeBankCard(rng) : undefined,
    address: hh.address,
    employer: undefined,
    home,
    declared: rng.chance(0.9) ? declaredRegion(rng, home) : undefined,
    contacts: [],
    devices,
    homePrefix: home.prefixes[0] as string,
    partners: rng.chance(0.7) ? [pickPartner(rng)] : [pickPartner(rng), pickPartner(rng)],
    gpsConsent: rng.chance(0.7),
    household: hh,
    member,
    office: undefined,
    friends: [],
    popular: false,
  };
  return p;
}
