/**
 * HTML building blocks of the report page (pure): data tables and figure cards. Cells are built from already
 * escaped HTML (`html`) or from text (`text`, escaped here); a numeric cell carries its raw value in `data-v`, so
 * the page's optional sort script orders by number, not by the formatted text.
 */
import { esc } from './format.js';

export interface Cell {
  /** escaped HTML */
  html: string;
  /** the raw number, for sorting; makes the cell right-aligned */
  sort?: number;
  cls?: string;
}

export interface Column {
  label: string;
  num?: boolean;
}

export const text = (s: string, cls?: string): Cell => ({ html: esc(s), ...(cls ? { cls } : {}) });
export const num = (value: number | null, formatted: string): Cell => ({ html: esc(formatted), sort: value ?? Number.NEGATIVE_INFINITY, cls: 'num' });

function td(c: Cell): string {
  // an unknown number (a precision with nothing labelled) sorts below every known one
  const v = c.sort === undefined ? '' : ` data-v="${Number.isFinite(c.sort) ? c.sort : -1e308}"`;
  return `<td${c.cls ? ` class="${c.cls}"` : ''}${v}>${c.html}</td>`;
}

/** A sortable data table with a caption; `cls` adds classes (e.g. "region-table"). */
export function table(caption: string, columns: readonly Column[], rows: readonly Cell[][], cls = ''): string {
  const head = columns.map((c) => `<th scope="col"${c.num ? ' class="num"' : ''}>${esc(c.label)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map(td).join('')}</tr>`).join('\n');
  return `<div class="scroll"><table class="data sortable ${esc(cls)}"><caption>${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table></div>`;
}

export interface Card {
  label: string;
  value: string;
  /** a second line, e.g. the baseline */
  below?: string;
}

export const cards = (items: readonly Card[]): string =>
  `<div class="cards">${items
    .map(
      (c) =>
        `<div class="card"><div class="k">${esc(c.label)}</div><div class="v">${esc(c.value)}</div>${c.below ? `<div class="b">${esc(c.below)}</div>` : ''}</div>`,
    )
    .join('')}</div>`;

export const figure = (svgs: readonly string[]): string => `<div class="charts">${svgs.map((s) => `<figure>${s}</figure>`).join('')}</div>`;

export const nothing = (message: string): string => `<p class="nothing">${esc(message)}</p>`;
