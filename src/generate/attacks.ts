import { BOT_UAS, makeDevice, makeDeviceId, type Device } from './devices.js';
import { ABROAD, CN_CITIES, DATACENTERS } from './geo-table.js';
import { makeMobile } from './identity.js';
import { applicantOf, CITY_TABLE, distanceKm, gpsNear, ipIn, makeFraudLoan, makeLoan, makePerson, sameSlash24 } from './people.js';
import { abroad, atCity, attackWhere, bought, timesIn, type Draft, type Where } from './records.js';
import type { CampaignPlan } from './engine.js';
import type { GroundTruth } from './types.js';

/**
 * The per-record-visible attack campaigns both profiles share (device farm, identity cycling, identity on many
 * devices, proxy burst, impossible travel, bot). Each is a generator of drafts in time order, with its own random
 * stream (`c.rng`).
 */

export function* deviceFarm(c: CampaignPlan): Generator<Draft> {
  const rng = c.rng;
  const farmCity = CITY_TABLE.pick(rng);
  const emulator = rng.chance(0.6);
  const device = makeDevice(rng, { platform: 'android', emulator, rooted: emulator || rng.chance(0.5) });
  const base = ipIn(rng, rng.pick(farmCity.prefixes));
  const ips = [base, ...Array.from({ length: rng.int(0, 3) }, () => sameSlash24(rng, base))];
  const truth: GroundTruth = { fraud: true, pattern: 'device-farm' };
  let person = bought(rng, c.startMs);
  let retried = true;
  for (const t of timesIn(rng, c.size, c.startMs, c.durationMs)) {
    // A few identities are retried once right away (another partner, another amount); most are used once.
    retried = !retried && rng.chance(0.15);
    if (!retried) person = bought(rng, t);
    const gpsMode = rng.next();
    // Spoofed GPS at the identity's declared city (far from the farm's IP), none, or the farm's real location.
    const gps = gpsMode < 0.35 ? gpsNear(rng, person.home.lat, person.home.lon, 3) : gpsMode < 0.7 ? undefined : gpsNear(rng, farmCity.lat, farmCity.lon, 1);
    yield { t, loan: makeFraudLoan(rng), applicant: applicantOf(rng, person), device, where: attackWhere(rng, rng.pick(ips), gps), truth };
  }
}

export function* identityCycling(c: CampaignPlan): Generator<Draft> {
  const rng = c.rng;
  const city = CITY_TABLE.pick(rng);
  const device = makeDevice(rng, { platform: rng.chance(0.7) ? 'android' : 'ios', rooted: rng.chance(0.3) });
  let ip = ipIn(rng, rng.pick(city.prefixes));
  const truth: GroundTruth = { fraud: true, pattern: 'identity-cycling' };
  let person = bought(rng, c.startMs);
  let retried = true;
  for (const t of timesIn(rng, c.size, c.startMs, c.durationMs)) {
    retried = !retried && rng.chance(0.2);
    if (!retried) person = bought(rng, t);
    if (rng.chance(0.1)) ip = ipIn(rng, rng.pick(city.prefixes)); // mobile network re-assigns the address
    const gps = rng.chance(0.6) ? gpsNear(rng, city.lat, city.lon, 2) : undefined;
    yield { t, loan: makeFraudLoan(rng), applicant: applicantOf(rng, person), device, where: attackWhere(rng, ip, gps), truth };
  }
}

export function* identityManyDevices(c: CampaignPlan): Generator<Draft> {
  const rng = c.rng;
  const victim = bought(rng, c.startMs);
  const otherPhone = makeMobile(rng, 0.6);
  const truth: GroundTruth = { fraud: true, pattern: 'identity-many-devices' };
  const sameCity = rng.chance(0.5) ? CITY_TABLE.pick(rng) : undefined;
  let device = makeDevice(rng, { rooted: rng.chance(0.3) });
  for (const t of timesIn(rng, c.size, c.startMs, c.durationMs)) {
    if (rng.chance(0.85)) device = makeDevice(rng, { emulator: rng.chance(0.2), rooted: rng.chance(0.3) });
    const city = sameCity ?? CITY_TABLE.pick(rng);
    const applicant = applicantOf(rng, victim);
    if (rng.chance(0.2)) applicant.phone = `+86${otherPhone}`;
    const gps = device.platform !== 'web' && rng.chance(0.5) ? gpsNear(rng, city.lat, city.lon, 4) : undefined;
    yield { t, loan: makeFraudLoan(rng), applicant, device, where: attackWhere(rng, ipIn(rng, rng.pick(city.prefixes)), gps), truth };
  }
}

