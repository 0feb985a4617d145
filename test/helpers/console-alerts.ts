/**
 * Synthetic alert records for the console's tests, valid against contracts/alert.schema.json (a unit test checks),
 * deterministic by index so that a test can compute which rows a filter must return. About one in twenty is a ring
 * alert; the rest are application alerts whose attributes follow fixed patterns:
 *
 * - level: critical for i % 50 === 1, medium for i % 7 === 3, else high
 * - rule codes: one or two of COMMON_CODES, plus RARE_CODE for i % 500 === 7
 * - partner: partner-(i % 200); IP country CN with one of 30 regions, US for i % 97 === 0
 * - IP class: carrier-nat for i % 40 === 5, private for i % 333 === 0, else public
 * - ring: ring:<prefix>-r(⌊i / 1000⌋) for i % 100 < 3 (ring alerts name the same rings)
 * - detected: start + ⌊i / 2⌋ minutes (pairs tie on detected_at); event time up to 5 minutes earlier
 * - model: decided by a scorecard (version sc-test, one contribution) for i % 10 === 1
 * - subject: a unique national ID; the phone shared by pairs (⌊i / 2⌋); the device shared by 4 farm devices for
 *   i % 1000 < 20, else unique; a bank account shared by ten for i % 10 === 0; the IP one of 500
 */
import type { Alert, ApplicationAlert, RingAlert } from '../../src/domain/alert.js';
import type { Level } from '../../src/domain/assessment.js';

export const COMMON_CODES = ['DEVICE_MANY_IDENTITIES', 'IP_DATACENTER', 'PHONE_VELOCITY', 'BANK_SHARED_BY_IDENTITIES', 'GEO_MISMATCH', 'MULTI_LENDER_SPREE'];
export const RARE_CODE = 'RARE_TEST_CODE';
export const REGIONS = Array.from({ length: 30 }, (_, k) => `Region ${k}`);

export interface SyntheticAlert {
  index: number;
  alert: Alert;
  key: string;
  value: string;
}

const minute = 60_000;

function level(i: number): Level {
  if (i % 50 === 1) return 'critical';
  if (i % 7 === 3) return 'medium';
  return 'high';
}

function codes(i: number): string[] {
  const list = [COMMON_CODES[i % COMMON_CODES.length] as string];
  if (i % 3 === 0) list.push(COMMON_CODES[(i + 2) % COMMON_CODES.length] as string);
  if (i % 500 === 7) list.push(RARE_CODE);
  return list;
}

export const isRingAlert = (i: number): boolean => i % 20 === 19;
export const ringOf = (prefix: string, i: number): string | null => (i % 100 < 3 || isRingAlert(i) ? `ring:${prefix}-r${Math.floor(i / 1000)}` : null);
export const applicationIdOf = (prefix: string, i: number): string => `${prefix}-${String(i).padStart(6, '0')}`;
export const detectedAtOf = (startMs: number, i: number): string => new Date(startMs + Math.floor(i / 2) * minute).toISOString();

function subject(prefix: string, i: number): ApplicationAlert['subject'] {
  const s: ApplicationAlert['subject'] = {
    nationalId: { id: `nid_${prefix}${i}`, masked: `1101**********${String(i % 10_000).padStart(4, '0')}` },
    phone: { id: `ph_${prefix}${Math.floor(i / 2)}`, masked: `139****${String(Math.floor(i / 2) % 10_000).padStart(4, '0')}` },
    deviceId: { id: i % 1000 < 20 ? `dev_${prefix}farm${i % 4}` : `dev_${prefix}${i}`, masked: 'd*******' },
    ip: { id: `ip_${prefix}${i % 500}`, masked: `123.123.*.*` },
  };
  if (i % 10 === 0) s.bankAccount = { id: `ba_${prefix}${Math.floor(i / 100)}`, masked: `************${String(i % 10_000).padStart(4, '0')}` };
  return s;
}

