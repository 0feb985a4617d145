/** Cases: the list by status, and one case with its alerts, its audit trail and (analysts) status, assignee, title. */
import * as api from '../api.js';
import type { Ctx } from '../context.js';
import { badge, h, toast, when } from '../dom.js';
import { labelChip } from './feed.js';

const STATUSES = ['open', 'investigating', 'closed'] as const;

export async function renderCases(ctx: Ctx, el: HTMLElement, query: URLSearchParams): Promise<void> {
  const status = query.get('status') ?? '';
  const tabs = h(
    'nav',
    { class: 'tabs' },
    ...['', ...STATUSES].map((s) => h('a', { href: s ? `#/cases?status=${s}` : '#/cases', class: s === status ? 'active' : '' }, s || 'all')),
  );
  el.replaceChildren(h('section', { class: 'cases' }, h('h2', {}, 'Cases'), tabs, h('p', { class: 'muted' }, 'loading…')));
  const page = await api.listCases(new URLSearchParams({ ...(status ? { status } : {}), limit: '200' }).toString());
  const rows = page.items.map((c) =>
    h(
      'tr',
      { class: 'case-row', onclick: () => ctx.go(`#/cases/${c.id}`) },
      h('td', {}, `#${c.id}`),
      h('td', {}, c.title),
      h('td', {}, h('span', { class: `chip status-${c.status}` }, c.status)),
      h('td', {}, c.assignee ?? '—'),
      h('td', { class: 'num' }, c.alertIds.length),
      h('td', { class: 'muted' }, when(c.updatedAt)),
    ),
  );
  const table = rows.length
    ? h(
        'table',
        { class: 'cases-table' },
        h('thead', {}, h('tr', {}, ...['case', 'title', 'status', 'assignee', 'alerts', 'updated'].map((t) => h('th', {}, t)))),
        h('tbody', {}, ...rows),
      )
    : h('p', { class: 'muted' }, 'no cases; open one from an alert');
  el.replaceChildren(h('section', { class: 'cases' }, h('h2', {}, 'Cases'), tabs, table));
}

export async function renderCase(ctx: Ctx, el: HTMLElement, id: string): Promise<void> {
  let d: Awaited<ReturnType<typeof api.getCase>>;
  try {
    d = await api.getCase(id);
  } catch (err) {
    el.replaceChildren(h('p', { class: 'error' }, `case ${id}: ${(err as Error).message}`));
    return;
  }
  const c = d.case;
  const refresh = (): void => void renderCase(ctx, el, id);
  const alerts = d.alerts.map((a) =>
    h(
      'tr',
      { class: 'alert-row', onclick: () => ctx.go(`#/alerts/${a.id}`) },
      h('td', {}, badge(a.level)),
      h('td', { class: 'mono' }, a.applicationId ?? a.ringId ?? ''),
      h('td', { class: 'codes' }, a.ruleCodes.join(' ')),
      h('td', {}, labelChip(a.label?.label)),
      h('td', { class: 'muted' }, when(a.detectedAt)),
    ),
  );
  const audit = d.audit.map((e) => h('li', {}, `${when(e.at)} ${e.actor} ${e.action}`));
  el.replaceChildren(
    h(
      'article',
      { class: 'case', 'data-case-id': c.id },
      h('header', { class: 'detail-head' }, h('h2', {}, `#${c.id} ${c.title}`), h('span', { class: `chip status-${c.status}` }, c.status)),
      editor(ctx, c, refresh),
      h('section', { class: 'block' }, h('h3', {}, `Alerts (${d.alerts.length})`), h('table', {}, h('tbody', {}, ...alerts))),
      h('section', { class: 'block' }, h('h3', {}, 'Audit trail'), h('ul', { class: 'audit' }, ...audit)),
    ),
  );
}

function editor(ctx: Ctx, c: api.Case, refresh: () => void): HTMLElement | null {
  if (!ctx.canWrite) return h('p', { class: 'muted' }, `assignee ${c.assignee ?? '—'}, opened by ${c.createdBy} at ${when(c.createdAt)}`);
  const title = h('input', { value: c.title, maxlength: 200, 'aria-label': 'title' });
  const assignee = h('input', { value: c.assignee ?? '', placeholder: 'assignee (a user)', 'aria-label': 'assignee' });
  const status = h('select', { 'aria-label': 'status' }, ...STATUSES.map((s) => h('option', { value: s, selected: s === c.status }, s)));
  const save = async (): Promise<void> => {
    try {
      await api.updateCase(c.id, { title: title.value.trim(), assignee: assignee.value.trim() || null, status: status.value });
      toast(`case #${c.id} saved`);
      refresh();
    } catch (err) {
      toast(`case not saved: ${(err as Error).message}`, 'error');
    }
  };
  return h(
    'div',
    { class: 'row case-editor' },
    title,
    assignee,
    status,
    h('button', { onclick: () => void save() }, 'Save'),
    h('span', { class: 'muted' }, `opened by ${c.createdBy} at ${when(c.createdAt)}`),
  );
}
