import type { Truth } from './truth.js';
import { LEVELS, levelRank, type Assessment, type Level } from '../domain/assessment.js';
import { RingFollowUp, type Delays } from './ring-followup.js';

/**
 * Replay/backtest figures (pure): feed every assessment (with its ground truth, if the input line
 * carried one) and every dead letter into an accumulator, then ask it for the summary.
 * Memory stays bounded by the number of distinct rules, error codes, patterns, tags and ring ids,
 * never by the number of records, except with `followRingAlerts`: then each labelled record its
 * assessment did not alert is remembered until a ring alert names it (about 100 bytes; ring-followup.ts).
 */

export type { Truth } from './truth.js';

/** Tags beyond the first MAX_TAGS of a record, and longer ones, are ignored. */
export const MAX_TAGS = 16;
export const MAX_TAG_LENGTH = 40;

/** `_truth` as found on a parsed input line: absent, well-formed, or present but unusable. */
export type TruthLabel = { kind: 'none' } | { kind: 'valid'; truth: Truth; malformedTags?: true } | { kind: 'invalid'; reason: string };

/** Usable tags of a well-formed `tags` array: distinct, non-empty, short enough, the first MAX_TAGS. */
function usableTags(tags: readonly string[]): string[] {
  return [...new Set(tags)].filter((x) => x.length > 0 && x.length <= MAX_TAG_LENGTH).slice(0, MAX_TAGS);
}

export function parseTruth(value: unknown): TruthLabel {
  if (value === undefined) return { kind: 'none' };
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { kind: 'invalid', reason: '_truth is not an object' };
  const t = value as Record<string, unknown>;
  if (typeof t.fraud !== 'boolean') return { kind: 'invalid', reason: '_truth.fraud is not a boolean' };
  if (typeof t.pattern !== 'string' || t.pattern.length === 0) return { kind: 'invalid', reason: '_truth.pattern is not a non-empty string' };
  if (t.ringId !== undefined && typeof t.ringId !== 'string') return { kind: 'invalid', reason: '_truth.ringId is not a string' };
  const truth: Truth = { fraud: t.fraud, pattern: t.pattern };
  if (typeof t.ringId === 'string') truth.ringId = t.ringId;
  if (t.tags === undefined) return { kind: 'valid', truth };
  // Malformed tags (not an array of strings) cost the tags, not the label.
  if (!Array.isArray(t.tags) || !t.tags.every((x) => typeof x === 'string')) return { kind: 'valid', truth, malformedTags: true };
  const tags = usableTags(t.tags);
  if (tags.length > 0) truth.tags = tags;
  return { kind: 'valid', truth };
}

/** A ratio that is null when its denominator is zero (never NaN or Infinity). */
export type Ratio = number | null;

export const ratio = (num: number, den: number): Ratio => (den === 0 ? null : num / den);

/** Harmonic mean of precision and recall; null unless both are defined and not both zero. */
export function f1(precision: Ratio, recall: Ratio): Ratio {
  if (precision === null || recall === null || precision + recall === 0) return null;
  return (2 * precision * recall) / (precision + recall);
}

export interface RuleStat {
  rule: string;
  /** Assessments this rule flagged (labelled or not). */
  fires: number;
  /** fires / assessed. */
  share: Ratio;
  /** Labelled fires on fraud records. */
  truePositives: number;
  /** Labelled fires on legitimate records. */
  falsePositives: number;
  /** TP / (TP + FP); null when the rule never fired on a labelled record. */
  precision: Ratio;
  /** TP / all labelled fraud records; null when there are none. */
  recall: Ratio;
}

export interface PatternStat {
  pattern: string;
  /** Labelled, assessed records of this pattern. */
  records: number;
  /** Of those, labelled fraud (a pattern normally is all fraud or all legitimate). */
  fraud: number;
  /** Records at or above the alert level. For a legitimate pattern these are false alarms. */
  caught: number;
  /** caught / records. */
  catchRate: Ratio;
  /** Of the records not caught, those a later ring alert named (see TruthSummary.withRingAlerts). */
  caughtLater: number;
  /** Distinct ring ids among these records, and how many of them had at least one record caught. */
  rings: number;
  ringsCaught: number;
  /** Rules that fired on the caught records, most frequent first. */
  caughtBy: { rule: string; count: number }[];
}

export interface TagStat {
  tag: string;
  /** Labelled, assessed records with this tag (a record can have several tags). */
  records: number;
  /** Of those, labelled fraud. */
  fraud: number;
  /** Records at or above the alert level. For a legitimate cohort these are false alarms. */
  caught: number;
  /** caught / records. */
  catchRate: Ratio;
  /** Of the records not caught, those a later ring alert named. */
  caughtLater: number;
  /** Rules that fired on the caught records, most frequent first. */
  caughtBy: { rule: string; count: number }[];
}

