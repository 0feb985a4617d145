/**
 * The trend report as plain data: what `lendguard report` and the console's report route build from the rollups
 * and the labels (src/reports/build.ts), and what the renderers turn into HTML, CSV or JSON (src/reports/render/).
 * Times are ISO-8601 UTC; rates and shares are 0–1; counts are exact.
 */
import type { Change } from './trends.js';

export type Bucket = 'hour' | 'day';

export interface LevelCounts {
  low: number;
  medium: number;
  high: number;
  critical: number;
}

export interface ReportPeriod {
  /** inclusive */
  from: string;
  /** exclusive */
  to: string;
  bucket: Bucket;
  /** the previous period of the same length, against which "what changed" compares: [baselineFrom, from) */
  baselineFrom: string;
  /** how the period reads in a sentence: "the last 7 days", "2026-11-01 – 2026-11-08" */
  label: string;
}

export interface Totals {
  applications: number;
  alerts: number;
  /** alerts / applications (0 when no applications) */
  alertRate: number;
  /** assessments by level (alerts are those at or above scoring.alertLevel) */
  levels: LevelCounts;
  /** assessments whose optional work was shed (latency budget) */
  degraded: number;
  /** the same figures over the previous period of the same length */
  baseline: { applications: number; alerts: number; alertRate: number };
}

/** One bucket of the time series. */
export interface SeriesPoint {
  /** the bucket's start */
  at: string;
  applications: number;
  alerts: number;
  alertRate: number;
  levels: LevelCounts;
  degraded: number;
}

export interface BreakdownRow {
  /** the stored value: a rule code, a partner id, "CN", "CN/Beijing", an identifier's pseudonym … */
  key: string;
  /** how it reads (the masked value of an identifier; else the key) */
  label: string;
  /** applications with this value (for rules: flagged with it) */
  applications: number;
  alerts: number;
  /** alerts / applications of this value */
  alertRate: number;
  /** applications of this value / all applications of the period */
  share: number;
}

/** The dimensions the rollups count (src/reports/dimensions.ts), as the report names them. */
export type DimensionName =
  'rule' | 'partner' | 'country' | 'region' | 'network' | 'asn' | 'deviceType' | 'os' | 'automation' | 'partnerNetwork' | 'partnerRegion' | 'identifier';

export interface Breakdown {
  dimension: DimensionName;
  /** "rule", "partner", "IP country" … */
  label: string;
  rows: BreakdownRow[];
  /** distinct values in the period (rows holds the top ones by alerts, then applications) */
  distinct: number;
}

/** "What changed" for one dimension: its values that rose most against the baseline period, ranked (src/reports/trends.ts). */
export interface ChangeSection {
  dimension: DimensionName;
  label: string;
  changes: Change[];
}

export interface RingRow {
  ringId: string;
  pattern: 'ring' | 'burst';
  /** the largest size reported */
  size: number;
  /** members added in the period (largest size in the period − size before it) */
  growth: number;
  knownFraud: number;
  firstSeen: string;
  lastEventAt: string;
  /** the console's ring view, relative to the console's base URL: "#/rings/<id>" */
  link: string;
}

export interface RingsSection {
  /** ring alerts of each event in the period */
  formed: number;
  grew: number;
  touchedKnownFraud: number;
  /** rings with any event in the period, by size range */
  sizes: { range: string; rings: number }[];
  largest: RingRow[];
  fastestGrowing: RingRow[];
}

export interface PrecisionRow {
  key: string;
  alerts: number;
  labelled: number;
  fraud: number;
  /** fraud / labelled; null when nothing is labelled */
  precision: number | null;
}

export interface QualitySection {
  /** application alerts detected in the period that the console holds */
  alerts: number;
  labelled: number;
  labelledShare: number;
  fraud: number;
  legit: number;
  byLevel: PrecisionRow[];
  byRule: PrecisionRow[];
  /** applications labelled fraud in the period that were never alerted (their assessment was low or medium) */
  missedFraud: number;
  /** minutes from alert to its first label */
  timeToLabel: { count: number; p50Minutes: number | null; p90Minutes: number | null };
}

/** The model stage in the period (docs/model.md): shadow against active, and drift of the model's features. */
export interface ModelSection {
  /** assessments the model decided, by model version */
  versions: { version: string; applications: number; alerts: number }[];
  /** assessments with a shadow decision, by active → candidate level; `label` names the candidate */
  shadow: { from: string; to: string; candidate: string; applications: number }[];
  /** how many shadowed assessments changed level, and became or stopped being alerts */
  shadowChanged: number;
  /**
   * Per feature of each model version seen in both periods: the PSI of its bin shares in the period against the
   * previous period (names from the model file when the report has it, else "feature #i")
   */
  drift: { version: string; feature: string; psi: number; drifted: boolean }[];
}

export interface Report {
  title: string;
  generatedAt: string;
  period: ReportPeriod;
  /** three to five sentences: the biggest changes with their numbers and baselines (src/reports/summary.ts) */
  summary: string[];
  totals: Totals;
  series: SeriesPoint[];
  breakdowns: Breakdown[];
  changes: ChangeSection[];
  rings: RingsSection;
  quality: QualitySection;
  model: ModelSection;
  /** records of the assessment and alert topics that could not be counted (kept in dead_alerts), in the period's hours */
  deadRecords: number;
  /** the console's base URL when known (ring links become absolute) */
  consoleUrl: string | null;
}
