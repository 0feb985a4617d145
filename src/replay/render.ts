import { LEVELS } from '../domain/assessment.js';
import type { Ratio, ReplaySummary, RingAlertFigures, TagStat } from './summary.js';

/** Human-readable summary of a replay (pure; no colours, so it pastes into tickets and diffs). */

export interface RenderContext {
  input?: string;
  rulesFile?: string;
  /** e.g. "memory" or "redis (prefix replay:1a2b3c4d:)". */
  state?: string;
  /** Rules shown in the rule table (the rest are counted). Default 15. */
  topRules?: number;
}

const n = (v: number): string => v.toLocaleString('en-US');
export const pct = (r: Ratio, digits = 1): string => (r === null ? '–' : `${(r * 100).toFixed(digits)}%`);

/** Aligned columns: the first (and any listed in `left`) left-aligned, the others right-aligned. */
function table(header: readonly string[], rows: readonly (readonly string[])[], left: readonly number[] = [0]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((c, i) => (left.includes(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].map((l) => `  ${l}`);
}

/** `head` followed by comma-separated items, wrapped at `width` with continuation lines indented. */
function wrap(head: string, items: readonly string[], width: number): string[] {
  const lines: string[] = [];
  let line = head;
  const indent = ' '.repeat(4);
  items.forEach((item, i) => {
    const piece = `${item}${i < items.length - 1 ? ',' : ''}`;
    if (line.trim().length > 0 && line !== head && line.length + 1 + piece.length > width) {
      lines.push(line);
      line = indent + piece;
    } else {
      line += (line === head || line === indent ? '' : ' ') + piece;
    }
  });
  lines.push(line);
  return lines;
}

/** The first four rules of a caughtBy list ("RULE 12, OTHER 3, …"), or a dash. */
function caughtBy(list: readonly { rule: string; count: number }[]): string {
  if (list.length === 0) return '–';
  const head = list.slice(0, 4).map((x) => `${x.rule} ${n(x.count)}`);
  return head.join(', ') + (list.length > 4 ? ', …' : '');
}

const LATER = '+ring alert';

function tagTable(tags: readonly TagStat[], alertLevel: string, later: boolean): string[] {
  const rows = tags.map((x) => [x.tag, n(x.records), n(x.fraud), n(x.caught), pct(x.catchRate), ...(later ? [n(x.caughtLater)] : []), caughtBy(x.caughtBy)]);
  const header = ['tag', 'records', 'fraud', 'caught', 'rate', ...(later ? [LATER] : []), 'caught by'];
  return [`by tag (caught = level ≥ ${alertLevel}; a record can have several tags)`, ...table(header, rows, [0, header.length - 1])];
}

/** The line under the confusion matrix when the replay followed ring alerts. */
function ringAlertLine(w: RingAlertFigures): string {
  const notFollowed = w.notFollowed > 0 ? ` (${n(w.notFollowed)} labelled records not followed)` : '';
  if (w.caughtLater === 0 || w.delayMinutes === null)
    return `  with ring alerts: no change (${n(w.ringAlerts)} ring alert${w.ringAlerts === 1 ? '' : 's'} named no labelled record left unalerted)${notFollowed}`;
  const { median, p90 } = w.delayMinutes;
  return `  with ring alerts: precision ${pct(w.precision)} · recall ${pct(w.recall)} · named a median of ${n(median)} min after the application (p90 ${n(p90)})${notFollowed}`;
}

function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function renderSummary(s: ReplaySummary, ctx: RenderContext = {}): string {
  const out: string[] = [];
  const head = ['replay', ctx.input].filter(Boolean).join(' ');
  out.push(head);
  const rules = s.rulesVersions.length > 0 ? s.rulesVersions.join(', ') : '(no assessment)';
  out.push(`rules ${rules}${ctx.rulesFile ? ` (${ctx.rulesFile})` : ''} · alert level ${s.alertLevel}${ctx.state ? ` · state ${ctx.state}` : ''}`);
  out.push('');

  const r = s.records;
  out.push(
    `records        ${n(r.read)} read · ${n(r.assessed)} assessed · ${n(r.deadLettered)} dead-lettered${r.blankLines ? ` · ${n(r.blankLines)} blank line${r.blankLines === 1 ? '' : 's'} skipped` : ''}`,
  );
  if (s.deadLettered.length > 0) out.push(`dead-lettered  ${s.deadLettered.map((d) => `${d.code} ${n(d.count)}`).join(' · ')}`);
  const share = (v: number): string => pct(r.assessed === 0 ? null : v / r.assessed);
  out.push(`levels         ${LEVELS.map((l) => `${l} ${n(s.levels[l])} (${share(s.levels[l])})`).join(' · ')}`);
  out.push(`alerts         ${n(s.alerts)} (${share(s.alerts)}) at level ≥ ${s.alertLevel}`);
  out.push('');

  const top = ctx.topRules ?? 15;
  const fired = s.rules.filter((x) => x.fires > 0);
  const silent = s.rules.filter((x) => x.fires === 0);
  if (fired.length === 0) {
    out.push('rules          no rule fired');
  } else {
    const labelled = s.truth !== null;
    out.push(`top rules by fires${fired.length > top ? ` (${top} of ${fired.length})` : ''}`);
    const header = labelled ? ['rule', 'fires', 'share', 'TP', 'FP', 'precision', 'recall'] : ['rule', 'fires', 'share'];
    const rows = fired.slice(0, top).map((x) => {
      const base = [x.rule, n(x.fires), pct(x.share)];
      return labelled ? [...base, n(x.truePositives), n(x.falsePositives), pct(x.precision), pct(x.recall)] : base;
    });
    out.push(...table(header, rows));
  }
  if (silent.length > 0)
    out.push(
      ...wrap(
        `  never fired (${silent.length}): `,
        silent.map((x) => x.rule),
        100,
      ),
    );
  out.push('');

  const t = s.truth;
  if (t === null) {
    out.push('ground truth   none (no assessed line carried a valid "_truth")');
  } else {
    const excluded = [`${n(t.unlabelled)} unlabelled excluded`];
    if (t.invalidLabels) excluded.push(`${n(t.invalidLabels)} of them with a malformed _truth`);
    if (t.labelledDeadLettered) excluded.push(`${n(t.labelledDeadLettered)} labelled lines dead-lettered`);
    if (t.malformedTags) excluded.push(`${n(t.malformedTags)} labelled with malformed tags (tags ignored)`);
    out.push(`ground truth   ${n(t.labelled)} labelled (${n(t.fraud)} fraud, ${n(t.legit)} legitimate); ${excluded.join('; ')}`);
    out.push(`alerts         precision ${pct(t.precision)} · recall ${pct(t.recall)} · F1 ${pct(t.f1)} · false-positive rate ${pct(t.falsePositiveRate, 2)}`);
    const c = t.confusion;
    out.push(
      ...table(
        ['', 'alerted', 'not alerted'],
        [
          ['fraud', n(c.tp), n(c.fn)],
          ['legitimate', n(c.fp), n(c.tn)],
        ],
      ),
    );
    if (t.withRingAlerts) out.push(ringAlertLine(t.withRingAlerts));
    out.push('');
    out.push('by level');
    out.push(
      ...table(
        ['level', 'fraud', 'legitimate'],
        LEVELS.map((l) => [l, n(t.levels[l].fraud), n(t.levels[l].legit)]),
      ),
    );
    out.push('');
    // The "+ring alert" column only when a ring alert named a labelled record its assessment left unalerted.
    const later = (t.withRingAlerts?.caughtLater ?? 0) > 0;
    out.push(`by pattern (caught = level ≥ ${s.alertLevel}${later ? '; +ring alert = not caught, named by a later ring alert' : ''})`);
    const rows = t.patterns.map((p) => [
      p.pattern,
      n(p.records),
      n(p.fraud),
      n(p.caught),
      pct(p.catchRate),
      ...(later ? [n(p.caughtLater)] : []),
      p.rings > 0 ? `${n(p.ringsCaught)}/${n(p.rings)}` : '–',
      caughtBy(p.caughtBy),
    ]);
    const header = ['pattern', 'records', 'fraud', 'caught', 'rate', ...(later ? [LATER] : []), 'rings', 'caught by'];
    out.push(...table(header, rows, [0, header.length - 1]));
    if (t.tags.length > 0) out.push('', ...tagTable(t.tags, s.alertLevel, later));
  }
  out.push('');
  const rate = s.recordsPerSecond === null ? '–' : n(Math.round(s.recordsPerSecond));
  out.push(`elapsed        ${duration(s.elapsedMs)} · ${rate} records/s`);
  return out.join('\n');
}