export interface Confusion {
  /** fraud and alerted */
  tp: number;
  /** legitimate but alerted */
  fp: number;
  /** fraud but not alerted */
  fn: number;
  /** legitimate and not alerted */
  tn: number;
}

export interface TruthSummary {
  /** Assessed records with a valid `_truth`: the only ones precision and recall are computed on. */
  labelled: number;
  /** Assessed records without a usable `_truth` (excluded from precision/recall). */
  unlabelled: number;
  /** Of the unlabelled: records whose `_truth` was present but malformed. */
  invalidLabels: number;
  /** Labelled lines that were dead-lettered (never assessed, so not in any figure below). */
  labelledDeadLettered: number;
  fraud: number;
  legit: number;
  /** alert = level at or above the alert level. */
  confusion: Confusion;
  precision: Ratio;
  recall: Ratio;
  f1: Ratio;
  /** FP / (FP + TN): the share of legitimate applicants who would be alerted. */
  falsePositiveRate: Ratio;
  /** Labelled records per level, split by truth (to see where another alert level would cut). */
  levels: Record<Level, { fraud: number; legit: number }>;
  patterns: PatternStat[];
  /** Per `_truth.tags` entry, most records first (empty when no record had tags). */
  tags: TagStat[];
  /** Labelled records whose `_truth.tags` was not an array of strings (their tags were ignored, the label kept). */
  malformedTags: number;
  /** The figures if ring alerts count too; null when the replay did not follow them (no identity graph). */
  withRingAlerts: RingAlertFigures | null;
}

/**
 * A labelled record counts as alerted when its assessment alerted (as in `confusion`) or when a ring
 * alert named it later (members ∪ newMembers ∪ triggeredBy). The headline figures do not change.
 */
export interface RingAlertFigures {
  /** Ring alerts the replay emitted. */
  ringAlerts: number;
  /** Labelled records not alerted at assessment that a later ring alert named, each counted once. */
  caughtLater: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  precision: Ratio;
  recall: Ratio;
  /**
   * Minutes of event time from the application to the first ring alert naming it (the event time of the
   * application that triggered the alert), over the caughtLater records: nearest-rank median and p90 in
   * whole minutes. null when caughtLater is 0.
   */
  delayMinutes: Delays | null;
  /** Labelled, not-alerted records that could not be followed (over a million distinct labels); normally 0. */
  notFollowed: number;
}

export interface ReplaySummary {
  /** Rule versions that produced the assessments (one, unless something reloaded mid-run). */
  rulesVersions: string[];
  alertLevel: Level;
  records: {
    /** Non-blank input lines. read = assessed + deadLettered. */
    read: number;
    assessed: number;
    deadLettered: number;
    /** Blank lines, skipped (not records). */
    blankLines: number;
  };
  /** Dead letters per error code, most frequent first. */
  deadLettered: { code: string; count: number }[];
  levels: Record<Level, number>;
  alerts: number;
  /** Every rule that fired, plus every known rule that did not, most fires first. */
  rules: RuleStat[];
  /** null when no assessed record carried a valid `_truth`. */
  truth: TruthSummary | null;
  elapsedMs: number;
  /** records read per second of elapsed time. */
  recordsPerSecond: Ratio;
}

export interface SummaryOptions {
  alertLevel: Level;
  /** Rule ids of the rule set(s) in use, so that rules that never fired are listed too. */
  ruleIds?: readonly string[];
  /** Remember labelled records not alerted at assessment, for `ringAlert` (default off). */
  followRingAlerts?: boolean;
}

/** What `assessment` reads; applicationId and eventTime are needed to follow ring alerts. */
export type AssessedRecord = Pick<Assessment, 'level' | 'flags' | 'rulesVersion'> & Partial<Pick<Assessment, 'applicationId' | 'eventTime'>>;

/** Counts of one pattern or tag. */
interface CohortAcc {
  records: number;
  fraud: number;
  caught: number;
  caughtLater: number;
  caughtBy: Map<string, number>;
}

interface PatternAcc extends CohortAcc {
  rings: Set<string>;
  ringsCaught: Set<string>;
}

function countIn(acc: CohortAcc, fraud: boolean, alerted: boolean, codes: readonly string[]): void {
  acc.records++;
  if (fraud) acc.fraud++;
  if (!alerted) return;
  acc.caught++;
  for (const code of codes) acc.caughtBy.set(code, (acc.caughtBy.get(code) ?? 0) + 1);
}