function applicationAlert(prefix: string, i: number, startMs: number): ApplicationAlert {
  const detectedAt = detectedAtOf(startMs, i);
  const ringId = ringOf(prefix, i);
  const lvl = level(i);
  return {
    alertType: 'application',
    schemaVersion: 1,
    applicationId: applicationIdOf(prefix, i),
    eventTime: new Date(Date.parse(detectedAt) - (i % 300) * 1000).toISOString(),
    assessedAt: detectedAt,
    partnerId: `partner-${i % 200}`,
    score: lvl === 'critical' ? 95 : lvl === 'high' ? 80 : 55,
    level: lvl,
    alert: true,
    flags: codes(i).map((code) => ({ code, severity: 'high', weight: 30, reason: `synthetic ${code}`, evidence: { n: i % 17 } })),
    rulesVersion: 'test+0000',
    // Every tenth alert was decided by a model (docs/model.md): its contributions show in the detail.
    ...(i % 10 === 1
      ? {
          model: {
            version: 'sc-test',
            probability: 0.93,
            rulesScore: 80,
            rulesLevel: 'high' as const,
            contributions: [{ feature: 'device.identities.24h', bin: '> 3', points: 86.6, value: 5 }],
            bins: 'CAB',
          },
        }
      : {}),
    degraded: false,
    degradedReason: null,
    subject: subject(prefix, i),
    ring: ringId ? { id: ringId, pattern: 'ring', size: 5, identities: 4, score: 70, knownFraud: 0, density: 0.5, growth: 1, binders: [] } : null,
    graph: { reasons: [] },
    enrichment: {
      'ip.masked': '123.123.*.*',
      'ip.country': i % 97 === 0 ? 'US' : 'CN',
      'ip.region': i % 97 === 0 ? 'California' : (REGIONS[i % REGIONS.length] as string),
      'ip.class': i % 40 === 5 ? 'carrier-nat' : i % 333 === 0 ? 'private' : 'public',
    },
    features: { 'device.identities.1h': i % 5 },
    latency: { sinceRecordMs: 5, processingMs: 2, budgetMs: 100, withinBudget: true, windowP99Ms: 10 },
    source: { topic: 'loan.applications', partition: i % 3, offset: String(i) },
  };
}

function ringAlert(prefix: string, i: number, startMs: number): RingAlert {
  const ringId = ringOf(prefix, i) as string;
  const detectedAt = detectedAtOf(startMs, i);
  const members = [applicationIdOf(prefix, i - 1), applicationIdOf(prefix, i - 2)];
  return {
    alertType: 'ring',
    event: i % 40 === 19 ? 'formed' : 'grew',
    ringId,
    pattern: 'ring',
    detectedAt,
    triggeredBy: [members[0] as string],
    previousSize: i % 40 === 19 ? null : 3,
    newMembers: members,
    reason: `synthetic ring ${ringId}`,
    ring: {
      id: ringId,
      pattern: 'ring',
      size: 5,
      identities: 4,
      score: 75,
      knownFraud: 0,
      density: 0.5,
      growth: 2,
      binders: [{ kind: 'device', class: 'device', masked: 'd*******', members: 3 }],
      evidence: 2.5,
      strongBinders: 1,
      members,
      membersListed: 2,
      firstSeen: new Date(Date.parse(detectedAt) - 3_600_000).toISOString(),
      lastSeen: new Date(Date.parse(detectedAt) - 1000).toISOString(),
    },
  };
}

/** Alert `i` of a run: its value (JSON, as the processor would produce it) and record key. */
export function syntheticAlert(prefix: string, i: number, startMs: number): SyntheticAlert {
  const alert = isRingAlert(i) ? ringAlert(prefix, i, startMs) : applicationAlert(prefix, i, startMs);
  const key = alert.alertType === 'ring' ? alert.ringId : alert.applicationId;
  return { index: i, alert, key, value: JSON.stringify(alert) };
}

export function syntheticAlerts(prefix: string, count: number, startMs: number, from = 0): SyntheticAlert[] {
  return Array.from({ length: count }, (_, k) => syntheticAlert(prefix, from + k, startMs));
}
