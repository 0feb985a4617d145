/**
 * A known stream for the trend report's tests: 14 days of assessments ending at the current hour (the report's
 * last 7 days and the 7 before), valid against contracts/assessment.schema.json, deterministic by index:
 *
 * - every hour: `perHour` applications spread over partners; `partner-big` takes 60 % of them, steady (3 % alerted,
 *   the same in both weeks, plus a small rise of about 8 % in alerts in the reported week: a big channel's noise);
 *   the rest over partner-0 … partner-9 with 2 % alerted, regions CN/Guangdong, CN/Beijing, CN/Sichuan
 * - the injected trend: on day 3 of the reported 7, `burst` applications through `partner-cash-app` from data-centre
 *   IPs in CN/Zhejiang (AS37963 Alibaba), 90 % alerted with IP_DATACENTER and PROXY_BURST
 * - ring alerts: a ring formed on day 2 of the reported week at size 3, grown to 9 on day 3; one older ring
 *
 * `expected` recomputes, from the same list, what the report must say.
 */
import type { RingAlert } from '../../src/domain/alert.js';
import type { Assessment, Flag, Level } from '../../src/domain/assessment.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface TrendStream {
  /** end of the current hour: the report's `to` with --since 7d */
  toMs: number;
  fromMs: number;
  assessments: Assessment[];
  rings: RingAlert[];
}

const flag = (code: string): Flag => ({ code, severity: 'high', weight: 30, reason: `synthetic ${code}`, evidence: {} });

function assessment(i: number, atMs: number, o: { partner: string; region: string; datacenter: boolean; alert: boolean; codes: string[] }): Assessment {
  const level: Level = o.alert ? 'high' : i % 3 === 0 ? 'medium' : 'low';
  const [country, region] = o.region.split('/') as [string, string];
  const t = new Date(atMs).toISOString();
  return {
    schemaVersion: 1,
    applicationId: `trend-${String(i).padStart(6, '0')}`,
    eventTime: t,
    assessedAt: t,
    partnerId: o.partner,
    score: o.alert ? 80 : 20,
    level,
    alert: o.alert,
    flags: o.codes.map(flag),
    rulesVersion: 'test+0000',
    degraded: i % 250 === 0,
    degradedReason: i % 250 === 0 ? 'latency budget' : null,
    subject: {
      nationalId: { id: `nid_t${i}`, masked: `1101**********${String(i % 10_000).padStart(4, '0')}` },
      phone: { id: `ph_t${i}`, masked: `139****${String(i % 10_000).padStart(4, '0')}` },
      deviceId: { id: o.datacenter ? `dev_farm${i % 5}` : `dev_t${i}`, masked: 'd*******' },
      ip: { id: `ip_t${i % 700}`, masked: '47.92.*.*' },
    },
    ring: null,
    graph: { reasons: [] },
    enrichment: {
      'ip.masked': '47.92.*.*',
      'ip.class': 'public',
      'ip.country': country,
      'ip.region': region,
      'ip.datacenter': o.datacenter,
      'ip.asn': o.datacenter ? 37963 : 4134,
      'ip.asOrg': o.datacenter ? 'Alibaba' : 'Chinanet',
      'device.type': i % 4 === 0 ? 'desktop' : 'mobile',
      'device.os': i % 4 === 0 ? 'Windows' : 'Android',
      'device.bot': false,
    },
    features: { 'device.identities.24h': o.datacenter ? 5 : 1, 'phone.identities.7d': 1 },
    latency: { sinceRecordMs: 5, processingMs: 2, budgetMs: 100, withinBudget: true, windowP99Ms: 10 },
    source: { topic: 'loan.applications', partition: i % 3, offset: String(i) },
  };
}

function ring(id: string, event: RingAlert['event'], atMs: number, size: number, previousSize: number | null, firstSeenMs: number): RingAlert {
  const t = new Date(atMs).toISOString();
  return {
    alertType: 'ring',
    event,
    ringId: id,
    pattern: 'ring',
    detectedAt: t,
    triggeredBy: ['trend-000001'],
    previousSize,
    newMembers: ['trend-000001'],
    reason: `synthetic ring ${id}`,
    ring: {
      id,
      pattern: 'ring',
      size,
      identities: size,
      score: 70,
      knownFraud: 0,
      density: 0.5,
      growth: size - (previousSize ?? 0),
      binders: [],
      evidence: 2,
      strongBinders: 1,
      members: ['trend-000001'],
      membersListed: 1,
      firstSeen: new Date(firstSeenMs).toISOString(),
      lastSeen: t,
    },
  };
}

const OTHER_REGIONS = ['CN/Guangdong', 'CN/Beijing', 'CN/Sichuan'];

export function trendStream(opts: { nowMs?: number; perHour?: number; burst?: number } = {}): TrendStream {
  const toMs = Math.ceil(((opts.nowMs ?? Date.now()) + 1) / HOUR) * HOUR;
  const fromMs = toMs - 7 * DAY;
  const perHour = opts.perHour ?? 10;
  const burst = opts.burst ?? 120;
  const out: Assessment[] = [];
  let i = 0;
  for (let h = toMs - 14 * DAY; h < toMs; h += HOUR) {
    const reported = h >= fromMs;
    for (let k = 0; k < perHour; k++, i++) {
      const at = h + Math.floor((k * HOUR) / perHour);
      const big = k % 10 < 6;
      const partner = big ? 'partner-big' : `partner-${(Math.floor(i / 10) + k) % 10}`;
      // partner-big: 3 % alerted in the baseline week, 3.25 % (≈ +8 %) in the reported one
      const alert = big ? i % (reported ? 31 : 33) === 0 || i % 400 === 7 : i % 50 === 1;
      out.push(assessment(i, at, { partner, region: OTHER_REGIONS[i % 3] as string, datacenter: false, alert, codes: alert ? ['DEVICE_NEW'] : [] }));
    }
  }
  const burstStart = fromMs + 2 * DAY + 9 * HOUR;
  for (let k = 0; k < burst; k++, i++) {
    const alert = k % 10 !== 0;
    out.push(
      assessment(i, burstStart + k * 60_000, {
        partner: 'partner-cash-app',
        region: 'CN/Zhejiang',
        datacenter: true,
        alert,
        codes: alert ? ['IP_DATACENTER', 'PROXY_BURST'] : ['IP_DATACENTER'],
      }),
    );
  }
  const rings = [
    ring('ring:old', 'formed', fromMs - 3 * DAY, 4, null, fromMs - 3 * DAY - HOUR),
    ring('ring:new', 'formed', fromMs + DAY + 5 * HOUR, 3, null, fromMs + DAY + 4 * HOUR),
    ring('ring:new', 'grew', burstStart + HOUR, 9, 3, fromMs + DAY + 4 * HOUR),
  ];
  return { toMs, fromMs, assessments: out, rings };
}

/** What the report over [fromMs, toMs) must count, from the list itself. */
export function expected(s: TrendStream, where: (a: Assessment) => boolean = () => true): { applications: number; alerts: number } {
  const inPeriod = s.assessments.filter((a) => Date.parse(a.eventTime) >= s.fromMs && Date.parse(a.eventTime) < s.toMs && where(a));
  return { applications: inPeriod.length, alerts: inPeriod.filter((a) => a.alert).length };
}