export function* proxyBurst(c: CampaignPlan): Generator<Draft> {
  const rng = c.rng;
  const dc = rng.pick(DATACENTERS);
  const base = ipIn(rng, dc.prefix);
  const singleIp = rng.chance(0.5);
  const truth: GroundTruth = { fraud: true, pattern: 'proxy-burst' };
  const platform = rng.chance(0.5) ? 'web' : 'android';
  for (const t of timesIn(rng, c.size, c.startMs, c.durationMs)) {
    const person = bought(rng, t);
    const device = makeDevice(rng, { platform, desktopShare: 0.8, emulator: platform === 'android' && rng.chance(0.4) });
    // Apps behind a proxy still report GPS: spoofed to the identity's declared city, or absent.
    const gps = platform === 'android' && rng.chance(0.4) ? gpsNear(rng, person.home.lat, person.home.lon, 3) : undefined;
    yield {
      t,
      loan: makeFraudLoan(rng),
      applicant: applicantOf(rng, person),
      device,
      where: attackWhere(rng, singleIp ? base : sameSlash24(rng, base), gps),
      truth,
    };
  }
}

const FAR_CITIES = CN_CITIES.filter((c) => ['Urumqi', 'Lhasa', 'Harbin', 'Kunming', 'Haikou'].includes(c.city));

export interface TravelOptions {
  /** Truth of the first application (the genuine customer's, at home). Default: the campaign's, like the rest. */
  genuine?: GroundTruth;
}

export function* impossibleTravel(c: CampaignPlan, opts: TravelOptions = {}): Generator<Draft> {
  const rng = c.rng;
  const person = makePerson(rng, c.startMs, { deviceCount: 1 });
  person.gpsConsent = true;
  const device = person.devices[0] as Device;
  const truth: GroundTruth = { fraud: true, pattern: 'impossible-travel' };
  const far = FAR_CITIES.reduce((best, city) =>
    distanceKm(person.home.lat, person.home.lon, city.lat, city.lon) > distanceKm(person.home.lat, person.home.lon, best.lat, best.lon) ? city : best,
  );
  const goAbroad = rng.chance(0.4);
  const place = rng.pick(ABROAD);
  const times = timesIn(rng, c.size, c.startMs, c.durationMs);
  for (let i = 0; i < times.length; i++) {
    const t = times[i] as number;
    // First at home; then, minutes later, the same identity and device from thousands of km away (a session or
    // device-id replay by whoever bought the data); sometimes back home again.
    const away = i % 2 === 1;
    let where: Where;
    if (!away) where = atCity(rng, person.home, device, true, person.homePrefix);
    else if (goAbroad) where = abroad(rng, place, device, true);
    else where = atCity(rng, far, device, true);
    const first = i === 0;
    const loan = first ? makeLoan(rng, person.partners) : makeFraudLoan(rng);
    yield { t, loan, applicant: applicantOf(rng, person), device, where, truth: first ? (opts.genuine ?? truth) : truth };
  }
}

export function* bot(c: CampaignPlan): Generator<Draft> {
  const rng = c.rng;
  const ua = rng.pick(BOT_UAS);
  const rotateIds = rng.chance(0.6);
  const dcIp = rng.chance(0.7);
  const ip = dcIp ? ipIn(rng, rng.pick(DATACENTERS).prefix) : ipIn(rng, rng.pick(CITY_TABLE.pick(rng).prefixes));
  const platform = /okhttp/.test(ua) ? 'android' : rng.chance(0.5) ? 'web' : 'other';
  const truth: GroundTruth = { fraud: true, pattern: 'bot' };
  let deviceId = makeDeviceId(rng, platform);
  for (const t of timesIn(rng, c.size, c.startMs, c.durationMs)) {
    if (rotateIds) deviceId = makeDeviceId(rng, platform);
    const device: Device = {
      deviceId,
      platform,
      userAgent: ua,
      screen: '',
      language: rng.chance(0.5) ? 'en-US' : 'zh-CN',
      timezone: rng.chance(0.5) ? 'UTC' : 'Asia/Shanghai',
      rooted: false,
      emulator: false,
    };
    yield {
      t,
      loan: makeFraudLoan(rng),
      applicant: applicantOf(rng, bought(rng, t)),
      device,
      omit: ['screen', 'rooted', 'emulator', ...(rng.chance(0.5) ? (['language'] as const) : [])],
      where: attackWhere(rng, rotateIds && !dcIp ? sameSlash24(rng, ip) : ip),
      truth,
    };
  }
}
