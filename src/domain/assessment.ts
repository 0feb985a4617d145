/** Assessment output types: what goes to fraud.assessments and fraud.alerts. */

export const LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type Level = (typeof LEVELS)[number];

export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export type EvidenceValue = string | number | boolean | null;

/** One explainable risk flag. `code` is stable; `reason` is for people. */
export interface Flag {
  code: string;
  severity: Severity;
  weight: number;
  reason: string;
  evidence: Record<string, EvidenceValue>;
}

export interface LatencyInfo {
  /** ms from the input record's Kafka timestamp to the assessment being built. */
  sinceRecordMs: number;
  /** ms spent processing the batch this application was in. */
  processingMs: number;
  budgetMs: number;
  withinBudget: boolean;
  /** p99 of the sliding latency window when this application was processed. */
  windowP99Ms: number;
}

/** What an assessment says about the ring its application belongs to. */
export interface RingSummary {
  id: string;
  /** `ring`: bound by shared possessions or contacts; `burst`: linked within minutes (a graph bomb) */
  pattern: 'ring' | 'burst';
  size: number;
  identities: number;
  score: number;
  knownFraud: number;
  density: number;
  growth: number;
  /** The identifiers that bind the ring (masked), strongest first, at most 8. */
  binders: { kind: string; class: string; masked: string | null; members: number }[];
}

/** The build dates (YYYY-MM-DD) of the enrichment data the assessment used; `lists` is the oldest IP list. */
export interface DatasetDates {
  geo?: string;
  asn?: string;
  lists?: string;
}

/** The model stage's part of an assessment (docs/model.md): it set score and level; the rules' own decision is kept. */
export interface ModelResult {
  version: string;
  /** calibrated probability of fraud */
  probability: number;
  rulesScore: number;
  rulesLevel: Level;
  /** the bins with the most risk points either way */
  contributions: { feature: string; bin: string; points: number; value: EvidenceValue }[];
  /** every feature's bin index, one character per feature in the model file's order (drift in the trend report) */
  bins: string;
}

/** Shadow mode: what the candidate model and/or rules decided; the assessment's decision stays the active one's. */
export interface ShadowResult {
  rulesVersion: string;
  modelVersion: string | null;
  score: number;
  level: Level;
  alert: boolean;
  probability: number | null;
}

export interface Assessment {
  schemaVersion: 1;
  applicationId: string;
  eventTime: string;
  assessedAt: string;
  partnerId: string | null;
  score: number;
  level: Level;
  alert: boolean;
  flags: Flag[];
  rulesVersion: string;
  /** The model stage, when a model file is loaded (absent: the rules decided). */
  model?: ModelResult;
  /** Shadow mode's candidate decision, when one is configured. */
  shadow?: ShadowResult;
  /** Build dates of the geo, ASN and IP-list data (absent when the pipeline was built without them). */
  datasets?: DatasetDates;
  /** True when optional work was shed to stay within the latency budget. */
  degraded: boolean;
  degradedReason: string | null;
  subject: Record<string, { id: string; masked: string }>;
  /** The fraud ring the application belongs to, if any. */
  ring: RingSummary | null;
  /** Graph evidence in words (shared identifiers, known fraud nearby, hubs skipped). */
  graph: { reasons: string[] };
  enrichment: Record<string, EvidenceValue>;
  features: Record<string, number | boolean | string>;
  latency: LatencyInfo;
  source: { topic: string; partition: number; offset: string };
}

export function levelRank(level: Level): number {
  return LEVELS.indexOf(level);
}
