import type { Application, SourceRef } from '../domain/application.js';
import type { Assessment, EvidenceValue } from '../domain/assessment.js';
import { levelRank, type Level } from '../domain/assessment.js';
import type { IpInfo } from '../enrich/ip.js';
import { evaluateRules, type Features, type Rule } from '../rules/rule.js';
import { levelFor, scoreFlags, type Thresholds } from '../rules/score.js';

/** Everything the pure assessment step needs besides the application itself. */
export interface AssessContext {
  rules: readonly Rule[];
  rulesVersion: string;
  thresholds: Thresholds;
  alertLevel: Level;
  budgetMs: number;
}

export interface AssessInput {
  app: Application;
  ip: IpInfo;
  velocity: Record<string, number>;
  source: SourceRef;
  batchStartedMs: number;
  nowMs: number;
}

export function enrichmentSummary(app: Application, ip: IpInfo): Record<string, EvidenceValue> {
  return {
    'ip.masked': app.network.ipId.masked,
    'ip.version': ip.version,
    'ip.class': ip.ipClass,
    'device.platform': app.device.platform ?? null,
    'device.emulator': app.device.emulator ?? null,
    'device.rooted': app.device.rooted ?? null,
    'device.hasGps': app.device.gps !== undefined,
  };
}

export function featuresFor(app: Application, enrichment: Record<string, EvidenceValue>, velocity: Record<string, number>): Features {
  return {
    ...enrichment,
    ...velocity,
    'device.masked': app.device.deviceId.masked,
    'identity.masked': app.applicant.nationalId.masked,
    'phone.masked': app.applicant.phone.masked,
  };
}

function subjectOf(app: Application): Assessment['subject'] {
  const a = app.applicant;
  const subject: Assessment['subject'] = {
    nationalId: a.nationalId,
    phone: a.phone,
    deviceId: app.device.deviceId,
    ip: app.network.ipId,
  };
  if (a.email) subject.email = a.email;
  if (a.bankAccount) subject.bankAccount = a.bankAccount;
  return subject;
}

export function assess(input: AssessInput, ctx: AssessContext): Assessment {
  const { app, source } = input;
  const enrichment = enrichmentSummary(app, input.ip);
  const flags = evaluateRules(ctx.rules, featuresFor(app, enrichment, input.velocity));
  const score = scoreFlags(flags);
  const level = levelFor(score, ctx.thresholds);
  const sinceRecordMs = Math.max(0, input.nowMs - source.timestampMs);
  return {
    schemaVersion: 1,
    applicationId: app.applicationId,
    eventTime: app.eventTime,
    assessedAt: new Date(input.nowMs).toISOString(),
    partnerId: app.partnerId ?? null,
    score,
    level,
    alert: levelRank(level) >= levelRank(ctx.alertLevel),
    flags,
    rulesVersion: ctx.rulesVersion,
    degraded: false,
    subject: subjectOf(app),
    enrichment,
    features: input.velocity,
    latency: {
      sinceRecordMs,
      processingMs: Math.max(0, input.nowMs - input.batchStartedMs),
      budgetMs: ctx.budgetMs,
      withinBudget: sinceRecordMs <= ctx.budgetMs,
    },
    source: { topic: source.topic, partition: source.partition, offset: source.offset },
  };
}