interface RuleAcc {
  fires: number;
  tp: number;
  fp: number;
}

const emptyLevels = <T>(make: () => T): Record<Level, T> => Object.fromEntries(LEVELS.map((l) => [l, make()])) as Record<Level, T>;

const byCountDesc =
  <T extends { count: number }>(key: (t: T) => string) =>
  (a: T, b: T): number =>
    b.count - a.count || key(a).localeCompare(key(b));

const caughtByList = (acc: CohortAcc): { rule: string; count: number }[] =>
  [...acc.caughtBy].map(([rule, count]) => ({ rule, count })).sort(byCountDesc((x) => x.rule));

export class SummaryAccumulator {
  private readonly alertRank: number;
  private read = 0;
  private blank = 0;
  private assessed = 0;
  private dead = 0;
  private alerts = 0;
  private readonly deadCodes = new Map<string, number>();
  private readonly levels = emptyLevels(() => 0);
  private readonly versions = new Set<string>();
  private readonly rules = new Map<string, RuleAcc>();
  // ground truth
  private labelled = 0;
  private invalidLabels = 0;
  private labelledDead = 0;
  private readonly confusion: Confusion = { tp: 0, fp: 0, fn: 0, tn: 0 };
  private readonly truthLevels = emptyLevels(() => ({ fraud: 0, legit: 0 }));
  private readonly patterns = new Map<string, PatternAcc>();
  private readonly tags = new Map<string, CohortAcc>();
  private malformedTags = 0;
  // ring alerts (with followRingAlerts)
  private readonly followUp: RingFollowUp | null;
  private ringAlerts = 0;
  /** Records not alerted at assessment, then named by a ring alert. */
  private readonly later = { fraud: 0, legit: 0 };

  constructor(private readonly opts: SummaryOptions) {
    this.alertRank = levelRank(opts.alertLevel);
    this.followUp = opts.followRingAlerts ? new RingFollowUp() : null;
    for (const id of opts.ruleIds ?? []) this.rule(id);
  }

  private rule(id: string): RuleAcc {
    let acc = this.rules.get(id);
    if (!acc) this.rules.set(id, (acc = { fires: 0, tp: 0, fp: 0 }));
    return acc;
  }

  blankLine(): void {
    this.blank++;
  }

  /** One assessed record, with the label its input line carried. */
  assessment(a: AssessedRecord, label: TruthLabel = { kind: 'none' }): void {
    this.read++;
    this.assessed++;
    this.levels[a.level]++;
    this.versions.add(a.rulesVersion);
    const alerted = levelRank(a.level) >= this.alertRank;
    if (alerted) this.alerts++;
    const codes = [...new Set(a.flags.map((f) => f.code))];
    const truth = label.kind === 'valid' ? label.truth : null;
    if (label.kind === 'invalid') this.invalidLabels++;
    for (const code of codes) {
      const r = this.rule(code);
      r.fires++;
      if (truth?.fraud) r.tp++;
      else if (truth) r.fp++;
    }
    if (!truth) return;

    this.labelled++;
    const c = this.confusion;
    if (truth.fraud) {
      if (alerted) c.tp++;
      else c.fn++;
    } else if (alerted) c.fp++;
    else c.tn++;
    this.truthLevels[a.level][truth.fraud ? 'fraud' : 'legit']++;

    if (!alerted) this.watch(a, truth);
    let p = this.patterns.get(truth.pattern);
    if (!p)
      this.patterns.set(
        truth.pattern,
        (p = { records: 0, fraud: 0, caught: 0, caughtLater: 0, rings: new Set(), ringsCaught: new Set(), caughtBy: new Map() }),
      );
    countIn(p, truth.fraud, alerted, codes);
    if (truth.ringId !== undefined) {
      p.rings.add(truth.ringId);
      if (alerted) p.ringsCaught.add(truth.ringId);
    }
    if (label.kind === 'valid' && label.malformedTags) this.malformedTags++;
    for (const tag of truth.tags ?? []) {
      let acc = this.tags.get(tag);
      if (!acc) this.tags.set(tag, (acc = { records: 0, fraud: 0, caught: 0, caughtLater: 0, caughtBy: new Map() }));
      countIn(acc, truth.fraud, alerted, codes);
    }
  }

  private watch(a: AssessedRecord, truth: Truth): void {
    if (!this.followUp) return;
    const t = a.eventTime === undefined ? Number.NaN : Date.parse(a.eventTime);
    if (a.applicationId === undefined || Number.isNaN(t)) this.followUp.notFollowed++;
    else this.followUp.watch(a.applicationId, t, truth);
  }

