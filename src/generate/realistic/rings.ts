import { makeDevice, type Device } from '../devices.js';
import { makeAddress, makeBankCard, makeMobile } from '../identity.js';
import { applicantOf, makeLoan } from '../people.js';
import type { Rng } from '../prng.js';
import type { Draft } from '../records.js';
import type { CampaignPlan } from '../engine.js';
import { CHAIN_LINKS, type ChainLink } from '../simple/rings.js';
import type { GroundTruth, RingPattern } from '../types.js';
import { member, memberWhere, ringBase, ringIdOf, ringSlots, type Member, type RingBase, type Slot } from './ring-members.js';
import type { World } from './world.js';

/**
 * The realistic profile's rings. Members look clean (ring-members.ts); only the shape's shared identifiers tie them
 * together, and camouflage makes them look like the legit hubs (popular contacts, CGNAT, offices).
 */

type Render = (rng: Rng, s: Slot, m: Member) => { device: Device; where: Draft['where'] };

/** Members of the plan (at least a third of its size: 1–3 applications each). */
function membersOf(plan: CampaignPlan, lo: number, hi: number): number {
  const n = plan.members ?? Math.round(plan.size / 2);
  return Math.min(plan.size, Math.max(Math.ceil(plan.size / 3), Math.min(hi, Math.max(lo, n))));
}

function* run(b: RingBase, pattern: RingPattern, render: Render, residential = false): Generator<Draft> {
  const { plan } = b;
  const rng = plan.rng;
  const truth: GroundTruth = { fraud: true, pattern, ringId: ringIdOf(rng) };
  for (const s of ringSlots(rng, plan.size, b.n, plan.startMs, plan.durationMs)) {
    if (plan.from !== undefined && s.t < plan.from) continue;
    const m = member(b, s.member, residential);
    const { device, where } = render(rng, s, m);
    yield { t: s.t, loan: makeLoan(rng, m.p.partners), applicant: applicantOf(rng, m.p), device, where, truth };
  }
}

/** 1–2 mule accounts: every member pays out to one at least once (their first application), often again. */
export function ringMuleAccount(plan: CampaignPlan, world: World): Generator<Draft> {
  const b = ringBase(plan, world, membersOf(plan, 5, 12));
  const mules = Array.from({ length: plan.rng.int(1, 2) }, () => makeBankCard(plan.rng));
  return run(b, 'ring-mule-account', (rng, s, m) => {
    if (s.nth === 0) m.p.bankAccount = mules[s.member % mules.length];
    else if (rng.chance(0.6)) m.p.bankAccount = rng.pick(mules);
    return { device: m.device, where: memberWhere(rng, b, m, m.device) };
  });
}

/** 2–4 organiser numbers (not applicants): the main one on every list, 1..rest of the others, sometimes a fellow member. */
export function ringOrganiserContact(plan: CampaignPlan, world: World): Generator<Draft> {
  const rng = plan.rng;
  const b = ringBase(plan, world, membersOf(plan, 5, 12));
  const [boss, ...rest] = Array.from({ length: rng.int(2, 4) }, () => makeMobile(rng, 0.4)) as [string, ...string[]];
  const lists = b.phones.map((_, i) => {
    const others = rng.shuffle([...rest]).slice(0, rng.int(1, rest.length));
    const fellow = b.n > 1 && rng.chance(0.5) ? [b.phones[(i + rng.int(1, b.n - 1)) % b.n] as string] : [];
    return [boss, ...others, ...fellow];
  });
  return run(b, 'ring-organiser-contact', (r, s, m) => {
    m.p.contacts = [...(lists[s.member] as string[]), ...m.p.contacts];
    return { device: m.device, where: memberWhere(r, b, m, m.device) };
  });
}

/** The same 1–2 fake addresses, each member applying from their own home broadband. */
export function ringFakeAddress(plan: CampaignPlan, world: World): Generator<Draft> {
  const b = ringBase(plan, world, membersOf(plan, 5, 12));
  const fakes = Array.from({ length: plan.rng.int(1, 2) }, () => makeAddress(plan.rng, b.city.city, b.city.province));
  return run(
    b,
    'ring-fake-address',
    (rng, s, m) => {
      m.p.address = fakes[s.member % fakes.length];
      return { device: m.device, where: memberWhere(rng, b, m, m.device, true) };
    },
    true,
  );
}

/** 2–3 studio phones; every member applies from one at least once, from their own home broadband. */
export function ringSharedDevice(plan: CampaignPlan, world: World): Generator<Draft> {
  const b = ringBase(plan, world, membersOf(plan, 5, 12));
  const studios = Array.from({ length: plan.rng.int(2, 3) }, () => makeDevice(plan.rng, { platform: 'android', rooted: plan.rng.chance(0.3) }));
  return run(
    b,
    'ring-shared-device',
    (rng, s, m) => {
      // First application: round-robin over the studio phones (each then used by 2+ members); later ones: any.
      const first = studios[s.member % Math.max(1, Math.min(studios.length, Math.floor(b.n / 2)))] as Device;
      const device = s.nth === 0 ? first : rng.chance(0.5) ? rng.pick(studios) : m.device;
      return { device, where: memberWhere(rng, b, m, device, true) };
    },
    true,
  );
}

type LinkValue = string | Device;

function linkValue(rng: Rng, link: ChainLink, b: RingBase): LinkValue {
  if (link === 'bankAccount') return makeBankCard(rng);
  if (link === 'deviceId') return makeDevice(rng);
  if (link === 'address') return makeAddress(rng, b.city.city, b.city.province);
  if (link === 'email') return `${rng.int(1, 9)}${rng.digits(8)}@qq.com`;
  return makeMobile(rng); // phone: both use it as their own; contact: both list it, nobody else does
}

function applyLink(m: Member, link: ChainLink, v: LinkValue): void {
  if (link === 'deviceId') m.device = v as Device;
  else if (link === 'bankAccount') m.p.bankAccount = v as string;
  else if (link === 'phone') m.p.phone = v as string;
  else if (link === 'address') m.p.address = v as string;
  else if (link === 'email') m.p.email = v as string;
  else m.p.contacts = [v as string, ...m.p.contacts];
}

/** 4–8 members; members i and i+1 share one identifier, consecutive links of different kinds. */
export function ringChain(plan: CampaignPlan, world: World): Generator<Draft> {
  const rng = plan.rng;
  const b = ringBase(plan, world, membersOf(plan, 4, 8));
  const links: ChainLink[] = [];
  for (let i = 0; i + 1 < b.n; i++) links.push(rng.pick(CHAIN_LINKS.filter((l) => l !== links[i - 1])));
  const values = links.map((l) => linkValue(rng, l, b));
  return run(b, 'ring-chain', (r, s, m) => {
    for (const j of [s.member - 1, s.member]) if (j >= 0 && j < links.length) applyLink(m, links[j] as ChainLink, values[j] as LinkValue);
    return { device: m.device, where: memberWhere(r, b, m, m.device) };
  });
}
