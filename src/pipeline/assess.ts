import type { Application, SourceRef } from '../domain/application.js';
import type { Assessment, DatasetDates, EvidenceValue } from '../domain/assessment.js';
import { levelRank, type Level } from '../domain/assessment.js';
import { profileFeatures } from '../features/profile.js';
import { evaluate } from '../rules/engine.js';
import type { RuleSet } from '../rules/loader.js';
import type { Features } from '../rules/rule.js';
import { decide, type Decision, type ModelContext } from './model-stage.js';

/** Everything the pure assessment step needs besides the application itself. */
export interface AssessContext {
  /** The rule set in force (it changes on hot reload, so it is read per batch). */
  ruleSet: () => RuleSet;
  alertLevel: Level;
  budgetMs: number;
  /** Build dates of the enrichment data, copied into every assessment (computed once at start-up). */
  datasets?: DatasetDates;
  /** Rules that failed at run time for this application (a bug in a rule): counted and logged by the caller. */
  onRuleErrors?: (errors: readonly { rule: string; message: string }[], applicationId: string) => void;
  /** The model stage and shadow mode (src/pipeline/model-stage.ts); absent: the rules decide. */
  model?: ModelContext;
}

/** Whether this batch runs degraded (over the latency budget), and what that skips. */
export interface Degradation {
  shedding: boolean;
  reason: string | null;
  windowP99Ms: number;
  skipRuleTags: readonly string[];
}

export const FULL_WORK: Degradation = { shedding: false, reason: null, windowP99Ms: 0, skipRuleTags: [] };

export interface AssessInput {
  app: Application;
  /** Flat enrichment features (ip.*, device.*, geo.*). */
  enrichment: Record<string, EvidenceValue>;
  /** Window counts, travel and graph features. */
  state: Record<string, number | boolean | string>;
  /** The ring the application belongs to, and the graph evidence in words. */
  graph: { ring: Assessment['ring']; reasons: string[] };
  source: SourceRef;
  batchStartedMs: number;
  nowMs: number;
  degradation: Degradation;
}

/** Enrichment fields that stay inside the process (raw network location details). */
const INTERNAL = new Set(['ip.subnet']);

/**
 * The features rules read: enrichment, state, masked identifiers and application fields. Built by
 * assignment into a prototype-less object: an object spread of ~100 dotted keys cost ~30 µs per
 * application (bench/pipeline.bench.ts), a plain copy loop ~8 µs.
 */
export function featuresFor(app: Application, enrichment: Record<string, EvidenceValue>, state: Record<string, number | boolean | string>): Features {
  const f: Record<string, EvidenceValue> = Object.create(null) as Record<string, EvidenceValue>;
  for (const k in enrichment) f[k] = enrichment[k] as EvidenceValue;
  for (const k in state) f[k] = state[k] as number | boolean | string;
  f['ip.masked'] = app.network.ipId.masked;
  f['device.masked'] = app.device.deviceId.masked;
  f['device.platform'] = app.device.platform ?? null;
  f['identity.masked'] = app.applicant.nationalId.masked;
  f['phone.masked'] = app.applicant.phone.masked;
  f['app.amount'] = app.amount ?? null;
  f['app.termMonths'] = app.termMonths ?? null;
  f['app.partnerId'] = app.partnerId ?? null;
  f['app.product'] = app.product ?? null;
  f['bureau.multiLenderCount'] = app.bureau?.multiLenderCount ?? null;
  const profile = profileFeatures(app);
  f['phone.virtualOperator'] = profile['phone.virtualOperator'];
  f['app.contacts'] = profile['app.contacts'];
  f['app.thinProfile'] = profile['app.thinProfile'];
  return f;
}

function subjectOf(app: Application): Assessment['subject'] {
  const a = app.applicant;
  const subject: Assessment['subject'] = { nationalId: a.nationalId, phone: a.phone, deviceId: app.device.deviceId, ip: app.network.ipId };
  if (a.email) subject.email = a.email;
  if (a.bankAccount) subject.bankAccount = a.bankAccount;
  return subject;
}

function publicEnrichment(app: Application, enrichment: Record<string, EvidenceValue>): Record<string, EvidenceValue> {
  const out: Record<string, EvidenceValue> = { 'ip.masked': app.network.ipId.masked };
  for (const [k, v] of Object.entries(enrichment)) if (!INTERNAL.has(k)) out[k] = v;
  return out;
}

export function assess(input: AssessInput, ctx: AssessContext): Assessment {
  const { app, source } = input;
  const ruleSet = ctx.ruleSet();
  const d = input.degradation;
  const skipTags = d.shedding ? d.skipRuleTags : [];
  const features = featuresFor(app, input.enrichment, input.state);
  const rules = evaluate(ruleSet, features, { skipTags });
  const { flags, errors } = rules;
  if (errors.length > 0) ctx.onRuleErrors?.(errors, app.applicationId);
  const decision: Decision = ctx.model ? decide(ctx.model, ruleSet, features, rules, { alertLevel: ctx.alertLevel, skipTags }) : rules;
  const { score, level, model, shadow } = decision;
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
    rulesVersion: ruleSet.version,
    ...(model ? { model } : {}),
    ...(shadow ? { shadow } : {}),
    ...(ctx.datasets ? { datasets: ctx.datasets } : {}),
    degraded: d.shedding,
    degradedReason: d.shedding ? d.reason : null,
    subject: subjectOf(app),
    ring: input.graph.ring,
    graph: { reasons: input.graph.reasons },
    enrichment: publicEnrichment(app, input.enrichment),
    features: input.state,
    latency: {
      sinceRecordMs,
      processingMs: Math.max(0, input.nowMs - input.batchStartedMs),
      budgetMs: ctx.budgetMs,
      withinBudget: sinceRecordMs <= ctx.budgetMs,
      windowP99Ms: d.windowP99Ms,
    },
    source: { topic: source.topic, partition: source.partition, offset: source.offset },
  };
}
