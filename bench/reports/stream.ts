/**
 * The report bench's synthetic traffic (pure, seeded): contract-valid assessments (contracts/assessment.schema.json)
 * with the variety of a real lending channel mix, and ring alerts (contracts/alert.schema.json, the shape of
 * test/helpers/trend-stream.ts `ring()`):
 *
 * - 200 partners with a Zipf share (s = 1.1: the biggest takes ≈ 17 %, the 100th ≈ 0.1 %)
 * - 30 Chinese provinces by population, ≈ 2.5 % from 6 other countries, 0.5 % without geo
 * - 5 residential and 5 data-centre ASNs; 3 % data-centre, 1 % VPN, 0.1 % Tor, 2 % carrier NAT
 * - mobile / desktop / tablet with their OSes; 1 % emulators, 0.3 % headless, 0.5 % bots
 * - ≈ 5 % alerted (more on risky traffic) with 1–3 of 40 rule codes; 12 % of the rest carry one low-severity code
 * - alerted applications' identifiers are mostly unique; 15 % use one of 300 farm devices, 10 % one of 1,000
 *   shared data-centre IPs, 8 % one of 3,000 agents' phones, 8 % one of 2,000 mule bank accounts (their pseudonyms
 *   contain `farm`, so the report fill keeps them across days); the `<kind>.identities.*` velocity features say so
 *   (and a couple's phone or card, a household or carrier-NAT IP, shows 2 or more identities too), which is what the
 *   identifier dimension keys on
 * - optionally (`model`) a model stage: a version, a probability, 3 contributions and one bin per feature
 *
 * `expect` counts what the rollups must hold, from the generator's own choices (not from src/reports/dimensions.ts).
 */
import type { RingAlert } from '../../src/domain/alert.js';
import type { Assessment, EvidenceValue, Flag, Level, ModelResult } from '../../src/domain/assessment.js';
import { Rng } from '../../src/generate/prng.js';

const HOUR = 3_600_000;