  /**
   * One ring alert, at `atMs` of event time, naming these application ids. Call it after the
   * assessments of the batch that emitted it. Ignored unless `followRingAlerts`.
   */
  ringAlert(applicationIds: Iterable<string>, atMs: number): void {
    if (!this.followUp) return;
    this.ringAlerts++;
    for (const id of applicationIds) {
      const truth = this.followUp.named(id, atMs);
      if (!truth) continue;
      const p = this.patterns.get(truth.pattern);
      if (p) p.caughtLater++;
      for (const tag of truth.tags ?? []) {
        const acc = this.tags.get(tag);
        if (acc) acc.caughtLater++;
      }
      this.later[truth.fraud ? 'fraud' : 'legit']++;
    }
  }

  private ringFigures(): RingAlertFigures | null {
    if (!this.followUp) return null;
    const { tp, fp, fn, tn } = this.confusion;
    const { fraud, legit } = this.later;
    const c = { tp: tp + fraud, fp: fp + legit, fn: fn - fraud, tn: tn - legit };
    return {
      ringAlerts: this.ringAlerts,
      caughtLater: fraud + legit,
      ...c,
      precision: ratio(c.tp, c.tp + c.fp),
      recall: ratio(c.tp, c.tp + c.fn),
      delayMinutes: this.followUp.delays(),
      notFollowed: this.followUp.notFollowed,
    };
  }

  private tagStats(): TagStat[] {
    const tags: TagStat[] = [...this.tags].map(([tag, x]) => ({
      tag,
      records: x.records,
      fraud: x.fraud,
      caught: x.caught,
      catchRate: ratio(x.caught, x.records),
      caughtLater: x.caughtLater,
      caughtBy: caughtByList(x),
    }));
    return tags.sort((a, b) => b.records - a.records || a.tag.localeCompare(b.tag));
  }

  /** One dead-lettered line; `labelled` when it carried a valid `_truth`. */
  deadLetter(code: string, labelled = false): void {
    this.read++;
    this.dead++;
    this.deadCodes.set(code, (this.deadCodes.get(code) ?? 0) + 1);
    if (labelled) this.labelledDead++;
  }

  summary(elapsedMs: number): ReplaySummary {
    const fraud = this.confusion.tp + this.confusion.fn;
    const legit = this.confusion.fp + this.confusion.tn;
    const rules: RuleStat[] = [...this.rules].map(([rule, r]) => ({
      rule,
      fires: r.fires,
      share: ratio(r.fires, this.assessed),
      truePositives: r.tp,
      falsePositives: r.fp,
      precision: ratio(r.tp, r.tp + r.fp),
      recall: ratio(r.tp, fraud),
    }));
    rules.sort((a, b) => b.fires - a.fires || a.rule.localeCompare(b.rule));

    let truth: TruthSummary | null = null;
    if (this.labelled > 0) {
      const { tp, fp, tn } = this.confusion;
      const precision = ratio(tp, tp + fp);
      const recall = ratio(tp, fraud);
      const patterns: PatternStat[] = [...this.patterns].map(([pattern, p]) => ({
        pattern,
        records: p.records,
        fraud: p.fraud,
        caught: p.caught,
        catchRate: ratio(p.caught, p.records),
        caughtLater: p.caughtLater,
        rings: p.rings.size,
        ringsCaught: p.ringsCaught.size,
        caughtBy: caughtByList(p),
      }));
      patterns.sort((a, b) => b.records - a.records || a.pattern.localeCompare(b.pattern));
      truth = {
        labelled: this.labelled,
        unlabelled: this.assessed - this.labelled,
        invalidLabels: this.invalidLabels,
        labelledDeadLettered: this.labelledDead,
        fraud,
        legit,
        confusion: { ...this.confusion },
        precision,
        recall,
        f1: f1(precision, recall),
        falsePositiveRate: ratio(fp, fp + tn),
        levels: structuredClone(this.truthLevels),
        patterns,
        tags: this.tagStats(),
        malformedTags: this.malformedTags,
        withRingAlerts: this.ringFigures(),
      };
    }

    return {
      rulesVersions: [...this.versions],
      alertLevel: this.opts.alertLevel,
      records: { read: this.read, assessed: this.assessed, deadLettered: this.dead, blankLines: this.blank },
      deadLettered: [...this.deadCodes].map(([code, count]) => ({ code, count })).sort(byCountDesc((x) => x.code)),
      levels: { ...this.levels },
      alerts: this.alerts,
      rules,
      truth,
      elapsedMs,
      recordsPerSecond: elapsedMs > 0 ? (this.read * 1000) / elapsedMs : null,
    };
  }
}