class Weighted<T> {
  private readonly cum: number[] = [];
  constructor(
    readonly items: readonly T[],
    weights: readonly number[],
  ) {
    let s = 0;
    for (const w of weights) this.cum.push((s += w));
  }
  pick(rng: Rng): T {
    const x = rng.next() * (this.cum[this.cum.length - 1] as number);
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cum[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

const zipf = (n: number, s: number): number[] => Array.from({ length: n }, (_, k) => 1 / (k + 1) ** s);

export const CAMPAIGN_PARTNER = 'partner-cash-app';
const PARTNERS = Array.from({ length: 200 }, (_, k) => (k === 40 ? CAMPAIGN_PARTNER : `partner-${String(k).padStart(3, '0')}`));
const partners = new Weighted(PARTNERS, zipf(PARTNERS.length, 1.1));

// Province and population (millions): the share of a region's applications.
const CN: [string, number][] = [
  ['Guangdong', 126],
  ['Shandong', 101],
  ['Henan', 99],
  ['Jiangsu', 85],
  ['Sichuan', 84],
  ['Hebei', 75],
  ['Hunan', 66],
  ['Zhejiang', 65],
  ['Anhui', 61],
  ['Hubei', 58],
  ['Guangxi', 50],
  ['Yunnan', 47],
  ['Jiangxi', 45],
  ['Liaoning', 43],
  ['Fujian', 41],
  ['Shaanxi', 40],
  ['Guizhou', 39],
  ['Shanxi', 35],
  ['Heilongjiang', 32],
  ['Chongqing', 32],
  ['Xinjiang', 26],
  ['Gansu', 25],
  ['Shanghai', 25],
  ['Jilin', 24],
  ['Inner Mongolia', 24],
  ['Beijing', 22],
  ['Tianjin', 14],
  ['Hainan', 10],
  ['Ningxia', 7],
  ['Qinghai', 6],
];
const FOREIGN: [string, string, number, string][] = [
  ['HK', 'Hong Kong', 0.8, 'AS4760 HKT'],
  ['SG', 'Singapore', 0.5, 'AS9506 Singtel'],
  ['US', 'California', 0.4, 'AS7922 Comcast'],
  ['JP', 'Tokyo', 0.3, 'AS2516 KDDI'],
  ['MY', 'Kuala Lumpur', 0.3, 'AS4788 TM Net'],
  ['VN', 'Ho Chi Minh City', 0.2, 'AS7552 Viettel'],
];
type Geo = { country: string | null; region: string | null; asn?: string };
const cnTotal = CN.reduce((s, [, p]) => s + p, 0);
const geos = new Weighted<Geo>(
  [
    ...CN.map(([region]): Geo => ({ country: 'CN', region })),
    ...FOREIGN.map(([country, region, , asn]): Geo => ({ country, region, asn })),
    { country: null, region: null },
  ],
  [...CN.map(([, p]) => (p / cnTotal) * 97), ...FOREIGN.map(([, , share]) => share), 0.5],
);
const RESIDENTIAL = new Weighted(
  ['AS4134 Chinanet', 'AS4837 China Unicom', 'AS9808 China Mobile', 'AS17816 China Unicom Guangdong', 'AS4812 China Telecom Shanghai'],
  [45, 25, 20, 6, 4],
);
const DATACENTRE = new Weighted(['AS37963 Alibaba', 'AS45090 Tencent', 'AS55990 Huawei Cloud', 'AS16509 Amazon', 'AS14061 DigitalOcean'], [40, 25, 15, 12, 8]);
const asnParts = (s: string): [number, string] => {
  const i = s.indexOf(' ');
  return [Number(s.slice(2, i)), s.slice(i + 1)];
};

type Device = { type: string | null; os: string | null };
const devices = new Weighted<Device>(
  [
    { type: 'mobile', os: 'Android' },
    { type: 'mobile', os: 'iOS' },
    { type: 'mobile', os: 'HarmonyOS' },
    { type: 'desktop', os: 'Windows' },
    { type: 'desktop', os: 'macOS' },
    { type: 'desktop', os: 'Linux' },
    { type: 'tablet', os: 'iOS' },
    { type: 'tablet', os: 'Android' },
    { type: null, os: null },
  ],
  [57, 23, 4, 10.4, 2, 0.6, 1.8, 1.2, 1],
);

export const RULE_CODES = [
  'IP_DATACENTER',
  'IP_VPN',
  'IP_TOR',
  'IP_BLOCKLIST',
  'IP_COUNTRY_MISMATCH',
  'IP_GPS_DISTANCE',
  'IP_VELOCITY_1H',
  'IP_SHARED_MANY',
  'DEVICE_EMULATOR',
  'DEVICE_HEADLESS',
  'DEVICE_BOT',
  'DEVICE_ROOTED',
  'DEVICE_SHARED',
  'DEVICE_NEW',
  'DEVICE_UA_MISSING',
  'DEVICE_PLATFORM_MISMATCH',
  'PHONE_VELOCITY_24H',
  'PHONE_SHARED',
  'PHONE_VIRTUAL',
  'ID_VELOCITY_7D',
  'ID_SHARED_PHONE',
  'ID_AGE_MISMATCH',
  'BANK_SHARED',
  'BANK_VELOCITY',
  'EMAIL_DISPOSABLE',
  'EMAIL_VELOCITY',
  'GEO_TZ_MISMATCH',
  'GEO_REGION_MISMATCH',
  'AMOUNT_HIGH',
  'AMOUNT_ROUND',
  'NIGHT_APPLICATION',
  'THIN_PROFILE',
  'CONTACTS_FEW',
  'RING_MEMBER',
  'RING_KNOWN_FRAUD',
  'GRAPH_HUB_NEAR',
  'BURST_PARTNER',
  'PROXY_BURST',
  'KNOWN_FRAUD_LINK',
  'APP_TAMPERED',
] as const;
// Alert reasons by frequency (a long tail); the six cause codes come from the traffic itself.
const alertCodes = new Weighted(RULE_CODES.slice(11), zipf(RULE_CODES.length - 11, 0.9));
const LOW_CODES = new Weighted(['DEVICE_NEW', 'THIN_PROFILE', 'NIGHT_APPLICATION', 'GEO_TZ_MISMATCH', 'AMOUNT_ROUND', 'CONTACTS_FEW'], [30, 25, 15, 12, 10, 8]);

const flag = (code: string, severity: Flag['severity'], weight: number): Flag => ({
  code,
  severity,
  weight,
  reason: `${code.toLowerCase().replace(/_/g, ' ')} (synthetic)`,
  evidence: {},
});

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
function digest(rng: Rng): string {
  let s = '';
  for (let i = 0; i < 22; i++) s += B64[rng.u32() & 63];
  return s;
}
const farm = (prefix: string, k: number, width = 22): string => `${prefix}_farm${String(k).padStart(width - 4, '0')}`;
const tail4 = (rng: Rng): string => String(rng.int(0, 9999)).padStart(4, '0');

/** What the rollups must hold, counted from the generator's own choices. */
export interface Expected {
  count: number;
  alerts: number;
  /** sum of `applications` per dimension */
  applications: Record<string, number>;
  /** sum of `alerts` per dimension */
  alertsBy: Record<string, number>;
}

export const newExpected = (): Expected => ({ count: 0, alerts: 0, applications: {}, alertsBy: {} });
const ONE_VALUE = ['all', 'partner', 'country', 'region', 'network', 'asn', 'deviceType', 'os', 'partnerNetwork', 'partnerRegion'];
function tally(e: Expected, a: Assessment, codes: number, automation: number, identifiers: number, modelBins: number): void {
  e.count += 1;
  if (a.alert) e.alerts += 1;
  const add = (d: string, n: number): void => {
    e.applications[d] = (e.applications[d] ?? 0) + n;
    if (a.alert) e.alertsBy[d] = (e.alertsBy[d] ?? 0) + n;
  };
  for (const d of ONE_VALUE) add(d, 1);
  add('rule', codes);
  add('automation', automation);
  add('identifier', identifiers);
  if (modelBins > 0) add('modelBin', modelBins);
}

/** A model stage (docs/model.md): every assessment carries its version, probability, top contributions and one bin per feature. */
export interface ModelSpec {
  features: number;
  version: string;
}

const BIN_CHARS = 'ABCDEFGHI';
const CONTRIBUTORS = ['device.identities.24h', 'ip.identities.1h', 'flag.IP_DATACENTER', 'identity.partners.30d', 'phone.identities.7d', 'ip.country'];

/** One character per feature: bins A–H skewed towards the first (equal-frequency bins of a long tail look like this), 2 % missing (I). */
function modelResult(rng: Rng, m: ModelSpec, score: number, level: Level, alert: boolean): ModelResult {
  let bins = '';
  for (let i = 0; i < m.features; i++) bins += BIN_CHARS[rng.chance(0.02) ? 8 : Math.floor(8 * rng.next() ** 1.5)] as string;
  const contributions = Array.from({ length: 3 }, (_, k) => ({
    feature: CONTRIBUTORS[(k + rng.int(0, 5)) % CONTRIBUTORS.length] as string,
    bin: `(${k}, ${k + 2}]`,
    points: Math.round(rng.range(-20, 40) * 10) / 10,
    value: rng.int(0, 12),
  }));
  const probability = alert ? rng.range(0.3, 0.97) : rng.range(0.001, 0.2);
  return { version: m.version, probability: Math.round(probability * 1e4) / 1e4, rulesScore: score, rulesLevel: level, contributions, bins };
}

export interface Campaign {
  /** every application of the campaign: one partner, data-centre IPs in CN/Zhejiang, 90 % alerted */
  on: boolean;
}

/**
 * Assessment number `i` (of a stream named by `rng`'s seed) at `atMs`. `campaign`: the injected trend (one
 * partner from Alibaba data-centre IPs in CN/Zhejiang, farm devices, 90 % alerted with IP_DATACENTER, PROXY_BURST).
 */
export function assessment(rng: Rng, tag: string, i: number, atMs: number, expected?: Expected, campaign = false, model?: ModelSpec): Assessment {
  const geo: Geo = campaign ? { country: 'CN', region: 'Zhejiang' } : geos.pick(rng);
  const dev: Device = campaign ? { type: 'mobile', os: 'Android' } : devices.pick(rng);
  const r = rng.next();
  const tor = !campaign && r < 0.001;
  const vpn = !campaign && !tor && r < 0.011;
  const datacenter = campaign || (!tor && !vpn && r < 0.041);
  const cgnat = !datacenter && !tor && !vpn && r < 0.061;
  const asn = datacenter ? (campaign ? 'AS37963 Alibaba' : DATACENTRE.pick(rng)) : (geo.asn ?? RESIDENTIAL.pick(rng));
  const [asNumber, asOrg] = asnParts(asn);
  const emulator = dev.type === 'mobile' && rng.chance(0.012);
  const headless = dev.type === 'desktop' && rng.chance(0.023);
  const bot = rng.chance(0.005);
  let p = 0.03;
  if (datacenter) p = Math.max(p, 0.35);
  if (vpn) p = Math.max(p, 0.25);
  if (tor) p = Math.max(p, 0.7);
  if (emulator) p = Math.max(p, 0.5);
  if (headless || bot) p = Math.max(p, 0.55);
  const alert = campaign ? rng.chance(0.9) : rng.chance(p);
  const codes = new Set<string>();
  if (datacenter && (alert || rng.chance(0.5))) codes.add('IP_DATACENTER');
  if (vpn) codes.add('IP_VPN');
  if (tor) codes.add('IP_TOR');
  if (emulator) codes.add('DEVICE_EMULATOR');
  if (headless) codes.add('DEVICE_HEADLESS');
  if (bot) codes.add('DEVICE_BOT');
  if (campaign && alert) codes.add('PROXY_BURST');
  if (alert) {
    const want = rng.int(1, 3);
    while (codes.size < want) codes.add(alertCodes.pick(rng));
  } else if (rng.chance(0.12)) codes.add(LOW_CODES.pick(rng));
  const level: Level = alert ? (rng.chance(0.3) ? 'critical' : 'high') : rng.chance(0.15) ? 'medium' : 'low';
  const score = alert
    ? rng.int(level === 'critical' ? 85 : 70, level === 'critical' ? 100 : 84)
    : rng.int(level === 'medium' ? 40 : 0, level === 'medium' ? 69 : 39);
  const flags = [...codes].map((c) => (alert ? flag(c, 'high', rng.int(15, 40)) : flag(c, 'low', rng.int(2, 10))));
  const degraded = rng.chance(0.003);
  const farmDevice = alert && (campaign || rng.chance(0.15));
  const sharedIp = alert && (campaign || rng.chance(0.1));
  const hasBank = rng.chance(0.85);
  const hasEmail = rng.chance(0.5);
  // Shared phones and cards: an agent's phone or a mule account among alerts; a couple's among the rest.
  const agentPhone = alert && rng.chance(0.08);
  const muleBank = hasBank && alert && rng.chance(0.08);
  const familyPhone = !agentPhone && rng.chance(0.03);
  const coupleBank = hasBank && !muleBank && rng.chance(0.02);
  const householdIp = !sharedIp && (cgnat || rng.chance(0.05));
  // The velocity features the identifier dimension reads (`<kind>.identities.*`, src/features/velocity.ts).
  const identities = {
    device: farmDevice ? rng.int(3, 40) : 1,
    phone: agentPhone ? rng.int(3, 15) : familyPhone ? 2 : 1,
    bank: !hasBank ? 0 : muleBank ? rng.int(3, 10) : coupleBank ? 2 : 1,
    ip: sharedIp ? rng.int(5, 80) : householdIp ? rng.int(2, cgnat ? 12 : 3) : 1,
  };
  const ipMasked = datacenter ? `47.${rng.int(90, 120)}.*.*` : `${rng.int(36, 223)}.${rng.int(0, 255)}.*.*`;
  const subject: Assessment['subject'] = {
    nationalId: { id: `nid_${digest(rng)}`, masked: `${rng.int(11, 65)}01**********${tail4(rng)}` },
    phone: { id: agentPhone ? farm('ph', rng.int(0, 2999)) : `ph_${digest(rng)}`, masked: `1${rng.int(30, 99)}****${tail4(rng)}` },
    deviceId: { id: farmDevice ? farm('dev', rng.int(0, 299)) : `dev_${digest(rng)}`, masked: 'd********' },
    ip: { id: sharedIp ? farm('ip', rng.int(0, 999)) : `ip_${digest(rng)}`, masked: ipMasked },
  };
  if (hasBank) subject.bankAccount = { id: muleBank ? farm('ba', rng.int(0, 1999)) : `ba_${digest(rng)}`, masked: `************${tail4(rng)}` };
  if (hasEmail) subject.email = { id: `em_${digest(rng)}`, masked: 'a***@qq.com' };
  const eventTime = new Date(atMs).toISOString();
  const enrichment: Record<string, EvidenceValue> = {
    'ip.masked': ipMasked,
    'ip.version': 4,
    'ip.class': cgnat ? 'carrier-nat' : 'public',
    'ip.country': geo.country,
    'ip.region': geo.region,
    'ip.asn': asNumber,
    'ip.asOrg': asOrg,
    'ip.datacenter': datacenter,
    'ip.hosting': datacenter,
    'ip.vpn': vpn,
    'ip.tor': tor,
    'device.type': dev.type,
    'device.os': dev.os,
    'device.bot': bot,
    'device.headless': headless,
    'device.emulator': emulator,
    'geo.hasGps': dev.type === 'mobile',
    'geo.tzMismatch': codes.has('GEO_TZ_MISMATCH'),
  };
  const a: Assessment = {
    schemaVersion: 1,
    applicationId: `app-${tag}-${i}`,
    eventTime,
    assessedAt: new Date(atMs + rng.int(20, 400)).toISOString(),
    partnerId: campaign ? CAMPAIGN_PARTNER : partners.pick(rng),
    score,
    level,
    alert,
    flags,
    rulesVersion: 'default+3f9a2c1d',
    datasets: { geo: '2026-06-05', asn: '2026-06-17', lists: '2026-06-01' },
    degraded,
    degradedReason: degraded ? 'latency budget: graph skipped' : null,
    subject,
    ring: null,
    graph: { reasons: farmDevice ? ['shares a device with other applications'] : [] },
    enrichment,
    features: {
      'device.apps.24h': farmDevice ? rng.int(5, 60) : 1,
      'device.identities.1h': Math.min(identities.device, farmDevice ? rng.int(1, 6) : 1),
      'device.identities.24h': identities.device,
      'phone.apps.24h': rng.int(1, 3),
      'phone.identities.7d': identities.phone,
      'bank.identities.7d': identities.bank,
      'ip.apps.1h': sharedIp ? rng.int(5, 80) : rng.int(1, 2),
      'ip.identities.1h': identities.ip,
      'identity.partners.30d': rng.int(1, alert ? 6 : 2),
      'graph.linkedIdentities': farmDevice || agentPhone || muleBank ? rng.int(2, 40) : 0,
    },
    latency: { sinceRecordMs: rng.int(3, 60), processingMs: rng.int(1, 20), budgetMs: 100, withinBudget: true, windowP99Ms: 42 },
    source: { topic: 'loan.applications', partition: i % 6, offset: String(i) },
  };
  if (model) a.model = modelResult(rng, model, score, level, alert);
  if (expected) {
    const automation = (bot ? 1 : 0) + (headless ? 1 : 0) + (emulator ? 1 : 0);
    const shared = (identities.device > 1 ? 1 : 0) + (identities.phone > 1 ? 1 : 0) + (identities.bank > 1 ? 1 : 0) + (identities.ip > 1 ? 1 : 0);
    tally(expected, a, codes.size, automation, alert ? shared : 0, model ? model.features + 1 : 0);
  }
  return a;
}

/** `count` assessments spread evenly over [fromMs, toMs), in event-time order, with the index of each. */
export function* stream(seed: string, count: number, fromMs: number, toMs: number, expected?: Expected, model?: ModelSpec): Generator<Assessment> {
  const rng = new Rng(seed);
  const span = toMs - fromMs;
  for (let i = 0; i < count; i++) {
    const at = fromMs + Math.floor(((i + rng.next()) * span) / count);
    yield assessment(rng, seed, i, Math.min(toMs - 1, at), expected, false, model);
  }
}

/** A campaign of `count` applications over [fromMs, toMs) (see `assessment`). */
export function* campaign(seed: string, count: number, fromMs: number, toMs: number, model?: ModelSpec): Generator<Assessment> {
  const rng = new Rng(`${seed}/campaign`);
  const span = toMs - fromMs;
  for (let i = 0; i < count; i++) yield assessment(rng, `${seed}c`, i, fromMs + Math.floor(((i + rng.next()) * span) / count), undefined, true, model);
}

/** A ring alert of the shape of test/helpers/trend-stream.ts `ring()`. */
export function ringAlert(
  id: string,
  event: RingAlert['event'],
  atMs: number,
  size: number,
  previousSize: number | null,
  firstSeenMs: number,
  knownFraud = 0,
): RingAlert {
  const t = new Date(atMs).toISOString();
  const members = Array.from({ length: Math.min(size, 5) }, (_, k) => `${id.slice(5)}-m${k}`);
  return {
    alertType: 'ring',
    event,
    ringId: id,
    pattern: 'ring',
    detectedAt: t,
    triggeredBy: [members[0] as string],
    previousSize,
    newMembers: members.slice(0, 1),
    reason: `synthetic ring ${id} ${event}`,
    ring: {
      id,
      pattern: 'ring',
      size,
      identities: size,
      score: 70,
      knownFraud,
      density: 0.5,
      growth: size - (previousSize ?? 0),
      binders: [],
      evidence: 2,
      strongBinders: 1,
      members,
      membersListed: members.length,
      firstSeen: new Date(firstSeenMs).toISOString(),
      lastSeen: t,
    },
  };
}

/** Ring alerts over [fromMs, toMs): `rings` rings, each formed, 0–3 times grown, 10 % touching known fraud. */
export function ringAlerts(seed: string, rings: number, fromMs: number, toMs: number): RingAlert[] {
  const rng = new Rng(`${seed}/rings`);
  const out: RingAlert[] = [];
  for (let k = 0; k < rings; k++) {
    const id = `ring:${seed}-${k}`;
    const formed = fromMs + Math.floor(rng.next() * (toMs - fromMs) * 0.8);
    let size = rng.int(3, 6);
    out.push(ringAlert(id, 'formed', formed, size, null, formed - HOUR));
    let at = formed;
    for (let g = rng.int(0, 3); g > 0; g--) {
      at = Math.min(toMs - 1, at + rng.int(1, 5) * HOUR);
      const before = size;
      size += rng.int(2, 12);
      out.push(ringAlert(id, 'grew', at, size, before, formed - HOUR));
    }
    if (rng.chance(0.1)) out.push(ringAlert(id, 'touched-known-fraud', Math.min(toMs - 1, at + HOUR), size, size, formed - HOUR, 1));
  }
  return out;
}
